package com.esii.support.hub.mailkit;

import java.util.List;

import com.esii.support.hub.ticket.Language;

/**
 * A mail the hub sends. Every header value built from customer input goes through {@link MailHeaders#clean},
 * so that no input can add a header.
 *
 * @param autoSubmitted  RFC 3834 value: {@code auto-replied} for answers to a customer's message,
 *                       {@code auto-generated} for notices; never null: every hub mail is automatic.
 * @param calendar       an iCalendar object sent beside the text (iMIP, RFC 6047), or null
 * @param calendarMethod its METHOD (REQUEST, CANCEL...), given again in the part's Content-Type
 */
public record OutgoingMail(
        String to,
        String toName,
        String subject,
        String textBody,
        String messageId,
        String inReplyTo,
        List<String> references,
        String autoSubmitted,
        Language language,
        String calendar,
        String calendarMethod) {

    public OutgoingMail(String to, String toName, String subject, String textBody, String messageId, String inReplyTo,
            List<String> references, String autoSubmitted, Language language) {
        this(to, toName, subject, textBody, messageId, inReplyTo, references, autoSubmitted, language, null, null);
    }
}
