package com.esii.support.hub.mail;

import java.time.Clock;
import java.time.OffsetDateTime;
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
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.UrgentTypes;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.LinksRequested;
import com.esii.support.hub.ticket.StatusLinks;
import com.esii.support.hub.ticket.TicketIntake;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The links to a customer's requests, sent again when someone asked for them on the web ("lost your link?"): only
 * to the address the tickets belong to, through the outbox, under the same rules as every automatic mail (an
 * address that bounced gets none; {@link LoopGuard}'s caps).
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/mail.yaml}), which performs the {@code mail-links} rows.
 */
@ApplicationScoped
@Named("linkReminder")
public class LinkReminder implements CustomerMail<LinkReminder.Reminder>, UrgentTypes {

    public static final String TYPE = "mail-links";
    public static final String ROUTE = "mail-links";
    private static final Logger LOG = Logger.getLogger(LinkReminder.class);

    /** One request's link: its number, subject and a token issued for this mail. */
    public record Link(String number, String subject, String token) {
    }

    public record Payload(String to, String name, String language, List<Link> links, String messageId) {
    }

    private final Outbox outbox;
    private final MailSender sender;
    private final ObjectMapper json;
    private final Suppressions suppressions;
    private final LoopGuard loops;
    private final StatusLinks statusLinks;
    private final TicketIntake intake;
    private final Clock clock;

    public LinkReminder(Outbox outbox, MailSender sender, ObjectMapper json, Suppressions suppressions,
            LoopGuard loops, StatusLinks statusLinks, TicketIntake intake, Clock clock) {
        this.outbox = outbox;
        this.sender = sender;
        this.json = json;
        this.suppressions = suppressions;
        this.loops = loops;
        this.statusLinks = statusLinks;
        this.intake = intake;
        this.clock = clock;
    }

    /** Taken before the other rows due with it ({@link UrgentTypes}): the customer has just asked for the links. */
    @Override
    public Set<String> urgentTypes() {
        return Set.of(TYPE);
    }

    /** Queued in the transaction that issued the links. */
    void onLinksRequested(@Observes LinksRequested e) {
        List<Link> links = e.links().stream()
                .map(l -> new Link(l.ticket().number(), l.ticket().subject(), l.token())).toList();
        String name = e.links().get(0).ticket().customerName();
        outbox.enqueue(TYPE, "mail:links:" + e.address().toLowerCase(java.util.Locale.ROOT), null, e.address(),
                new Payload(e.address(), name, e.language().code(), links, intake.newMessageId("links")), e.at());
    }

    /** One mail on its way: the row, what it says, then its text. */
    public static final class Reminder {
        private final OutboxRow row;
        private final Payload payload;
        private final Language language;
        private String body;

        Reminder(OutboxRow row, Payload payload) {
            this.row = row;
            this.payload = payload;
            this.language = Language.fromCode(payload.language()).orElse(Language.FR);
        }
    }

    @Override
    public Reminder load(OutboxRow row) throws Exception {
        return new Reminder(row, json.readValue(row.payload(), Payload.class));
    }

    /** Mail to this address bounced: no more is sent to it. */
    @Override
    public boolean suppressed(Reminder r) {
        if (!suppressions.isSuppressed(r.payload.to())) {
            return false;
        }
        LOG.infof("Links not sent again: %s bounced before", r.payload.to());
        return true;
    }

    /** A loop cap forbids it ({@link LoopGuard}). */
    @Override
    public boolean withheld(Reminder r) {
        return loops.withheld(r.row, r.payload.to(), null, OffsetDateTime.now(clock)).isPresent();
    }

    /** The text, in the language the links were asked in. */
    @Override
    public void render(Reminder r) {
        Payload p = r.payload;
        String name = p.name() == null ? "" : p.name();
        List<Shown> links = p.links().stream()
                .map(l -> new Shown(l.number(), l.subject(), statusLinks.statusUrl(l.number(), l.token()))).toList();
        r.body = (switch (r.language) {
            case FR -> Templates.linksFr(name, links);
            case EN -> Templates.linksEn(name, links);
            case ES -> Templates.linksEs(name, links);
        }).render();
    }

    /** A link as the template shows it. */
    public record Shown(String number, String subject, String url) {
    }

    @Override
    public void send(Reminder r) throws Exception {
        Payload p = r.payload;
        String subject = switch (r.language) {
            case EN -> "The links to your support requests";
            case ES -> "Los enlaces a sus solicitudes de soporte";
            default -> "Les liens vers vos demandes de support";
        };
        sender.send(new OutgoingMail(p.to(), p.name(), subject, r.body, p.messageId(), null, List.of(),
                "auto-generated", r.language));
    }
}
