package com.esii.support.hub.mail;

import java.time.Clock;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;

import com.esii.support.hub.mailkit.LoopGuard;
import com.esii.support.hub.mailkit.MailSender;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.ticket.Dates;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.RequestListAsked;
import com.esii.support.hub.ticket.StatusLinks;
import com.esii.support.hub.ticket.TicketIntake;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The link to the list of a customer's requests ("my requests", issue 26.10), sent when someone asked for it on the
 * web: only to the address the requests belong to, in the language it was asked in, through the outbox, under the
 * same rules as every automatic mail (an address that bounced gets none; {@link LoopGuard}'s caps). The row keeps
 * the link's token until the mail is sent, then loses it (the outbox empties every {@code token} field).
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/mail.yaml}), which performs the {@value #TYPE} rows.
 */
@ApplicationScoped
@Named("requestListMail")
public class RequestListMail extends AddressMail<RequestListMail.Payload> {

    public static final String TYPE = "mail-requests";
    public static final String ROUTE = "mail-requests";

    /** The mail's content: {@code token} in clear until sent, {@code expires} in ISO 8601. */
    public record Payload(String to, String name, String language, String token, String expires, String messageId)
            implements Addressed {
    }

    public RequestListMail(Outbox outbox, MailSender sender, ObjectMapper json, LoopGuard loops,
            StatusLinks statusLinks, TicketIntake intake, Clock clock) {
        super(Payload.class, "The request list", TYPE, "requests", outbox, intake, statusLinks, sender, json, loops,
                clock);
    }

    /** Queued in the transaction that stored the link's hash. */
    void onAsked(@Observes RequestListAsked e) {
        queue(e.address(), new Payload(e.address(), e.name(), e.language().code(), e.token(),
                e.expires().toString(), newMessageId()), e.at());
    }

    /**
     * The subject and the text, in the language the list was asked in. A row whose token is gone (skipped by an
     * operator, then replayed) has no link to send: it fails for good rather than mail a link that opens nothing.
     */
    @Override
    protected Composed compose(OutboxRow row, Payload p, Language language) {
        if (p.token() == null || p.token().isEmpty()) {
            throw new PermanentFailure("The request list's link is no longer in row " + row.id());
        }
        String name = greeted(p);
        String url = statusLinks.requestListUrl(p.token());
        String until = Dates.written(OffsetDateTime.parse(p.expires()), language);
        return switch (language) {
            case FR -> composed(Templates.requestsFr$subject(), Templates.requestsFr(name, url, until));
            case EN -> composed(Templates.requestsEn$subject(), Templates.requestsEn(name, url, until));
            case ES -> composed(Templates.requestsEs$subject(), Templates.requestsEs(name, url, until));
        };
    }
}
