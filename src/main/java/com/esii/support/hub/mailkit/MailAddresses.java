package com.esii.support.hub.mailkit;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.mail.internet.InternetAddress;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.LenientAddressParser;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Mail addresses: header values read as RFC 5322 mailbox lists (display names, comments, groups, obsolete forms
 * such as routes and spaced dots, RFC 6532 UTF-8) by Apache James mime4j's grammar-based parser, their canonical
 * form, and whether the hub can answer one.
 *
 * <p>A header the grammar refuses gets two more tries before it is given up: the forms real mailers write without
 * the required punctuation ({@code Big Bug bb@bug.com}, {@code tim@a.example concierge@a.example}) are given their
 * angle brackets and commas and parsed again by the same grammar; then, for an ASCII header, mime4j's lenient
 * parser, whose mailboxes are kept only when they have a local part without spaces and a domain (it truncates
 * non-ASCII headers, so those are not given to it).
 */
public final class MailAddresses {

    /**
     * One mailbox.
     *
     * @param localPart as written (unquoted), lower-cased
     * @param domain    lower-cased, internationalised names in their Unicode form; null when the header gave none
     * @param name      the display name, decoded; null when there is none
     */
    public record Mailbox(String localPart, String domain, String name) {

        /** The address in canonical form: {@code local@domain}, the local part quoted when it must be. */
        public String address() {
            String local = DOT_ATOM.matcher(localPart).matches() ? localPart
                    : '"' + localPart.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            return domain == null ? local : local + "@" + domain;
        }

        /** Whether the local part needs SMTPUTF8 (RFC 6531) and UTF-8 headers (RFC 6532). */
        public boolean internationalLocalPart() {
            return !StandardCharsets.US_ASCII.newEncoder().canEncode(localPart);
        }

        @Override
        public String toString() {
            return name == null ? address() : name + " <" + address() + ">";
        }
    }

    /** RFC 5322 dot-atom, with RFC 6532's UTF-8 characters allowed in atext. */
    private static final Pattern DOT_ATOM = Pattern.compile(
            "[\\p{Alnum}!#$%&'*+/=?^_`{|}~\\-\\x{80}-\\x{10FFFF}&&[^\\p{Cntrl}\\s]]+"
                    + "(\\.[\\p{Alnum}!#$%&'*+/=?^_`{|}~\\-\\x{80}-\\x{10FFFF}&&[^\\p{Cntrl}\\s]]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]+");

    private MailAddresses() {
    }

    /**
     * The mailboxes of a header value (From, Reply-To, Sender, To...), groups flattened, in order; empty when none
     * can be read. The value must already be text: RFC 2047 encoded words are decoded here, raw UTF-8 bytes must
     * have been decoded by the caller.
     */
    public static List<Mailbox> parse(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        return PARSED.get(header, MailAddresses::read);
    }

    /**
     * The headers read lately, and what they gave (a mail's From is read five or six times on its way, its sender's
     * next mail reads it again; mime4j's grammar builds an exception at each reading): the same answer, read once.
     */
    private static final Cache<String, List<Mailbox>> PARSED = Caffeine.newBuilder().maximumSize(2_000).build();

    private static List<Mailbox> read(String header) {
        return List.copyOf(readUncached(header));
    }

    private static List<Mailbox> readUncached(String header) {
        String text = unfold(header);
        Optional<List<Mailbox>> strict = strict(text);
        if (strict.isPresent()) {
            return strict.get();
        }
        String repaired = repair(text);
        if (!repaired.equals(text)) {
            strict = strict(repaired);
            if (strict.isPresent()) {
                return strict.get();
            }
        }
        if (StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
            return lenient(text);
        }
        return List.of();
    }

    /** The canonical form of one address given alone (from a delivery report, an admin, a ticket), else null. */
    public static String canonical(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        String a = address.strip();
        List<Mailbox> parsed = parse(a.startsWith("<") || a.contains("@") ? a : null);
        if (parsed.size() == 1 && parsed.get(0).domain() != null) {
            return parsed.get(0).address();
        }
        return a.toLowerCase(Locale.ROOT);
    }

