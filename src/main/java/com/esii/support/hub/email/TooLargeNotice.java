package com.esii.support.hub.email;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.esii.support.hub.mailkit.CustomerMail;
import com.esii.support.hub.mailkit.LoopGuard;
import com.esii.support.hub.mailkit.MailSender;
import com.esii.support.hub.mailkit.OutgoingMail;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.UrgentTypes;
import com.esii.support.hub.ticket.Language;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The polite answer to a mail over the size cap: it was kept, but not turned into a ticket.
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/mail.yaml}), which performs the {@code mail-too-large} rows.
 */
@ApplicationScoped
@Named("tooLargeNotice")
public class TooLargeNotice implements CustomerMail<TooLargeNotice.Answer>, UrgentTypes {

    public static final String TYPE = "mail-too-large";

    public record Payload(String to, String name, String subject, String language, String messageId, String inReplyTo,
            long maxMb) {
    }

    private final MailSender sender;
    private final ObjectMapper json;

    private final LoopGuard loops;

    public TooLargeNotice(MailSender sender, ObjectMapper json, LoopGuard loops) {
        this.loops = loops;
        this.sender = sender;
        this.json = json;
    }

    /** Taken before the other rows due with it ({@link UrgentTypes}): the customer is waiting for an answer. */
    @Override
    public Set<String> urgentTypes() {
        return Set.of(TYPE);
    }

    /** The route performing mail-too-large rows ({@code routes/mail.yaml}). */
    public static final String ROUTE = "mail-too-large";

    /** One answer on its way: the row, what it says, then its text. */
    public static final class Answer {
        private final OutboxRow row;
        private final Payload payload;
        private final Language language;
        /** The address's suppression and the loop caps, asked once for both steps. */
        private final LoopGuard.Checks checks;
        private String body;

        Answer(OutboxRow row, Payload payload, LoopGuard.Checks checks) {
            this.row = row;
            this.payload = payload;
            this.language = Language.fromCode(payload.language()).orElse(Language.FR);
            this.checks = checks;
        }
    }

    /** What the row says (no ticket: the mail was kept, not turned into one). */
    @Override
    public Answer load(OutboxRow row) throws Exception {
        Payload p = json.readValue(row.payload(), Payload.class);
        return new Answer(row, p, loops.checks(row, p.to()));
    }

    /** Mail to this address bounced: no more is sent to it. */
    @Override
    public boolean suppressed(Answer a) {
        return a.checks.suppression().isPresent();
    }

    /** A loop cap forbids it ({@code mail.LoopGuard}). */
    @Override
    public boolean withheld(Answer a) {
        return loops.withheld(a.checks, null, java.time.OffsetDateTime.now()).isPresent();
    }

    /** The text, in the sender's language. */
    @Override
    public void render(Answer a) {
        Payload p = a.payload;
        String name = p.name() == null ? "" : p.name();
        String subject = p.subject() == null ? "" : p.subject();
        a.body = (switch (a.language) {
            case FR -> Templates.tooLargeFr(name, subject, p.maxMb());
            case EN -> Templates.tooLargeEn(name, subject, p.maxMb());
            case ES -> Templates.tooLargeEs(name, subject, p.maxMb());
        }).render();
    }

    /** The answer's text, {@code templates/mail/too-large-<language>.txt}, checked when the application is built. */
    @CheckedTemplate(basePath = "mail", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static final class Templates {

        private Templates() {
        }

        static native TemplateInstance tooLargeFr(String name, String subject, long maxMb);

        static native TemplateInstance tooLargeEn(String name, String subject, long maxMb);

        static native TemplateInstance tooLargeEs(String name, String subject, long maxMb);
    }

    /** Sends it, threaded to the mail it answers. */
    @Override
    public void send(Answer a) throws Exception {
        Payload p = a.payload;
        Language l = a.language;
        String subject = switch (l) {
            case EN -> "Your message is too large";
            case ES -> "Su mensaje es demasiado grande";
            default -> "Votre message est trop volumineux";
        };
        sender.send(new OutgoingMail(p.to(), p.name(), subject + (p.subject() == null ? "" : ": " + p.subject()),
                a.body, p.messageId(), p.inReplyTo(), p.inReplyTo() == null ? List.of() : List.of(p.inReplyTo()),
                "auto-replied", l));
    }
}
