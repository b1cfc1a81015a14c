package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.esii.support.hub.util.Hashes;

/** A spooled mail is described exactly as the same bytes held in memory: digests, key, header section, content. */
class SpooledMailTest {

    static List<String> mails() {
        String body = "line of a long log\r\n".repeat(5000);
        return List.of(
                "From: a@customer.example\r\nSubject: CRLF\r\n\r\n" + body,
                "From: a@customer.example\nSubject: LF only\n\n" + body.replace("\r\n", "\n"),
                "From: a@customer.example\r\nSubject: blank line with a bare LF\n\r\n" + body,
                "From: a@customer.example\r\nSubject: no body at all\r\n",
                "no header section, no blank line: " + body.replace("\r\n", " "));
    }

    @ParameterizedTest
    @MethodSource("mails")
    void aSpooledMailHasTheDigestsKeyAndHeadersOfTheSameBytesInMemory(String text) throws Exception {
        byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
        SpooledMail.Writer w = SpooledMail.create(SpooledMail.defaultDirectory());
        // written in odd pieces, as the IMAP fetch hands them over
        for (int off = 0; off < raw.length; off += 997) {
            w.write(raw, off, Math.min(997, raw.length - off));
        }
        try (SpooledMail spooled = w.finish()) {
            assertEquals(raw.length, spooled.size());
            assertEquals(Hashes.sha256Hex(raw), spooled.sha256());
            assertEquals(Hashes.sha256Hex(MailKey.body(raw)), spooled.bodySha256());
            assertArrayEquals(MailIntake.headerSection(raw), spooled.headers());
            ParsedMail headers = MailParser.parse(MailIntake.headerSection(raw));
            assertEquals(MailKey.of(raw, headers), MailKey.ofBodyDigest(spooled.bodySha256(), headers));
            try (InputStream in = spooled.open()) {
                assertArrayEquals(raw, in.readAllBytes());
            }
        }
    }
}
