package com.esii.support.hub.mail;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;

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
import com.esii.support.hub.sla.SlaConfig;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.CustomerTexts;
import com.esii.support.hub.ticket.Dates;
import com.esii.support.hub.ticket.DeskHours;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.OutOfHours;
import com.esii.support.hub.ticket.StatusLinks;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.ticket.TicketEvent;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The acknowledgement every new ticket gets at once: the number in the subject, a summary of the request, what
 * happens next (this ticket's own commitment: its take-charge deadline, the on-call page sent, a quote first
 * without maintenance; an access code that named no contract) and the status link, in the customer's language. Queued from {@link TicketEvent.Opened} in the
 * ticket's transaction, after every other row of the new ticket.
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/mail.yaml}), which performs the {@code mail-ack} rows.
 */
@ApplicationScoped
@Named("acknowledgementMail")
public class AcknowledgementMail implements CustomerMail<AcknowledgementMail.Ack>, UrgentTypes {

    public static final String TYPE = "mail-ack";

    /**
     * What the outbox row carries; the Message-ID is chosen at intake so that a resend reuses it. {@code paged}:
     * whether the on-call technician was paged, when the opening already knew it for good
     * ({@link OutOfHours#pagedForGood}); null when not (a page may still come) and in rows written before it
     * (issue 29): asked when the mail is written, as before.
     */
    public record Payload(String ticket, String token, String messageId, String inReplyTo, Boolean paged) {

        public Payload(String ticket, String token, String messageId, String inReplyTo) {
            this(ticket, token, messageId, inReplyTo, null);
        }
    }

    private final TicketLedger ledger;
    private final MailSender sender;
    private final CustomerTexts i18n;
    private final StatusLinks links;
    private final ObjectMapper json;
    private final Clock clock;
    private final OutOfHours outOfHours;
    private final Outbox outbox;
    private final TicketIntake intake;

    private final LoopGuard loops;
    private final WithheldMail withheld;
    /** The desk's hours ({@code hub.desk.hours}) and the take-charge commitment ({@code hub.sla.take-charge}). */
    private final java.util.List<String> deskHours;
    private final java.time.Duration takeCharge;

    public AcknowledgementMail(TicketLedger ledger, MailSender sender, CustomerTexts i18n, StatusLinks links,
            ObjectMapper json, Clock clock, OutOfHours outOfHours, Outbox outbox,
            TicketIntake intake, LoopGuard loops, WithheldMail withheld, TicketConfig config, SlaConfig sla) {
        this.deskHours = config.desk().hours();
        this.takeCharge = sla.takeCharge();
        this.loops = loops;
        this.withheld = withheld;
        this.outOfHours = outOfHours;
        this.outbox = outbox;
        this.intake = intake;
        this.ledger = ledger;
        this.sender = sender;
        this.i18n = i18n;
        this.links = links;
        this.json = json;
        this.clock = clock;
    }

    /** Taken before the other rows due with it ({@link UrgentTypes}): the customer waits for it. */
    @Override
    public Set<String> urgentTypes() {
        return Set.of(TYPE);
    }

    /** Last of a new ticket's rows (after Jira's, the ERP's, the pages' and the re-triage's), on the mail lane. */
    void onOpened(@Observes @Priority(500) TicketEvent.Opened e) {
        if (e.acknowledge()) {
            Ticket t = e.ticket();
            outbox.add(TYPE, "mail:" + t.number(), t.id(), t.customerEmail(), new Payload(t.number(),
                    e.accessToken(), intake.newMessageId("ack." + t.number()), e.ackInReplyTo(),
                    outOfHours.pagedForGood(t).orElse(null)), e.at());
        }
    }

    /** The route performing mail-ack rows ({@code routes/mail.yaml}). */
    public static final String ROUTE = "mail-acknowledge";

    /** One acknowledgement on its way: the row, its ticket, then its text. */
    public static final class Ack {
        private final OutboxRow row;
        private final Payload payload;
        private final Ticket ticket;
        /** The address's suppression and the loop caps, asked once for both steps. */
        private final LoopGuard.Checks checks;
        private String body;

        Ack(OutboxRow row, Payload payload, Ticket ticket, LoopGuard.Checks checks) {
            this.row = row;
            this.payload = payload;
            this.ticket = ticket;
            this.checks = checks;
        }
    }

    /** The ticket of the row (as the relay read it with the row, else read here). */
    @Override
    public Ack load(OutboxRow row) throws Exception {
        Payload p = json.readValue(row.payload(), Payload.class);
        Ticket t = row.ticket(p.ticket()).or(() -> ledger.findByNumber(p.ticket()))
                .orElseThrow(() -> new PermanentFailure("Ticket " + p.ticket() + " does not exist"));
        return new Ack(row, p, t, loops.checks(row, t.customerEmail()));
    }

    /** Claimed before and kept on its ticket: it went, once the server accepted it ({@link #recordedTypes}). */
    @Override
    public boolean sentBefore(Ack a) {
        return a.row.mayHaveReachedTarget() && ledger.hasMessage(a.ticket.id(), a.payload.messageId());
    }

    /** Kept on its ticket with its Message-ID as soon as it went ({@link #record}): marked done with the others. */
    @Override
    public Set<String> recordedTypes() {
        return Set.of(TYPE);
    }

