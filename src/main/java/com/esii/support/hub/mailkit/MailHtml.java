package com.esii.support.hub.mailkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.qute.CheckedTemplate;

import io.quarkus.qute.TemplateInstance;

/**
 * The HTML part sent beside a mail's text: the same text in paragraphs, with its web addresses as links (the very
 * same addresses). This class cuts the text into paragraphs, lines and the addresses in them; the template
 * {@code templates/mail/html-part.html} writes the markup and escapes the text. Each link is on a line of its own,
 * so that every line stays short and the part is sent without any line break inside a link.
 */
public final class MailHtml {

    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+");

    /** A paragraph of the text (paragraphs are separated by a blank line). */
    public record Paragraph(List<Line> lines) {
    }

    /** A line of a paragraph. */
    public record Line(List<Segment> segments) {
    }

    /** A piece of a line's text, then the web address that follows it on the line ({@code link} null if none). */
    public record Segment(String text, String link) {
    }

    private MailHtml() {
    }

    /** The template that writes the part: {@code templates/mail/html-part.html}. */
    @CheckedTemplate(basePath = "mail", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance htmlPart(String lang, List<Paragraph> paragraphs);
    }

    /** The HTML document of {@code text}, in language {@code lang}. */
    public static String of(String text, String lang) {
        return Templates.htmlPart(lang, paragraphs(text)).render();
    }

    /** The paragraphs of {@code text}, their lines, and the addresses in them. */
    static List<Paragraph> paragraphs(String text) {
        List<Paragraph> paragraphs = new ArrayList<>();
        for (String p : text.replace("\r\n", "\n").strip().split("\n\\s*\n")) {
            paragraphs.add(new Paragraph(Arrays.stream(p.split("\n")).map(MailHtml::line).toList()));
        }
        return paragraphs;
    }

    private static Line line(String line) {
        List<Segment> segments = new ArrayList<>();
        Matcher m = URL.matcher(line);
        int at = 0;
        while (m.find()) {
            String url = m.group();
            // a sentence's closing punctuation is not part of the address
            while (!url.isEmpty() && ".,;:)!?".indexOf(url.charAt(url.length() - 1)) >= 0) {
                url = url.substring(0, url.length() - 1);
            }
            segments.add(new Segment(line.substring(at, m.start()), url));
            at = m.start() + url.length();
        }
        segments.add(new Segment(line.substring(at), null));
        return new Line(segments);
    }
}
