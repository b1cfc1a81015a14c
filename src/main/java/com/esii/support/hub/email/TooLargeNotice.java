package com.esii.support.hub.email;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.mail.MailSender;
import com.esii.support.hub.mail.OutgoingMail;
import com.esii.support.hub.mail.Suppressions;
import com.esii.support.hub.outbox.OutboxHandler;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.ticket.Language;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.Engine;

/** The polite answer to a mail over the size cap: it was kept, but not turned into a ticket. */
@ApplicationScoped
public class TooLargeNotice implements OutboxHandler {

    public static final String TYPE = "mail-too-large";

    public record Payload(String to, String name, String subject, String language, String messageId, String inReplyTo,
            long maxMb) {
    }

    private final MailSender sender;
    private final Engine qute;
    private final ObjectMapper json;
    private final Suppressions suppressions;

    private final com.esii.support.hub.mail.LoopGuard loops;

    public TooLargeNotice(MailSender sender, Engine qute, ObjectMapper json, Suppressions suppressions,
            com.esii.support.hub.mail.LoopGuard loops) {
        this.loops = loops;
        this.sender = sender;
        this.qute = qute;
        this.json = json;
        this.suppressions = suppressions;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void handle(OutboxRow row) throws Exception {
        Payload p = json.readValue(row.payload(), Payload.class);
        if (suppressions.isSuppressed(p.to())) {
            return;
        }
        if (loops.withheld(row, p.to(), null, java.time.OffsetDateTime.now()).isPresent()) {
            return;
        }
        Language l = Language.fromCode(p.language()).orElse(Language.FR);
        String body = qute.getTemplate("mail/too-large-" + l.code())
                .data("name", p.name() == null ? "" : p.name())
                .data("subject", p.subject() == null ? "" : p.subject())
                .data("maxMb", p.maxMb())
                .render();
        String subject = switch (l) {
            case EN -> "Your message is too large";
            case ES -> "Su mensaje es demasiado grande";
            default -> "Votre message est trop volumineux";
        };
        sender.send(new OutgoingMail(p.to(), p.name(), subject + (p.subject() == null ? "" : ": " + p.subject()), body,
                p.messageId(), p.inReplyTo(), p.inReplyTo() == null ? List.of() : List.of(p.inReplyTo()),
                "auto-replied", l));
    }
}
