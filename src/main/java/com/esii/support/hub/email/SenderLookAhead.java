package com.esii.support.hub.email;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.mailkit.LoopGuard;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.TicketLedger;

/**
 * The route step that asks what the hub knows of a batch's senders before their mails' transactions, two statements
 * for the whole batch instead of two in each new ticket's transaction (issue 29): whether the address is suppressed
 * and how many automatic mails were queued to it lately ({@link LoopGuard#beforeQueueing}), and the language of its
 * last ticket ({@link TicketLedger#lastLanguagesOf}). Kept on each sender's first mail of the batch only: a sender's
 * later mails follow it in the same batch, and what it opened or queued would change their answers, so they ask in
 * their own transaction, as does a mail whose customer is not its From address (a Reply-To).
 *
 * <p>Asked a moment before the mail's transaction rather than in it: an address suppressed, or a mail queued to it,
 * in between is still caught where it matters, when the acknowledgement is about to be sent (the customer mail's
 * suppression and loop cap steps count again).
 */
@ApplicationScoped
@Named("senderLookAhead")
public class SenderLookAhead {

    private static final Logger LOG = Logger.getLogger(SenderLookAhead.class);

    /** What was known of a mail's sender when its batch was fetched. */
    public record Sender(String address, LoopGuard.Queueing queueing, Optional<Language> lastLanguage) {
    }

    private final LoopGuard loops;
    private final TicketLedger ledger;
    private final Clock clock;

    public SenderLookAhead(LoopGuard loops, TicketLedger ledger, Clock clock) {
        this.loops = loops;
        this.ledger = ledger;
        this.clock = clock;
    }

    public void senders(List<MailboxFetch.FetchedMail> batch) {
        Map<String, MailboxFetch.FetchedMail> first = new LinkedHashMap<>();
        for (MailboxFetch.FetchedMail m : batch) {
            String from = m.fromAddress();
            if (from != null && !from.isEmpty()) {
                first.putIfAbsent(m.sender(), m);
            }
        }
        if (first.isEmpty()) {
            return;
        }
        List<String> addresses = first.values().stream().map(MailboxFetch.FetchedMail::fromAddress).toList();
        Map<String, LoopGuard.Queueing> queueing;
        Map<String, Language> languages;
        try {
            queueing = loops.beforeQueueing(addresses, OffsetDateTime.now(clock));
            languages = ledger.lastLanguagesOf(addresses);
        } catch (RuntimeException e) {
            // the database away: each mail asks in its own transaction, which fails or succeeds as it would have
            LOG.warnf("Could not ask about the batch's senders ahead (%s): each mail asks in its transaction",
                    e.getMessage());
            return;
        }
        for (MailboxFetch.FetchedMail m : first.values()) {
            String a = m.fromAddress();
            LoopGuard.Queueing q = queueing.get(a);
            if (q != null) {
                m.sender(new Sender(a, q, Optional.ofNullable(languages.get(a))));
            }
        }
    }
}
