package com.esii.support.hub.email;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 2047 encoded words, decoded leniently: adjacent words in one charset are joined before decoding, so that a
 * character split across two words (as some mailers do) comes out whole; a word that cannot be decoded is kept as
 * it is; raw 8-bit UTF-8 in a header is recognised.
 */
public final class EncodedWords {

    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?=");

    private EncodedWords() {
    }

    public static String decode(String header) {
        if (header == null) {
            return null;
        }
        String text = utf8IfValid(unfold(header));
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        String runCharset = null;
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        int runEnd = 0;
        while (m.find()) {
            String between = text.substring(last, m.start());
            boolean adjacent = runCharset != null && between.isBlank();
            String charset = m.group(1);
            int star = charset.indexOf('*'); // RFC 2231 language suffix: =?utf-8*fr?Q?...?=
            if (star > 0) {
                charset = charset.substring(0, star);
            }
            if (!(adjacent && charset.equalsIgnoreCase(runCharset))) {
                flush(out, run, runCharset);
                if (runCharset == null || !between.isBlank()) {
                    out.append(between);
                }
                runCharset = charset;
            }
            try {
                run.writeBytes(bytes(m.group(2), m.group(3)));
            } catch (IllegalArgumentException e) {
                flush(out, run, runCharset);
                out.append(m.group());
                runCharset = null;
            }
            last = m.end();
            runEnd = last;
        }
        flush(out, run, runCharset);
        out.append(text.substring(Math.max(last, runEnd)));
        return out.toString();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream run, String charset) {
        if (run.size() > 0) {
            out.append(new String(run.toByteArray(), Charsets.lenient(charset)));
            run.reset();
        }
    }

    private static byte[] bytes(String encoding, String text) {
        if (encoding.equalsIgnoreCase("B")) {
            // Tolerate stray characters and missing padding.
            return Base64.getDecoder().decode(pad(text.replaceAll("[^A-Za-z0-9+/]", "")));
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                b.write(' ');
            } else if (c == '=' && i + 2 < text.length() && isHex(text.charAt(i + 1))
                    && isHex(text.charAt(i + 2))) {
                b.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.write(c);
            }
        }
        return b.toByteArray();
    }

    private static String pad(String t) {
        StringBuilder s = new StringBuilder(t);
        while (s.length() % 4 != 0) {
            s.append('=');
        }
        return s.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    static String unfold(String s) {
        return s.replaceAll("\\r?\\n[ \\t]", " ").replace("\r", "").replace("\n", "");
    }

    /** Jakarta Mail reads header bytes as Latin-1; raw UTF-8 in a header is turned back into UTF-8 text. */
    static String utf8IfValid(String s) {
        boolean high = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                return s;
            }
            if (c >= 0x80) {
                high = true;
            }
        }
        if (!high) {
            return s;
        }
        byte[] raw = s.getBytes(StandardCharsets.ISO_8859_1);
        return Charsets.isValidUtf8(raw) ? new String(raw, StandardCharsets.UTF_8) : s;
    }
}
