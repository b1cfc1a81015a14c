package com.esii.support.hub.mail;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
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
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.outbox.UrgentTypes;
import com.esii.support.hub.ticket.Dates;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.RequestListAsked;
import com.esii.support.hub.ticket.StatusLinks;
import com.esii.support.hub.ticket.TicketIntake;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.TemplateInstance;

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
public class RequestListMail implements CustomerMail<RequestListMail.ListLink>, UrgentTypes {

    public static final String TYPE = "mail-requests";
    public static final String ROUTE = "mail-requests";
    private static final Logger LOG = Logger.getLogger(RequestListMail.class);

    /** The mail's content: {@code token} in clear until sent, {@code expires} in ISO 8601. */
    public record Payload(String to, String name, String language, String token, String expires, String messageId) {
    }

    private final Outbox outbox;
    private final MailSender sender;
    private final ObjectMapper json;
    private final Suppressions suppressions;
    private final LoopGuard loops;
    private final StatusLinks statusLinks;
    private final TicketIntake intake;
    private final Clock clock;

    public RequestListMail(Outbox outbox, MailSender sender, ObjectMapper json, Suppressions suppressions,
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

    /** Taken before the other rows due with it ({@link UrgentTypes}): the customer waits for it. */
    @Override
    public Set<String> urgentTypes() {
        return Set.of(TYPE);
    }

    /** Queued in the transaction that stored the link's hash. */
    void onAsked(@Observes RequestListAsked e) {
        outbox.enqueue(TYPE, "mail:requests:" + e.address().toLowerCase(Locale.ROOT), null, e.address(),
                new Payload(e.address(), e.name(), e.language().code(), e.token(), e.expires().toString(),
                        intake.newMessageId("requests")), e.at());
    }

    /** One mail on its way: the row, what it says, then its subject and text. */
    public static final class ListLink {
        private final OutboxRow row;
        private final Payload payload;
        private final Language language;
        private String subject;
        private String body;

        ListLink(OutboxRow row, Payload payload) {
            this.row = row;
            this.payload = payload;
            this.language = Language.fromCode(payload.language()).orElse(Language.FR);
        }
    }

    @Override
    public ListLink load(OutboxRow row) throws Exception {
        return new ListLink(row, json.readValue(row.payload(), Payload.class));
    }

    /** Mail to this address bounced: no more is sent to it. */
    @Override
    public boolean suppressed(ListLink m) {
        if (!suppressions.isSuppressed(m.payload.to())) {
            return false;
        }
        LOG.infof("Request list not sent: %s bounced before", m.payload.to());
        return true;
    }

    /** A loop cap forbids it ({@link LoopGuard}). */
    @Override
    public boolean withheld(ListLink m) {
        return loops.withheld(m.row, m.payload.to(), null, OffsetDateTime.now(clock)).isPresent();
    }

    /**
     * The subject and the text, in the language the list was asked in. A row whose token is gone (skipped by an
     * operator, then replayed) has no link to send: it fails for good rather than mail a link that opens nothing.
     */
    @Override
    public void render(ListLink m) {
        Payload p = m.payload;
        if (p.token() == null || p.token().isEmpty()) {
            throw new PermanentFailure("The request list's link is no longer in row " + m.row.id());
        }
        String name = p.name() == null ? "" : p.name();
        String url = statusLinks.requestListUrl(p.token());
        String until = Dates.written(OffsetDateTime.parse(p.expires()), m.language);
        TemplateInstance body = switch (m.language) {
            case FR -> Templates.requestsFr(name, url, until);
            case EN -> Templates.requestsEn(name, url, until);
            case ES -> Templates.requestsEs(name, url, until);
        };
        TemplateInstance subject = switch (m.language) {
            case FR -> Templates.requestsFr$subject();
            case EN -> Templates.requestsEn$subject();
            case ES -> Templates.requestsEs$subject();
        };
        m.subject = subject.render().strip();
        m.body = body.render();
    }

    @Override
    public void send(ListLink m) throws Exception {
        Payload p = m.payload;
        sender.send(new OutgoingMail(p.to(), p.name(), m.subject, m.body, p.messageId(), null, List.of(),
                "auto-generated", m.language));
    }
}
