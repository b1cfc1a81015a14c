package com.esii.support.hub.email;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.mail.internet.InternetHeaders;

import com.esii.support.hub.mailkit.MailAddresses;
import com.esii.support.hub.ticket.StaffTexts;

/**
 * The per-recipient fields of a delivery status notification (RFC 3464 {@code message/delivery-status}, RFC 6533
 * {@code message/global-delivery-status}), read as the header blocks they are (Jakarta Mail's
 * {@link InternetHeaders}), and what each means for the hub: only {@code Action: failed} with a permanent status
 * (5.x.x, or none given) says the address is dead. {@code delayed} (the server is still trying), {@code relayed},
 * {@code expanded} and {@code delivered} change nothing, and neither does a {@code failed} with a 4.x.x status (the
 * message expired in a queue: the address itself was not refused).
 */
public final class DeliveryReport {

    public enum Action {
        FAILED, DELAYED, DELIVERED, RELAYED, EXPANDED, UNKNOWN;

        static Action of(String value) {
            if (value == null) {
                return UNKNOWN;
            }
            try {
                return valueOf(value.strip().split("[\\s(;]", 2)[0].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return UNKNOWN;
            }
        }
    }

    /**
     * One recipient of the report.
     *
     * @param finalRecipient    the address the reporting server tried, canonical
     * @param originalRecipient the address the sender gave, canonical, when the report says it
     * @param status            the RFC 3463 status code ({@code 5.1.1}), when given
     * @param diagnostic        the remote server's words, when given
     */
    public record Recipient(String finalRecipient, String originalRecipient, Action action, String status,
            String diagnostic) {

        /** Whether mail to this recipient must stop: failed for good. */
        public boolean failedForGood() {
            return action == Action.FAILED && (status == null || !status.startsWith("4"));
        }

        /** The addresses it names, the one the sender gave first. */
        public List<String> addresses() {
            List<String> a = new ArrayList<>();
            if (originalRecipient != null) {
                a.add(originalRecipient);
            }
            if (finalRecipient != null && !a.contains(finalRecipient)) {
                a.add(finalRecipient);
            }
            return a;
        }

        /** As the suppression's reason records it: {@code jane@x.example delayed (4.4.1: connection timed out)}. */
        public String describe() {
            return describe(String.join(" / ", addresses()), action.name().toLowerCase(Locale.ROOT),
                    "(no recipient named)");
        }

        /** As staff read it on the ticket, in the desk's language. */
        public String describe(StaffTexts texts) {
            String a = action == Action.DELAYED ? "report.delayed-action"
                    : "report." + action.name().toLowerCase(Locale.ROOT);
            return describe(String.join(" / ", addresses()), texts.text(a), texts.text("report.no-recipient"));
        }

        private String describe(String who, String actionName, String nobody) {
            String detail = status == null ? "" : status;
            if (diagnostic != null && !diagnostic.isBlank()) {
                detail = detail.isEmpty() ? diagnostic : detail + ": " + diagnostic;
            }
            return (who.isEmpty() ? nobody : who) + " " + actionName
                    + (detail.isEmpty() ? "" : " (" + cut(detail, 300) + ")");
        }
    }

    private static final Pattern STATUS = Pattern.compile("^\\s*([245]\\.\\d{1,3}\\.\\d{1,3})");
    private static final Pattern UNITEXT = Pattern.compile("\\\\x\\{([0-9A-Fa-f]{1,6})\\}");

    private DeliveryReport() {
    }

    /** The recipients of a delivery-status body; {@code utf8} for the global (RFC 6533) kind. */
    public static List<Recipient> parse(byte[] body, boolean utf8) {
        List<Recipient> out = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        try {
            // the per-message fields first, then one block per recipient, blank lines between them
            new InternetHeaders(in, utf8);
            while (in.available() > 0 && out.size() < 500) {
                InternetHeaders h = new InternetHeaders(in, utf8);
                String fin = h.getHeader("Final-Recipient", null);
                String orig = h.getHeader("Original-Recipient", null);
                String action = h.getHeader("Action", null);
                if (fin == null && orig == null && action == null) {
                    continue;
                }
                String status = h.getHeader("Status", null);
                Matcher sm = status == null ? null : STATUS.matcher(status);
                String diagnostic = h.getHeader("Diagnostic-Code", null);
                out.add(new Recipient(address(fin), address(orig), Action.of(action),
                        sm != null && sm.find() ? sm.group(1) : null,
                        diagnostic == null ? null : typed(diagnostic).replaceAll("\\s+", " ").strip()));
            }
        } catch (Exception e) {
            // what was read so far stands
        }
        return out;
    }

    /**
     * What the ticket says of a report, for staff (an internal comment, in the desk's language): each recipient, and
     * what the hub does about it.
     */
    public static String note(List<Recipient> recipients, StaffTexts texts) {
        if (recipients.isEmpty()) {
            return texts.text("report.none");
        }
        String each = recipients.stream().map(r -> r.describe(texts))
                .collect(Collectors.joining(texts.text("report.separator")));
        StringBuilder b = new StringBuilder(texts.text("report", "recipients", each));
        List<String> dead = recipients.stream().filter(Recipient::failedForGood)
                .flatMap(r -> r.addresses().stream()).distinct().toList();
        if (!dead.isEmpty()) {
            b.append(' ').append(texts.text("report.suppressed", "addresses", String.join(", ", dead)));
        }
        if (recipients.stream().anyMatch(r -> !r.failedForGood())) {
            b.append(' ').append(texts.text(recipients.stream().anyMatch(r -> r.action() == Action.DELAYED)
                    ? "report.delayed" : "report.others"));
        }
        return b.toString();
    }

    /**
     * {@code rfc822; <jane@x.example>} or {@code utf-8; j\x{F6}rg@x.example} to a canonical address. An rfc822
     * address is taken as written (xtext is not decoded: mail servers write {@code +} in local parts as is).
     */
    static String address(String field) {
        if (field == null) {
            return null;
        }
        int semi = field.indexOf(';');
        String type = semi < 0 ? "rfc822" : field.substring(0, semi).strip().toLowerCase(Locale.ROOT);
        String value = (semi < 0 ? field : field.substring(semi + 1)).strip();
        if (type.equals("utf-8")) {
            Matcher m = UNITEXT.matcher(value);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(new String(Character.toChars(
                        Integer.parseInt(m.group(1), 16)))));
            }
            m.appendTail(sb);
            value = sb.toString();
        }
        value = value.replaceAll("^<|>$", "").strip();
        return value.isEmpty() ? null : MailAddresses.canonical(value);
    }

    /** {@code smtp; 550 5.1.1 user unknown} without its type. */
    private static String typed(String field) {
        int semi = field.indexOf(';');
        return semi < 0 ? field : field.substring(semi + 1);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