    /**
     * Mail to this address failed for good: none is sent to it (the ticket is open all the same); the ticket's
     * history says so and the ticket is flagged {@value WithheldMail#NOT_ACKNOWLEDGED}.
     */
    @Override
    public boolean suppressed(Ack a) {
        java.util.Optional<Suppressions.Suppression> s = a.checks.suppression();
        if (s.isEmpty()) {
            return false;
        }
        withheld.recordNow(a.ticket.id(), WithheldMail.NOT_ACKNOWLEDGED, TYPE + " to " + a.ticket.customerEmail()
                + " not sent: " + s.get().describe(), a.row.mayHaveReachedTarget(), OffsetDateTime.now(clock));
        org.jboss.logging.Logger.getLogger(AcknowledgementMail.class)
                .infof("Acknowledgement of %s not sent: %s is suppressed", a.ticket.number(), a.ticket.customerEmail());
        return true;
    }

    /** A loop cap forbids it ({@link LoopGuard}: written in the ticket's history, the ticket flagged). */
    @Override
    public boolean withheld(Ack a) {
        return loops.withheld(a.checks, a.ticket.number(), OffsetDateTime.now(clock)).isPresent();
    }

    /** The text, in the customer's language, with the status link. */
    @Override
    public void render(Ack a) {
        a.body = text(a.ticket, a.payload.token(), a.payload.paged());
    }

    /** Sends it, threaded to the customer's mail when they wrote one, with the Message-ID chosen at intake. */
    @Override
    public void send(Ack a) throws Exception {
        Ticket t = a.ticket;
        Payload p = a.payload;
        sender.send(new OutgoingMail(t.customerEmail(), t.customerName(), "[" + t.number() + "] " + t.subject(),
                a.body, p.messageId(), p.inReplyTo(), p.inReplyTo() == null ? List.of() : List.of(p.inReplyTo()),
                "auto-replied", t.language()));
    }

    /** Records the mail in the ticket's messages, its access token masked (the ticket keeps only its hash). */
    @Override
    public void record(Ack a) {
        String token = a.payload.token();
        String kept = token == null || token.isEmpty() ? a.body : a.body.replace(token, "(token)");
        ledger.insertMessage(a.ticket.id(), "OUT", Channel.EMAIL, a.payload.messageId(), null, kept,
                OffsetDateTime.now(clock));
    }

    private static final java.util.Map<Language, java.time.format.DateTimeFormatter> OUT_OF_HOURS =
            java.util.Map.of(
                    Language.FR, java.time.format.DateTimeFormatter
                            .ofPattern("EEEE d MMMM yyyy 'à' HH'h'mm", java.util.Locale.FRENCH),
                    Language.EN, java.time.format.DateTimeFormatter
                            .ofPattern("EEEE d MMMM yyyy 'at' HH:mm", java.util.Locale.ENGLISH),
                    Language.ES, java.time.format.DateTimeFormatter
                            .ofPattern("EEEE d 'de' MMMM 'de' yyyy 'a las' HH:mm", java.util.Locale.forLanguageTag("es")));

    String text(Ticket t, String token) {
        return text(t, token, null);
    }

    /** @param paged whether the on-call technician was paged, as the row says; null: asked here */
    String text(Ticket t, String token, Boolean paged) {
        Language l = t.language();
        var m = i18n.texts(l);
        String kind = t.kind() == null ? m.get("kind_unknown") : m.get("kind_" + t.kind().code());
        String impact = t.criticality() == null ? m.get("impact_unknown") : m.get("impact_" + t.criticality().code());
        String takeChargeHours = DeskHours.hours(takeCharge, l);
        String hours = DeskHours.inSentence(deskHours, l);
        // This ticket's own commitment: its deadline (none without maintenance: a quote first), the page sent
        Ticket.Triage triage = t.triage() == null ? Ticket.Triage.NONE : t.triage();
        Ticket.Sla sla = t.sla() == null ? Ticket.Sla.NONE : t.sla();
        String takeChargeBy = sla.takeChargeDue() == null ? null : Dates.written(sla.takeChargeDue(), l);
        boolean provisional = !Ticket.MAINTAINED.equals(triage.contract());
        boolean pageSent = paged != null ? paged : outOfHours.paged(t);
        String unknownCode = triage.accessCodeUnknown() ? t.accessCode() : null;
        // Written out of hours without an on-call page: when the desk will take it in charge.
        String takenInChargeFrom = outOfHours.takenInChargeFrom(t).map(at -> at.format(OUT_OF_HOURS.get(l)))
                .orElse(null);
        String statusUrl = links.statusUrl(t.number(), token);
        return (switch (l) {
            case FR -> Templates.ackFr(t, kind, impact, takeChargeHours, hours, takeChargeBy, provisional, pageSent,
                    unknownCode, takenInChargeFrom, statusUrl);
            case EN -> Templates.ackEn(t, kind, impact, takeChargeHours, hours, takeChargeBy, provisional, pageSent,
                    unknownCode, takenInChargeFrom, statusUrl);
            case ES -> Templates.ackEs(t, kind, impact, takeChargeHours, hours, takeChargeBy, provisional, pageSent,
                    unknownCode, takenInChargeFrom, statusUrl);
        }).render();
    }
}
