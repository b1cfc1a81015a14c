package com.esii.support.hub.email;

import java.util.List;
import java.util.Map;

/**
 * A received mail, decoded: what the channel needs to decide and to build a ticket or a comment. The raw bytes
 * stay the reference (kept with the verdict).
 *
 * @param headers       lower-cased header name → raw values
 * @param newText       what the sender wrote this time (quoted history and signature removed)
 * @param fullText      the whole text, history included
 * @param fromAddress   the author's address in canonical form ({@link Correspondent}: From, or Sender when From
 *                      names several; the first From mailbox when neither tells), null when no mailbox can be read
 * @param failedRecipients for a delivery report, the addresses it says failed for good (RFC 3464 {@code Action:
 *                      failed}, not with a 4.x.x status), which get no more automatic mail
 * @param deliveryStatus for a delivery report, every recipient it reports on, whatever its action
 * @param calendar      the first iCalendar object the mail carries ({@code text/calendar} or {@code application/ics}
 *                      part), null when none: an invitation's reply is read from it
 */
public record ParsedMail(
        String messageId,
        String fromAddress,
        String fromName,
        String subject,
        String inReplyTo,
        List<String> references,
        String contentLanguage,
        Map<String, List<String>> headers,
        String contentType,
        String newText,
        String fullText,
        List<Attachment> attachments,
        boolean deliveryReport,
        List<String> failedRecipients,
        boolean winmailDat,
        List<DeliveryReport.Recipient> deliveryStatus,
        String calendar) {

    /** A calendar's answer to an invitation (iMIP METHOD REPLY or COUNTER), which opens no ticket. */
    public boolean calendarReply() {
        if (calendar == null) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^METHOD:\\s*([A-Z-]+)\\s*$").matcher(calendar);
        return m.find() && (m.group(1).equalsIgnoreCase("REPLY") || m.group(1).equalsIgnoreCase("COUNTER"));
    }

    /** A file of the mail; {@code inline} for an image shown in the body. */
    public record Attachment(String filename, String contentType, byte[] content, boolean inline, String contentId) {
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean hasHeader(String name) {
        return headers.containsKey(name.toLowerCase(java.util.Locale.ROOT));
    }
}
