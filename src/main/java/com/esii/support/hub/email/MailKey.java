package com.esii.support.hub.email;

import java.nio.charset.StandardCharsets;

import com.esii.support.hub.util.Hashes;

/**
 * What makes two deliveries "the same mail": its Message-ID, sender, date, subject and body bytes, but not the
 * trace headers a server adds (Received, Delivered-To, Return-Path...). So the same mail delivered to two hub
 * mailboxes, or fetched again after a crash, has one key, while a reused Message-ID with other content does not.
 */
public final class MailKey {

    private MailKey() {
    }

    public static String of(byte[] raw, ParsedMail m) {
        return ofBodyDigest(Hashes.sha256Hex(body(raw)), m);
    }

    /** The same key from the SHA-256 (hex) of the body, for a mail not held in memory ({@link SpooledMail}). */
    public static String ofBodyDigest(String bodySha256, ParsedMail m) {
        StringBuilder b = new StringBuilder();
        b.append(m.messageId()).append('\n')
                .append(m.fromAddress()).append('\n')
                .append(m.header("Date")).append('\n')
                .append(m.subject()).append('\n')
                .append(bodySha256);
        return Hashes.sha256Hex(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes after the header section. */
    static byte[] body(byte[] raw) {
        for (int i = 0; i + 1 < raw.length; i++) {
            if (raw[i] == '\n' && raw[i + 1] == '\n') {
                return java.util.Arrays.copyOfRange(raw, i + 2, raw.length);
            }
            if (raw[i] == '\n' && raw[i + 1] == '\r' && i + 2 < raw.length && raw[i + 2] == '\n') {
                return java.util.Arrays.copyOfRange(raw, i + 3, raw.length);
            }
        }
        return raw;
    }
}
