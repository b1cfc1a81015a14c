package com.esii.support.hub.email;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Charsets as mailers name them, with a best effort for the names the JDK does not know. */
public final class Charsets {

    private static final Map<String, String> ALIASES = Map.of(
            "utf8", "UTF-8",
            "iso-8859-8-i", "ISO-8859-8",
            "x-unknown", "windows-1252",
            "unknown-8bit", "windows-1252",
            "ansi_x3.4-1968", "US-ASCII",
            "latin1", "ISO-8859-1",
            "cp-850", "IBM850",
            "ks_c_5601-1987", "EUC-KR",
            "gb2312", "GB18030",
            "x-gbk", "GB18030");

    private Charsets() {
    }

    /** The charset a mail names, or windows-1252 when it names none the JDK knows (never throws). */
    public static Charset lenient(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.US_ASCII;
        }
        String n = name.trim().replace("\"", "").replace("'", "").toLowerCase(Locale.ROOT);
        n = ALIASES.getOrDefault(n, n);
        try {
            return Charset.forName(n);
        } catch (RuntimeException e) {
            return Charset.forName("windows-1252");
        }
    }

    /** Decodes bytes in the named charset; an unknown or lying charset falls back to UTF-8 or windows-1252. */
    public static String decode(byte[] bytes, String name) {
        if (name == null || name.isBlank()) {
            return isValidUtf8(bytes) ? new String(bytes, StandardCharsets.UTF_8)
                    : new String(bytes, Charset.forName("windows-1252"));
        }
        Charset cs = lenient(name);
        if (cs.equals(StandardCharsets.US_ASCII) || cs.equals(StandardCharsets.UTF_8)) {
            // Many mailers label 8-bit text as us-ascii or send Latin-1 labelled UTF-8.
            return isValidUtf8(bytes) ? new String(bytes, StandardCharsets.UTF_8)
                    : new String(bytes, Charset.forName("windows-1252"));
        }
        return new String(bytes, cs);
    }

    public static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
