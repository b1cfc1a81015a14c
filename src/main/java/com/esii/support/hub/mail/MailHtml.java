package com.esii.support.hub.mail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTML part sent beside a mail's text: the same text, escaped, in paragraphs, with its web addresses as links
 * (the very same addresses). Every line of it stays short, so that it is sent without any line break inside a link.
 */
public final class MailHtml {

    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+");

    private MailHtml() {
    }

    /** The HTML document of {@code text}, in language {@code lang}. */
    public static String of(String text, String lang) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"").append(escape(lang))
                .append("\">\n<head>\n<meta charset=\"utf-8\">\n</head>\n<body>\n");
        String[] paragraphs = text.replace("\r\n", "\n").strip().split("\n\\s*\n");
        for (String p : paragraphs) {
            b.append("<p>");
            String[] lines = p.split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    b.append("<br>\n");
                }
                b.append(linked(lines[i]));
            }
            b.append("</p>\n");
        }
        return b.append("</body>\n</html>\n").toString();
    }

    /** A line escaped, its addresses made links, each link on a line of its own. */
    private static String linked(String line) {
        StringBuilder b = new StringBuilder();
        Matcher m = URL.matcher(line);
        int at = 0;
        while (m.find()) {
            String url = m.group();
            // a sentence's closing punctuation is not part of the address
            while (!url.isEmpty() && ".,;:)!?".indexOf(url.charAt(url.length() - 1)) >= 0) {
                url = url.substring(0, url.length() - 1);
            }
            b.append(escape(line.substring(at, m.start()))).append("\n<a href=\"").append(escape(url)).append("\">")
                    .append(escape(url)).append("</a>\n");
            at = m.start() + url.length();
        }
        return b.append(escape(line.substring(at))).toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
