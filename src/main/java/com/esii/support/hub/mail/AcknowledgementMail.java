package com.esii.support.hub.mail;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxHandler;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketEvent;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.web.I18n;
import com.esii.support.hub.web.StatusLinks;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.Engine;

/**
 * The acknowledgement every new ticket gets at once: the number in the subject, a summary of the request, what
 * happens next and the status link, in the customer's language. Queued from {@link TicketEvent.Opened} in the
 * ticket's transaction, after every other row of the new ticket.
 */
@ApplicationScoped
public class AcknowledgementMail implements OutboxHandler {

    public static final String TYPE = "mail-ack";

    /** What the outbox row carries; the Message-ID is chosen at intake so that a resend reuses it. */
    public record Payload(String ticket, String token, String messageId, String inReplyTo) {
    }

    private final TicketLedger ledger;
    private final MailSender sender;
    private final Engine qute;
    private final I18n i18n;
    private final StatusLinks links;
    private final ObjectMapper json;
    private final Clock clock;
    private final Suppressions suppressions;
    private final OutOfHours outOfHours;
    private final Outbox outbox;
    private final TicketIntake intake;

    private final LoopGuard loops;

    public AcknowledgementMail(TicketLedger ledger, MailSender sender, Engine qute, I18n i18n, StatusLinks links,
            ObjectMapper json, Clock clock, Suppressions suppressions, OutOfHours outOfHours, Outbox outbox,
            TicketIntake intake, LoopGuard loops) {
        this.loops = loops;
        this.suppressions = suppressions;
        this.outOfHours = outOfHours;
        this.outbox = outbox;
        this.intake = intake;
        this.ledger = ledger;
        this.sender = sender;
        this.qute = qute;
        this.i18n = i18n;
        this.links = links;
        this.json = json;
        this.clock = clock;
    }

    /** Last of a new ticket's rows (after Jira's, the ERP's, the pages' and the re-triage's), on the mail lane. */
    void onOpened(@Observes @Priority(500) TicketEvent.Opened e) {
        if (e.acknowledge()) {
            Ticket t = e.ticket();
            outbox.enqueue(TYPE, "mail:" + t.number(), t.id(), t.customerEmail(), new Payload(t.number(),
                    e.accessToken(), intake.newMessageId("ack." + t.number()), e.ackInReplyTo()), e.at());
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void handle(OutboxRow row) throws Exception {
        Payload p = json.readValue(row.payload(), Payload.class);
        org.jboss.logging.MDC.put("ticket", p.ticket());
        try {
            Ticket t = ledger.findByNumber(p.ticket())
                    .orElseThrow(() -> new PermanentFailure("Ticket " + p.ticket() + " does not exist"));
            if (suppressions.isSuppressed(t.customerEmail())) {
                // Mail to this address bounced: do not send more (the ticket is open all the same).
                org.jboss.logging.Logger.getLogger(AcknowledgementMail.class)
                        .infof("Acknowledgement of %s not sent: %s bounced before", t.number(), t.customerEmail());
                return;
            }
            if (loops.withheld(row, t.customerEmail(), t.number(), OffsetDateTime.now(clock)).isPresent()) {
                return;
            }
            String body = render(t, p.token());
            sender.send(new OutgoingMail(t.customerEmail(), t.customerName(), "[" + t.number() + "] " + t.subject(),
                    body, p.messageId(), p.inReplyTo(), p.inReplyTo() == null ? List.of() : List.of(p.inReplyTo()),
                    "auto-replied", t.language()));
            ledger.insertMessage(t.id(), "OUT", Channel.EMAIL, p.messageId(), null, body, OffsetDateTime.now(clock));
        } finally {
            org.jboss.logging.MDC.remove("ticket");
        }
    }

    private static final java.util.Map<com.esii.support.hub.ticket.Language, java.time.format.DateTimeFormatter> OUT_OF_HOURS =
            java.util.Map.of(
                    com.esii.support.hub.ticket.Language.FR, java.time.format.DateTimeFormatter
                            .ofPattern("EEEE d MMMM yyyy 'à' HH'h'mm", java.util.Locale.FRENCH),
                    com.esii.support.hub.ticket.Language.EN, java.time.format.DateTimeFormatter
                            .ofPattern("EEEE d MMMM yyyy 'at' HH:mm", java.util.Locale.ENGLISH),
                    com.esii.support.hub.ticket.Language.ES, java.time.format.DateTimeFormatter
                            .ofPattern("EEEE d 'de' MMMM 'de' yyyy 'a las' HH:mm", java.util.Locale.forLanguageTag("es")));

    String render(Ticket t, String token) {
        var m = i18n.texts(t.language());
        return qute.getTemplate("mail/ack-" + t.language().code())
                .data("t", t)
                .data("m", m)
                .data("impact", t.criticality() == null ? m.get("impact_unknown") : m.get("impact_" + t.criticality().code()))
                .data("kind", t.kind() == null ? m.get("kind_unknown") : m.get("kind_" + t.kind().code()))
                .data("statusUrl", links.statusUrl(t.number(), token))
                // Written out of hours without an on-call page: when the desk will take it in charge.
                .data("takenInChargeFrom", outOfHours.takenInChargeFrom(t)
                        .map(at -> at.format(OUT_OF_HOURS.get(t.language()))).orElse(null))
                .render();
    }
}
