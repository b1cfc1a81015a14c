package com.esii.support.hub.mail;

import java.util.List;

import com.esii.support.hub.ticket.Language;

/**
 * A mail the hub sends. Every header value built from customer input goes through {@link MailHeaders#clean},
 * so that no input can add a header.
 *
 * @param autoSubmitted RFC 3834 value: {@code auto-replied} for answers to a customer's message,
 *                      {@code auto-generated} for notices; never null: every hub mail is automatic.
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
        Language language) {
}
