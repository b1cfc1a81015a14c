package com.esii.support.hub.oncall;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.UrgentTypes;
import com.esii.support.hub.ticket.Letter;
import com.esii.support.hub.ticket.Letters;
import com.esii.support.hub.ticket.StaffTexts;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A mail to support staff (a watchdog warning, a breach for the manager, a page), sent through the outbox, in the
 * desk's language, by whichever edge sends mail ({@link Letters}); its subject and text are rendered when it is queued
 * ({@link Templates}). Staff mails are not counted in the customers'
 * loop caps; their Message-ID is chosen when queued, so a resend reuses it.
 */
@ApplicationScoped
@Named("staffMail")
public class StaffMail implements UrgentTypes {

    public static final String TYPE = "mail-staff";

    public record Payload(String to, String toName, String subject, String body, String messageId) {
    }

    private final Letters letters;
    private final ObjectMapper json;
    private final StaffTexts texts;

    public StaffMail(Letters letters, ObjectMapper json, StaffTexts texts) {
        this.letters = letters;
        this.json = json;
        this.texts = texts;
    }

    /** Taken before the other rows due with it ({@link UrgentTypes}): a page or a deadline warning is no use late. */
    @Override
    public Set<String> urgentTypes() {
        return Set.of(TYPE);
    }

    /** Performs a {@value #TYPE} row (route {@code staff-mail}, routes/oncall.yaml). */
    public void send(OutboxRow row) throws Exception {
        Payload p = json.readValue(row.payload(), Payload.class);
        letters.send(new Letter(p.to(), p.toName(), p.subject(), p.body(), p.messageId(), texts.language(), false,
                null, null));
    }
}
