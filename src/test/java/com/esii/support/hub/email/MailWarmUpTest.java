package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The sample mail of the start's warm-up (issue 29) takes the parser's whole way: encoded subject, text and HTML in
 * quoted-printable, quoted history left out, a file, a Reply-To. A sample the parser stopped on early would warm
 * nothing.
 */
class MailWarmUpTest {

    @Test
    void theSampleMailIsReadWhole() throws Exception {
        byte[] raw = MailWarmUp.SAMPLE.getBytes(StandardCharsets.UTF_8);
        ParsedMail m = MailParser.parse(raw);
        assertEquals("Borne en panne dès ce matin", m.subject());
        assertEquals("warm-up@example.com", m.fromAddress());
        assertEquals(1, m.attachments().size());
        assertEquals("log.txt", m.attachments().get(0).filename());
        assertTrue(m.newText().contains("Merci d'avance à vous."), m.newText());
        assertTrue(!m.newText().contains("Votre demande est enregistrée"), "the quoted history is left out");
        assertEquals("warm-up@example.com", Correspondent.of(m).customerEmail());
        assertTrue(MachineMailGuard.inspect(m, "support@example.com", "X-Hub").isEmpty(), "a person's mail");
    }
}
