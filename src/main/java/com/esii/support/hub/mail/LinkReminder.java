package com.esii.support.hub.mail;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;

import com.esii.support.hub.mailkit.LoopGuard;
import com.esii.support.hub.mailkit.MailSender;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRow;
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
public class LinkReminder extends AddressMail<LinkReminder.Payload> {

    public static final String TYPE = "mail-links";
    public static final String ROUTE = "mail-links";

    /** One request's link: its number, subject and a token issued for this mail. */
    public record Link(String number, String subject, String token) {
    }

    public record Payload(String to, String name, String language, List<Link> links, String messageId)
            implements Addressed {
    }

    /** A link as the template shows it. */
    public record Shown(String number, String subject, String url) {
    }

    public LinkReminder(Outbox outbox, MailSender sender, ObjectMapper json, LoopGuard loops,
            StatusLinks statusLinks, TicketIntake intake, Clock clock) {
        super(Payload.class, "The links", TYPE, "links", outbox, intake, statusLinks, sender, json, loops, clock);
    }

    /** Queued in the transaction that issued the links. */
    void onLinksRequested(@Observes LinksRequested e) {
        List<Link> links = e.links().stream()
                .map(l -> new Link(l.ticket().number(), l.ticket().subject(), l.token())).toList();
        String name = e.links().get(0).ticket().customerName();
        queue(e.address(), new Payload(e.address(), name, e.language().code(), links, newMessageId()), e.at());
    }

    /** The subject and the text, in the language the links were asked in. */
    @Override
    protected Composed compose(OutboxRow row, Payload p, Language language) {
        List<Shown> links = p.links().stream()
                .map(l -> new Shown(l.number(), l.subject(), statusLinks.statusUrl(l.number(), l.token()))).toList();
        String name = greeted(p);
        return switch (language) {
            case FR -> composed(Templates.linksFr$subject(), Templates.linksFr(name, links));
            case EN -> composed(Templates.linksEn$subject(), Templates.linksEn(name, links));
            case ES -> composed(Templates.linksEs$subject(), Templates.linksEs(name, links));
        };
    }
}
