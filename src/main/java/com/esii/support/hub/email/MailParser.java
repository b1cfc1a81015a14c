package com.esii.support.hub.email;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import org.jsoup.Jsoup;

import com.esii.support.hub.mailkit.MailAddresses;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Turns raw RFC 5322 bytes into a {@link ParsedMail}, leniently: broken headers, unknown charsets, bad boundaries
 * and bad encodings give a best effort, never an exception (apart from bytes that are not a mail at all).
 */
public final class MailParser {

    static {
        // Lenient MIME decoding, process-wide (Jakarta Mail reads these as system properties).
        System.setProperty("mail.mime.decodetext.strict", "false");
        System.setProperty("mail.mime.address.strict", "false");
        System.setProperty("mail.mime.parameters.strict", "false");
        System.setProperty("mail.mime.decodefilename", "true");
        System.setProperty("mail.mime.decodeparameters", "true");
        System.setProperty("mail.mime.base64.ignoreerrors", "true");
        System.setProperty("mail.mime.uudecode.ignoreerrors", "true");
        System.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
        System.setProperty("mail.mime.multipart.ignoremissingboundaryparameter", "true");
        System.setProperty("mail.mime.multipart.allowempty", "true");
    }

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");
    private static final int MAX_DEPTH = 12;

    private MailParser() {
    }

    public static ParsedMail parse(byte[] raw) throws MessagingException {
        // A shared stream: the message and its parts read the one array in place instead of copying it per level
        MimeMessage m = new MimeMessage(SESSION, new jakarta.mail.util.SharedByteArrayInputStream(raw));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Enumeration<Header> all = m.getAllHeaders();
        while (all.hasMoreElements()) {
            Header h = all.nextElement();
            headers.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
        }
        String from = first(headers, "from");
        MailAddresses.Mailbox sender = Correspondent.sender(from, first(headers, "sender"),
                first(headers, "reply-to"));
        String senderName = sender != null ? sender.name()
                : from == null ? null : cleanHeader(from);
        String subject = first(headers, "subject");
        subject = subject == null ? "" : EncodedWords.decode(subject).replaceAll("\\p{Cntrl}", " ").strip();

        Collector c = new Collector();
        walk(m, c, 0);
        String text = c.plain.length() > 0 ? c.plain.toString() : htmlToText(c.html.toString());
        text = normaliseNewlines(text);
        QuoteSplitter.Split split = QuoteSplitter.split(text);

        String contentType = safe(() -> m.getContentType(), "text/plain");
        boolean report = contentType.toLowerCase(Locale.ROOT).startsWith("multipart/report")
                && contentType.toLowerCase(Locale.ROOT).replace("\"", "").contains("report-type=delivery-status");
        List<String> failed = new ArrayList<>();
        for (DeliveryReport.Recipient r : c.recipients) {
            if (r.failedForGood()) {
                r.addresses().stream().filter(a -> !failed.contains(a)).forEach(failed::add);
            }
        }
        return new ParsedMail(
                messageId(first(headers, "message-id")),
                sender == null ? null : sender.address(),
                senderName,
                subject,
                messageId(first(headers, "in-reply-to")),
                messageIds(first(headers, "references")),
                first(headers, "content-language"),
                headers,
                contentType,
                split.newText(),
                text,
                c.attachments,
                report,
                failed,
                c.winmail,
                List.copyOf(c.recipients),
                c.calendar);
    }

    private static final class Collector {
        final StringBuilder plain = new StringBuilder();
        final StringBuilder html = new StringBuilder();
        final List<DeliveryReport.Recipient> recipients = new ArrayList<>();
        final List<ParsedMail.Attachment> attachments = new ArrayList<>();
        boolean winmail;
        String calendar;
    }