    /**
     * Why the hub cannot send mail to this mailbox, if it cannot: a domain name that the public DNS could hold
     * (dot-qualified, valid labels, not an address literal), a local part, lengths within RFC 5321's limits.
     */
    public static Optional<String> unanswerable(Mailbox m) {
        String a = m.address();
        if (m.localPart().isEmpty()) {
            return Optional.of(a + " has no local part");
        }
        if (m.domain() == null || m.domain().isEmpty()) {
            return Optional.of("\"" + m.localPart() + "\" has no domain");
        }
        if (m.domain().startsWith("[")) {
            return Optional.of(a + " names a host by its IP address, not by a domain name");
        }
        if (CONTROL.matcher(m.localPart()).find()) {
            return Optional.of(a + " has control characters in its local part");
        }
        String ascii = asciiDomain(m.domain());
        if (ascii == null) {
            return Optional.of(a + ": " + m.domain() + " is not a valid domain name");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.of(a + " has no dot-qualified domain");
        }
        for (String l : labels) {
            if (!LABEL.matcher(l).matches()) {
                return Optional.of(a + ": " + m.domain() + " is not a valid domain name");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return Optional.of(a + ": " + m.domain() + " is not a domain name");
        }
        if (m.localPart().getBytes(StandardCharsets.UTF_8).length > 64 || ascii.length() > 253) {
            return Optional.of(a + " is longer than mail servers accept");
        }
        return Optional.empty();
    }

    /** The domain in ASCII (IDNA A-labels), lower-cased, for SMTP; null when it is not a valid name. */
    public static String asciiDomain(String domain) {
        try {
            return IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A display name made safe to store and to write: no control characters, trimmed; null when empty. */
    static String cleanName(String name) {
        if (name == null) {
            return null;
        }
        String n = CONTROL.matcher(name).replaceAll(" ").strip();
        return n.isEmpty() ? null : n;
    }

    private static Optional<List<Mailbox>> strict(String text) {
        try {
            AddressList list = DefaultAddressParser.DEFAULT.parseAddressList(text, DecodeMonitor.SILENT);
            return Optional.of(mailboxes(list, text));
        } catch (Exception e) {
            // org.apache.james.mime4j.field.address.ParseException, or a grammar error deeper down
            return Optional.empty();
        }
    }

    private static List<Mailbox> lenient(String text) {
        List<Mailbox> out = new ArrayList<>();
        try {
            for (Mailbox m : mailboxes(LenientAddressParser.DEFAULT.parseAddressList(text), text)) {
                if (m.domain() != null && !m.domain().isEmpty() && !m.localPart().isEmpty()
                        && !m.localPart().matches(".*\\s.*") && !m.domain().matches(".*[\\s@<>].*")) {
                    out.add(m);
                }
            }
        } catch (RuntimeException e) {
            // nothing readable
        }
        return out;
    }

    private static List<Mailbox> mailboxes(AddressList list, String text) {
        List<Mailbox> out = new ArrayList<>();
        for (Address a : list) {
            if (a instanceof Group g) {
                for (org.apache.james.mime4j.dom.address.Mailbox m : g.getMailboxes()) {
                    out.add(of(m));
                }
            } else if (a instanceof org.apache.james.mime4j.dom.address.Mailbox m) {
                out.add(of(m));
            }
        }
        if (out.size() == 1 && out.get(0).name() == null) {
            // The obsolete "addr (Name)" form: the comment is the name (mime4j drops comments, Jakarta Mail keeps it).
            Mailbox only = out.get(0);
            try {
                InternetAddress[] j = InternetAddress.parseHeader(text, false);
                if (j.length == 1 && j[0].getPersonal() != null && j[0].getAddress() != null
                        && j[0].getAddress().equalsIgnoreCase(only.address())) {
                    out.set(0, new Mailbox(only.localPart(), only.domain(), cleanName(j[0].getPersonal())));
                }
            } catch (Exception e) {
                // no name then
            }
        }
        return out;
    }

    private static Mailbox of(org.apache.james.mime4j.dom.address.Mailbox m) {
        String local = m.getLocalPart() == null ? "" : Normalizer.normalize(m.getLocalPart(), Normalizer.Form.NFC)
                .toLowerCase(Locale.ROOT);
        String domain = m.getDomain();
        if (domain != null) {
            domain = domain.replaceAll("\\s+", "");
            if (domain.endsWith(".") && domain.length() > 1 && !domain.startsWith("[")) {
                domain = domain.substring(0, domain.length() - 1);
            }
            domain = Normalizer.normalize(domain, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
            if (!domain.startsWith("[")) {
                String ascii = asciiDomain(domain);
                if (ascii != null) {
                    domain = IDN.toUnicode(ascii).toLowerCase(Locale.ROOT);
                }
            }
        }
        return new Mailbox(local, domain, cleanName(m.getName()));
    }

    private static String unfold(String s) {
        return s.replaceAll("\\r?\\n(?=[ \\t])", "").replace('\r', ' ').replace('\n', ' ');
    }

    /**
     * Gives the grammar what mailers leave out, outside quotes, comments and angle brackets: angle brackets around
     * an address that display words precede ({@code Big Bug bb@bug.com}), and a comma between two addresses that
     * only a space separates. Group syntax is left alone.
     */
    static String repair(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        boolean angle = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                cur.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    cur.append(text.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (depth > 0) {
                cur.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    cur.append(text.charAt(++i));
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
                continue;
            }
            if (angle) {
                cur.append(c);
                if (c == '>') {
                    angle = false;
                }
                continue;
            }
            if (c == ':' || c == ';') {
                return text;
            }
            if (Character.isWhitespace(c) || c == ',') {
                if (cur.length() > 0) {
                    tokens.add(cur.toString());
                    cur.setLength(0);
                }
                if (c == ',') {
                    tokens.add(",");
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                depth = 1;
            } else if (c == '<') {
                angle = true;
            }
            cur.append(c);
        }
        if (cur.length() > 0) {
            tokens.add(cur.toString());
        }
        StringBuilder out = new StringBuilder();
        List<String> phrase = new ArrayList<>();
        for (String t : tokens) {
            if (t.equals(",")) {
                if (!phrase.isEmpty()) {
                    out.append(String.join(" ", phrase)).append(", ");
                    phrase.clear();
                }
            } else if (t.contains("@") && !t.startsWith("<") && !t.startsWith("\"") && !t.startsWith("(")
                    && !t.contains("<")) {
                boolean display = phrase.stream().anyMatch(p -> !p.startsWith("("));
                out.append(String.join(" ", phrase)).append(phrase.isEmpty() ? "" : " ")
                        .append(display ? "<" + t + ">" : t).append(", ");
                phrase.clear();
            } else {
                phrase.add(t);
                if (t.startsWith("<")) {
                    out.append(String.join(" ", phrase)).append(", ");
                    phrase.clear();
                }
            }
        }
        out.append(String.join(" ", phrase));
        String r = out.toString().strip();
        while (r.endsWith(",")) {
            r = r.substring(0, r.length() - 1).strip();
        }
        return r;
    }
}
