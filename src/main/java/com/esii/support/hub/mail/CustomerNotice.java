package com.esii.support.hub.mail;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.mailkit.CustomerMail;
import com.esii.support.hub.mailkit.LoopGuard;
import com.esii.support.hub.mailkit.MailSender;
import com.esii.support.hub.mailkit.OutgoingMail;
import com.esii.support.hub.mailkit.Suppressions;
import com.esii.support.hub.mailkit.WithheldMail;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.outbox.UrgentTypes;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.CustomerTexts;
import com.esii.support.hub.ticket.Satisfaction;
import com.esii.support.hub.ticket.StatusLinks;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.ticket.TicketEvent;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the customer is told after the acknowledgement, in their language and threaded to their ticket
 * ({@code [SUP-…]} subject, In-Reply-To the ticket's latest mail): staff's public answers, the resolution, a
 * workaround, a fix delivered, a reopening. The resolution's notice (the closing mail) asks "how did we do?": one link
 * per rating, each opening the rating page with that rating chosen ({@link Satisfaction}).
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/mail.yaml}), which performs the {@code mail-notice} rows.
 */
@ApplicationScoped
@Named("customerNotice")
public class CustomerNotice implements CustomerMail<CustomerNotice.Notice>, UrgentTypes {

    public static final String TYPE = "mail-notice";
    private static final Logger LOG = Logger.getLogger(CustomerNotice.class);

    /**
     * @param kind  agent-reply, resolved, workaround, fix-delivered, reopened or waiting (staff await the customer's answer)
     * @param ref   a version for fix-delivered, Jira's resolution name for resolved (written in the customer's
     *              words when the mail is rendered)
     * @param token a link token to the ticket's page issued for this notice (none in rows queued before there was one)
     * @param ratingToken the resolution's "how did we do?" links' token ({@link Satisfaction}); null when the ticket
     *              was rated already, for the other kinds, and in rows queued before there was one
     */
    public record Payload(String ticket, String kind, String text, String author, String ref, String messageId,
            String token, String ratingToken) {
    }

    /** A "how did we do?" link of the resolution's notice: the rating, its words, the link. */
    public record Rate(int value, String label, String url) {
    }

    private final TicketLedger ledger;
    private final MailSender sender;
    private final TicketConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final Outbox outbox;
    private final LoopGuard loops;
    private final WithheldMail withheld;
    private final TicketIntake intake;
    private final StatusLinks links;
    private final CustomerTexts texts;
    private final Satisfaction satisfaction;

    public CustomerNotice(TicketLedger ledger, MailSender sender, TicketConfig config, ObjectMapper json,
            Clock clock, Outbox outbox, LoopGuard loops, WithheldMail withheld,
            TicketIntake intake, StatusLinks links, CustomerTexts texts, Satisfaction satisfaction) {
        this.satisfaction = satisfaction;
        this.texts = texts;
        this.intake = intake;
        this.links = links;
        this.loops = loops;
        this.withheld = withheld;
        this.ledger = ledger;
        this.sender = sender;
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.outbox = outbox;
    }

    /** Taken before the other rows due with it ({@link UrgentTypes}): the customer is waiting for the news. */
    @Override
    public Set<String> urgentTypes() {
        return Set.of(TYPE);
    }

    /** Kept on its ticket with its Message-ID as soon as it went ({@link #record}): marked done with the others. */
    @Override
    public Set<String> recordedTypes() {
        return Set.of(TYPE);
    }

    /** Claimed before and kept on its ticket: it went, once the server accepted it. */
    @Override
    public boolean sentBefore(Notice n) {
        return n.row.mayHaveReachedTarget() && n.payload.messageId() != null
                && ledger.hasMessage(n.ticket.id(), n.payload.messageId());
    }

    /** Queues a notice (in the caller's transaction), with its Message-ID chosen now so that a resend reuses it. */
    /** Staff's news (from Jira) becomes this mail, queued in the transaction that learnt it. */
    void onNews(@Observes TicketEvent.CustomerNews e) {
        enqueue(e.ticket(), e.kind(), e.text(), e.author(), e.ref(), e.messageId(), e.at());
    }

    public void enqueue(Ticket t, String kind, String text, String author, String ref, String messageId,
            OffsetDateTime now) {
        if (t.customerEmail() == null || t.customerEmail().isBlank()) {
            return;
        }
        // the resolution asks "how did we do?" (issue 26.11), unless the customer has answered already
        String rating = "resolved".equals(kind) && satisfaction.asks(t) ? satisfaction.issueLink(t, now) : null;
        outbox.enqueue(TYPE, "mail:" + t.number(), t.id(), t.customerEmail(),
                new Payload(t.number(), kind, text, author, ref, messageId, intake.issueLink(t, now), rating), now);
    }

