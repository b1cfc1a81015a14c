package com.esii.support.hub.mail;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jboss.logging.Logger;

import com.esii.support.hub.mailkit.CustomerMail;
import com.esii.support.hub.mailkit.LoopGuard;
import com.esii.support.hub.mailkit.MailSender;
import com.esii.support.hub.mailkit.OutgoingMail;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.UrgentTypes;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.StatusLinks;
import com.esii.support.hub.ticket.TicketIntake;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.TemplateInstance;

/**
 * A customer mail that belongs to an address rather than to a ticket (the links to their requests sent again, the link
 * to the list of them): sent only to that address, in the language it was asked in, under the same rules as every
 * automatic mail (an address that bounced gets none; {@link LoopGuard}'s caps). A kind says what its row's payload
 * holds and how it reads ({@link #compose}); the steps of route template {@code customer-mail} are here.
 *
 * @param <P> the row's payload
 */
public abstract class AddressMail<P extends AddressMail.Addressed>
        implements CustomerMail<AddressMail.Mail<P>>, UrgentTypes {

    private static final Logger LOG = Logger.getLogger(AddressMail.class);

    /** What every such payload holds. */
    public interface Addressed {
        String to();

        String name();

        String language();

        String messageId();
    }

    /** The subject and the text of one mail. */
    public record Composed(String subject, String body) {
    }

    /** One mail on its way: the row, its payload, then its subject and text. */
    public static final class Mail<P> {
        final OutboxRow row;
        final P payload;
        final Language language;
        /** The address's suppression and the loop caps, asked once for both steps. */
        final LoopGuard.Checks checks;
        Composed composed;

        Mail(OutboxRow row, P payload, Language language, LoopGuard.Checks checks) {
            this.row = row;
            this.payload = payload;
            this.language = language;
            this.checks = checks;
        }
    }

    private final Class<P> payloadType;
    private final String what;
    private final String type;
    private final String kind;
    private final Outbox outbox;
    private final TicketIntake intake;
    /** The customers' links to the hub's pages. */
    protected final StatusLinks statusLinks;
    private final MailSender sender;
    private final ObjectMapper json;
    private final LoopGuard loops;
    private final Clock clock;

    /**
     * Rows of outbox type {@code type}, one lane per address ({@code mail:<kind>:<address>}), Message-IDs of
     * {@code kind}; {@code what} names the mail in the log ("The request list", "The links").
     */
    protected AddressMail(Class<P> payloadType, String what, String type, String kind, Outbox outbox,
            TicketIntake intake, StatusLinks statusLinks, MailSender sender, ObjectMapper json,
            LoopGuard loops, Clock clock) {
        this.payloadType = payloadType;
        this.what = what;
        this.type = type;
        this.kind = kind;
        this.outbox = outbox;
        this.intake = intake;
        this.statusLinks = statusLinks;
        this.sender = sender;
        this.json = json;
        this.loops = loops;
        this.clock = clock;
    }

    /** For the container's client proxy only. */
    protected AddressMail() {
        this(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Taken before the other rows due with it ({@link UrgentTypes}): the customer has just asked for it. */
    @Override
    public Set<String> urgentTypes() {
        return Set.of(type);
    }

    /** Queues the mail to {@code address}, in the transaction that decided it. */
    protected void queue(String address, P payload, OffsetDateTime at) {
        outbox.enqueue(type, "mail:" + kind + ":" + address.toLowerCase(Locale.ROOT), null, address, payload, at);
    }

    /** A new Message-ID for this kind of mail. */
    protected String newMessageId() {
        return intake.newMessageId(kind);
    }

    /** The subject and text of this payload in {@code language}. */
    protected abstract Composed compose(OutboxRow row, P payload, Language language);

    /** A subject fragment's text (stripped) and the body's. */
    protected static Composed composed(TemplateInstance subject, TemplateInstance body) {
        return new Composed(subject.render().strip(), body.render());
    }

    /** The name the mail greets, or empty. */
    protected static String greeted(Addressed p) {
        return p.name() == null ? "" : p.name();
    }

    @Override
    public Mail<P> load(OutboxRow row) throws Exception {
        P payload = json.readValue(row.payload(), payloadType);
        return new Mail<>(row, payload, Language.fromCode(payload.language()).orElse(Language.FR),
                loops.checks(row, payload.to()));
    }

    /** Mail to this address bounced: no more is sent to it. */
    @Override
    public boolean suppressed(Mail<P> m) {
        if (m.checks.suppression().isEmpty()) {
            return false;
        }
        LOG.infof("%s not sent: %s bounced before", what, m.payload.to());
        return true;
    }

    /** A loop cap forbids it ({@link LoopGuard}). */
    @Override
    public boolean withheld(Mail<P> m) {
        return loops.withheld(m.checks, null, OffsetDateTime.now(clock)).isPresent();
    }

    @Override
    public void render(Mail<P> m) {
        m.composed = compose(m.row, m.payload, m.language);
    }

    @Override
    public void send(Mail<P> m) throws Exception {
        P p = m.payload;
        sender.send(new OutgoingMail(p.to(), p.name(), m.composed.subject(), m.composed.body(), p.messageId(), null,
                List.of(), "auto-generated", m.language));
    }
}