    private static void walk(Part p, Collector c, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        String type = safe(() -> p.getContentType(), "text/plain").toLowerCase(Locale.ROOT);
        String disposition = safe(() -> p.getDisposition(), null);
        String filename = filename(p);
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(disposition) || (filename != null && !filename.isBlank());
        try {
            if (type.startsWith("multipart/")) {
                Object content = p.getContent();
                if (content instanceof Multipart mp) {
                    if (type.startsWith("multipart/alternative")) {
                        alternative(mp, c, depth);
                    } else {
                        for (int i = 0; i < mp.getCount(); i++) {
                            walk(mp.getBodyPart(i), c, depth + 1);
                        }
                    }
                    return;
                }
            }
            if (type.startsWith("message/delivery-status") || type.startsWith("message/global-delivery-status")) {
                c.recipients.addAll(DeliveryReport.parse(bytes(p), type.startsWith("message/global")));
                return;
            }
            if (type.startsWith("text/calendar") || type.startsWith("application/ics")) {
                if (c.calendar == null) {
                    c.calendar = type.startsWith("text/") ? text(p) : new String(bytes(p), StandardCharsets.UTF_8);
                }
                if (!attachment) {
                    return; // an invitation or its reply: read as such, not as the mail's text
                }
            }
            if (!attachment && type.startsWith("text/plain")) {
                append(c.plain, text(p));
                return;
            }
            if (!attachment && type.startsWith("text/html")) {
                append(c.html, text(p));
                return;
            }
            if (!attachment && type.startsWith("text/")) {
                append(c.plain, text(p));
                return;
            }
            byte[] content = bytes(p);
            String name = filename;
            if (name == null || name.isBlank()) {
                name = type.startsWith("message/rfc822") ? "forwarded-message.eml"
                        : "part-" + (c.attachments.size() + 1) + extension(type);
            }
            if (name.equalsIgnoreCase("winmail.dat") || type.startsWith("application/ms-tnef")) {
                c.winmail = true;
            }
            String contentId = safe(() -> p instanceof jakarta.mail.internet.MimePart mp ? mp.getContentID() : null, null);
            boolean inline = Part.INLINE.equalsIgnoreCase(disposition) || contentId != null;
            c.attachments.add(new ParsedMail.Attachment(name, baseType(type), content, inline && type.startsWith("image/"),
                    contentId));
        } catch (MessagingException | IOException | RuntimeException e) {
            // A part that cannot be read is kept as raw bytes when possible, and never stops the rest.
            byte[] content = safeBytes(p);
            if (content.length > 0) {
                c.attachments.add(new ParsedMail.Attachment(filename != null ? filename : "unreadable-part-"
                        + (c.attachments.size() + 1) + ".bin", "application/octet-stream", content, false, null));
            }
        }
    }

    private static void alternative(Multipart mp, Collector c, int depth) throws MessagingException {
        Part plain = null;
        Part html = null;
        List<Part> others = new ArrayList<>();
        for (int i = 0; i < mp.getCount(); i++) {
            Part part = mp.getBodyPart(i);
            String t = safe(() -> part.getContentType(), "text/plain").toLowerCase(Locale.ROOT);
            if (t.startsWith("text/plain") && plain == null) {
                plain = part;
            } else if (t.startsWith("text/html") && html == null) {
                html = part;
            } else {
                others.add(part);
            }
        }
        if (plain != null) {
            walk(plain, c, depth + 1);
        } else if (html != null) {
            walk(html, c, depth + 1);
        }
        for (Part o : others) {
            walk(o, c, depth + 1);
        }
    }

    private static void append(StringBuilder b, String text) {
        if (b.length() > 0) {
            b.append("\n\n");
        }
        b.append(text);
    }

    static String text(Part p) throws MessagingException, IOException {
        String charset = null;
        try {
            charset = new ContentType(p.getContentType()).getParameter("charset");
        } catch (MessagingException | RuntimeException e) {
            Matcher m = Pattern.compile("charset\\s*=\\s*\"?([^\";\\s]+)", Pattern.CASE_INSENSITIVE)
                    .matcher(String.valueOf(safe(() -> p.getContentType(), "")));
            if (m.find()) {
                charset = m.group(1);
            }
        }
        return Charsets.decode(bytes(p), charset);
    }

