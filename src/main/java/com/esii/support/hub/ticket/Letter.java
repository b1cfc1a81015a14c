package com.esii.support.hub.ticket;

/**
 * A mail an edge has to send through whichever edge sends mail ({@link Letters}): to one person, in a language,
 * optionally carrying an iCalendar object (iMIP, RFC 6047: {@code calendarMethod} REQUEST, CANCEL...).
 *
 * @param messageId chosen when the letter is queued, so that a resend reuses it
 * @param customer  whether the recipient is a customer (counted in the loop caps) rather than staff
 */
public record Letter(String to, String toName, String subject, String text, String messageId, Language language,
        boolean customer, String calendar, String calendarMethod) {
}