    /** The route performing mail-notice rows ({@code routes/mail.yaml}). */
    public static final String ROUTE = "mail-notice";

    /** One notice on its way: the row, its ticket, then its text. */
    public static final class Notice {
        private final OutboxRow row;
        private final Payload payload;
        private final Ticket ticket;
        /** The address's suppression and the loop caps, asked once for both steps. */
        private final LoopGuard.Checks checks;
        private String body;

        Notice(OutboxRow row, Payload payload, Ticket ticket, LoopGuard.Checks checks) {
            this.row = row;
            this.payload = payload;
            this.ticket = ticket;
            this.checks = checks;
        }
    }

    /** The ticket of the row. */
    @Override
    public Notice load(OutboxRow row) throws Exception {
        Payload p = json.readValue(row.payload(), Payload.class);
        Ticket t = ledger.findByNumber(p.ticket())
                .orElseThrow(() -> new PermanentFailure("Ticket " + p.ticket() + " does not exist"));
        return new Notice(row, p, t, loops.checks(row, t.customerEmail()));
    }

    /** Mail to this address failed for good: none is sent to it; the ticket's history says so. */
    @Override
    public boolean suppressed(Notice n) {
        java.util.Optional<Suppressions.Suppression> s = n.checks.suppression();
        if (s.isEmpty()) {
            return false;
        }
        withheld.recordNow(n.ticket.id(), null, TYPE + " (" + n.payload.kind() + ") to " + n.ticket.customerEmail()
                + " not sent: " + s.get().describe(), n.row.mayHaveReachedTarget(), OffsetDateTime.now(clock));
        LOG.infof("Notice %s of %s not sent: %s is suppressed", n.payload.kind(), n.ticket.number(),
                n.ticket.customerEmail());
        return true;
    }

    /** A loop cap forbids it ({@link LoopGuard}: written in the ticket's history, the ticket flagged). */
    @Override
    public boolean withheld(Notice n) {
        return loops.withheld(n.checks, n.ticket.number(), OffsetDateTime.now(clock)).isPresent();
    }

    /** The text, in the customer's language. */
    @Override
    public void render(Notice n) {
        Ticket t = n.ticket;
        Payload p = n.payload;
        String author = p.author() == null || p.author().isBlank() ? "Support" : p.author();
        long reopenDays = config.reopenWindow().toDays();
        String statusUrl = p.token() == null ? null : links.statusUrl(t.number(), p.token());
        // the resolution is Jira's name ("Done"): the customer reads it in their words
        String ref = "resolved".equals(p.kind()) ? texts.resolution(t.language(), p.ref()) : p.ref();
        List<Rate> rate = new ArrayList<>();
        if (p.ratingToken() != null && satisfaction.of(t).isEmpty()) { // rated on the page since: not asked again
            for (int r = Satisfaction.LOWEST; r <= Satisfaction.HIGHEST; r++) {
                rate.add(new Rate(r, texts.text(t.language(), "satisfaction_rating_" + r),
                        links.rateUrl(t.number(), r, p.ratingToken())));
            }
        }
        n.body = (switch (t.language()) {
            case FR -> Templates.noticeFr(t, p.kind(), author, ref, p.text(), reopenDays, statusUrl, rate);
            case EN -> Templates.noticeEn(t, p.kind(), author, ref, p.text(), reopenDays, statusUrl, rate);
            case ES -> Templates.noticeEs(t, p.kind(), author, ref, p.text(), reopenDays, statusUrl, rate);
        }).render();
    }

    /** Sends it, threaded to the ticket's latest mail, with the Message-ID chosen when it was queued. */
    @Override
    public void send(Notice n) throws Exception {
        Ticket t = n.ticket;
        Payload p = n.payload;
        String inReplyTo = ledger.lastMessageId(t.id()).filter(id -> !id.equals(p.messageId())).orElse(null);
        sender.send(new OutgoingMail(t.customerEmail(), t.customerName(), "[" + t.number() + "] " + t.subject(),
                n.body, p.messageId(), inReplyTo, inReplyTo == null ? List.of() : List.of(inReplyTo), "auto-generated",
                t.language()));
    }

    /** Records the mail in the ticket's messages. */
    @Override
    public void record(Notice n) {
        ledger.insertMessage(n.ticket.id(), "OUT", Channel.EMAIL, n.payload.messageId(), null, n.body,
                OffsetDateTime.now(clock));
    }
}