    static byte[] bytes(Part p) throws MessagingException, IOException {
        try (InputStream in = p.getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static byte[] safeBytes(Part p) {
        try {
            if (p instanceof jakarta.mail.internet.MimeBodyPart bp) {
                try (InputStream in = bp.getRawInputStream()) {
                    return in.readAllBytes();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.writeTo(out);
            return out.toByteArray();
        } catch (Exception e) {
            return new byte[0];
        }
    }

    private static String filename(Part p) {
        String name = safe(() -> p.getFileName(), null);
        if (name == null) {
            // Some mailers only put the name in Content-Type.
            String ct = safe(() -> p.getContentType(), "");
            Matcher m = Pattern.compile("name\\s*=\\s*\"?([^\";]+)", Pattern.CASE_INSENSITIVE).matcher(ct);
            if (m.find()) {
                name = m.group(1);
            }
        }
        if (name == null) {
            return null;
        }
        try {
            name = MimeUtility.decodeText(name);
        } catch (Exception e) {
            // keep as is
        }
        name = EncodedWords.decode(name);
        // No directories, no control characters.
        name = name.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "").strip();
        return name.length() > 255 ? name.substring(0, 255) : name;
    }

    private static String extension(String type) {
        if (type.startsWith("image/png")) {
            return ".png";
        }
        if (type.startsWith("image/jpeg")) {
            return ".jpg";
        }
        if (type.startsWith("image/gif")) {
            return ".gif";
        }
        if (type.startsWith("application/pdf")) {
            return ".pdf";
        }
        return ".bin";
    }

    private static String baseType(String type) {
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).strip();
    }

    /** HTML to readable text; scripts, styles and everything not text are dropped (jsoup). */
    public static String htmlToText(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        String safe = Jsoup.clean(html, "", Safelist.relaxed().removeTags("img"),
                new Document.OutputSettings().prettyPrint(false));
        Document doc = Jsoup.parse(safe);
        doc.select("br").before("\\n");
        doc.select("p, div, li, tr, h1, h2, h3, h4, h5, h6, blockquote").before("\\n");
        String text = doc.text().replace("\\n", "\n");
        return text.lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("")
                .replaceAll("\n{3,}", "\n\n").strip();
    }

    /** Newlines made plain; NUL and other control characters (which PostgreSQL text refuses) dropped. */
    private static String normaliseNewlines(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n')
                .replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]", "").strip();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** A header value as text for staff: encoded words decoded, no control characters. */
    private static String cleanHeader(String header) {
        String s = EncodedWords.decode(header).replaceAll("\\p{Cntrl}", " ").strip();
        return s.isEmpty() ? null : s.length() > 200 ? s.substring(0, 200) : s;
    }

    static String messageId(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = MESSAGE_ID.matcher(header);
        if (m.find()) {
            // RFC 5322 lines stop at 998 characters; a longer id is not one we can store or match.
            return m.group().length() > 900 ? null : m.group();
        }
        String s = header.strip();
        return s.isEmpty() || s.length() > 900 ? null : "<" + s + ">";
    }

    static List<String> messageIds(String header) {
        List<String> ids = new ArrayList<>();
        if (header != null) {
            Matcher m = MESSAGE_ID.matcher(header);
            while (m.find() && ids.size() < 100) {
                if (m.group().length() <= 900) {
                    ids.add(m.group());
                }
            }
        }
        return ids;
    }

    @FunctionalInterface
    interface Attempt<T> {
        T get() throws Exception;
    }

    static <T> T safe(Attempt<T> a, T fallback) {
        try {
            T v = a.get();
            return v == null ? fallback : v;
        } catch (Exception e) {
            return fallback;
        }
    }
}
