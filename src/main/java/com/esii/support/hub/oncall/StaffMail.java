package com.esii.support.hub.oncall;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.TargetUnavailable;
import com.esii.support.hub.outbox.UrgentTypes;
import com.esii.support.hub.ticket.Letter;
import com.esii.support.hub.ticket.Letters;
import com.esii.support.hub.ticket.RequestLinks;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A mail to support staff (a watchdog warning, a breach for the manager, a page), sent through the outbox, in the
 * desk's language, by whichever edge sends mail ({@link Letters}); a warning's subject and text are rendered when it is
 * queued, a page's when it is sent ({@link Templates}), so that it names the ticket's JSM request: a first page, queued
 * with the ticket, waits up to {@code hub.oncall.request-wait} for it. Staff mails are not counted in the customers'
 * loop caps; their Message-ID is chosen when queued, so a resend reuses it.
 */
@ApplicationScoped
@Named("staffMail")
public class StaffMail implements UrgentTypes {

    public static final String TYPE = "mail-staff";

    /** A mail to staff: its subject and body, or the page it renders when sent. */
    public record Payload(String to, String toName, String subject, String body, String messageId, Page page) {
        public Payload(String to, String toName, String subject, String body, String messageId) {
            this(to, toName, subject, body, messageId, null);
        }
    }

    /** Page {@code n} of a ticket, to the {@code level}; {@code ackLink} null when pages carry no link. */
    public record Page(int n, String level, String headline, String ackLink, String timeout) {
    }

    private final Letters letters;
    private final ObjectMapper json;
    private final StaffTexts texts;
    private final TicketLedger ledger;
    private final RequestLinks requests;
    private final OnCallConfig config;
    private final Clock clock;

    public StaffMail(Letters letters, ObjectMapper json, StaffTexts texts, TicketLedger ledger, RequestLinks requests,
            OnCallConfig config, Clock clock) {
        this.letters = letters;
        this.json = json;
        this.texts = texts;
        this.ledger = ledger;
        this.requests = requests;
        this.config = config;
        this.clock = clock;
    }

    /** Taken before the other rows due with it ({@link UrgentTypes}): a page or a deadline warning is no use late. */
    @Override
    public Set<String> urgentTypes() {
        return Set.of(TYPE);
    }

    /** Performs a {@value #TYPE} row (route {@code staff-mail}, routes/oncall.yaml). */
    public void send(OutboxRow row) throws Exception {
        Payload p = json.readValue(row.payload(), Payload.class);
        String subject = p.subject();
        String body = p.body();
        if (p.page() != null) {
            Ticket t = ledger.findById(row.ticketId()).orElseThrow();
            String requestUrl = requests.agentView(t).orElse(null);
            if (requestUrl == null && t.jsmKey() == null && requests.raised()
                    && OffsetDateTime.now(clock).isBefore(row.createdAt().plus(config.requestWait()))) {
                throw new TargetUnavailable("page of " + t.number() + " waits for its JSM request");
            }
            Page g = p.page();
            body = (switch (texts.language()) {
                case FR -> Templates.pageFr(t, g.n(), g.level(), g.headline(), g.ackLink(), g.timeout(), requestUrl);
                case EN -> Templates.pageEn(t, g.n(), g.level(), g.headline(), g.ackLink(), g.timeout(), requestUrl);
                case ES -> Templates.pageEs(t, g.n(), g.level(), g.headline(), g.ackLink(), g.timeout(), requestUrl);
            }).render();
            subject = (switch (texts.language()) {
                case FR -> Templates.pageFr$subject(t);
                case EN -> Templates.pageEn$subject(t);
                case ES -> Templates.pageEs$subject(t);
            }).render().strip();
        }
        letters.send(new Letter(p.to(), p.toName(), subject, body, p.messageId(), texts.language(), false,
                null, null));
    }
}
