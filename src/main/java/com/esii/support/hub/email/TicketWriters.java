package com.esii.support.hub.email;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.mailkit.MailAddresses;
import com.esii.support.hub.mailkit.MailConfig;
import com.esii.support.hub.ticket.Participants;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketConfig;

/**
 * Who may add to a ticket by mail: its customer, its participants (the other addresses of the mail that opened it,
 * those the customer copied later, those staff added in Jira) and, for a customer listed in
 * {@code hub.mail.customer-domains}, any address of that customer's domain. Anyone else who names a ticket (its
 * number, a forged In-Reply-To) opens a new ticket instead: nothing of theirs reaches the named one.
 */
@ApplicationScoped
public class TicketWriters {

    private final Participants participants;
    private final MailConfig config;
    private final TicketConfig core;

    public TicketWriters(Participants participants, MailConfig config, TicketConfig core) {
        this.participants = participants;
        this.config = config;
        this.core = core;
    }

    /** Whether a mail from this address is the customer's side writing into this ticket. */
    public boolean mayWrite(Ticket t, String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        if (participants.includes(t, address)) {
            return true;
        }
        String code = t.triage() == null ? null : t.triage().customerCode();
        if (code == null || code.isBlank()) {
            return false;
        }
        String domain = Participants.normal(address.substring(address.lastIndexOf('@') + 1));
        for (String entry : config.customerDomains().orElse(List.of())) {
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.substring(0, eq).strip().equalsIgnoreCase(code)
                    && entry.substring(eq + 1).strip().toLowerCase(Locale.ROOT).equals(domain)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of these addresses (a bounce's failed recipients) is the ticket's customer or a participant. */
    public boolean anyTakesPart(Ticket t, Collection<String> addresses) {
        return addresses.stream().anyMatch(a -> participants.includes(t, a));
    }

    /**
     * The mail's To and Cc addresses become the ticket's participants (the hub's own and the customer's left out),
     * and so does its author when the customer is answered at another address (a Reply-To).
     */
    public void copied(Ticket t, ParsedMail m, OffsetDateTime now) {
        List<String> out = new ArrayList<>();
        String customer = Participants.normal(t.customerEmail() == null ? "" : t.customerEmail());
        if (m.fromAddress() != null && !Participants.normal(m.fromAddress()).equals(customer)) {
            out.add(Participants.normal(m.fromAddress()));
        }
        Set<String> ours = new java.util.HashSet<>(List.of(Participants.normal(core.mailFrom()),
                Participants.normal(config.imap().username().orElse(""))));
        for (String header : List.of("to", "cc")) {
            for (String value : m.headers().getOrDefault(header, List.of())) {
                for (String a : addresses(value)) {
                    String n = Participants.normal(a);
                    if (!ours.contains(n) && !n.equals(customer)) {
                        out.add(n);
                    }
                }
            }
        }
        participants.add(t.id(), out, Participants.FROM_MAIL, now);
    }

    /** The addresses of an address-list header (RFC 5322, read like From: {@link MailAddresses}). */
    static List<String> addresses(String header) {
        return MailAddresses.parse(EncodedWords.utf8IfValid(EncodedWords.unfold(header))).stream()
                .map(MailAddresses.Mailbox::address)
                .filter(a -> a != null && a.indexOf('@') > 0).toList();
    }
}
