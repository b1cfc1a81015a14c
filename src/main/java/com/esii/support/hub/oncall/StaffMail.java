package com.esii.support.hub.oncall;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.mail.MailSender;
import com.esii.support.hub.mail.OutgoingMail;
import com.esii.support.hub.outbox.OutboxHandler;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.ticket.StaffTexts;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A mail to support staff (a watchdog warning, a breach for the manager, a page), sent through the outbox, in the
 * desk's language. Staff mails are not counted in the customers' loop caps; their Message-ID is chosen when queued,
 * so a resend reuses it.
 */
@ApplicationScoped
public class StaffMail implements OutboxHandler {

    public static final String TYPE = "mail-staff";

    public record Payload(String to, String toName, String subject, String body, String messageId) {
    }

    private final MailSender sender;
    private final ObjectMapper json;
    private final StaffTexts texts;

    public StaffMail(MailSender sender, ObjectMapper json, StaffTexts texts) {
        this.sender = sender;
        this.json = json;
        this.texts = texts;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void handle(OutboxRow row) throws Exception {
        Payload p = json.readValue(row.payload(), Payload.class);
        sender.send(new OutgoingMail(p.to(), p.toName(), p.subject(), p.body(), p.messageId(), null, List.of(),
                "auto-generated", texts.language()));
    }
}
