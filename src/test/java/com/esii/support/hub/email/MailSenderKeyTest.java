package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The header field the intake groups a batch by (the sender) is read from the raw header section only. */
class MailSenderKeyTest {

    private static byte[] raw(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theFirstFromFieldIsFoundWhateverItsCaseAndUnfolded() {
        assertEquals("\"Dupont, Marie\" <marie@clinique.example>", MailboxFetch.headerField(raw(
                "Received: from a\r\n by b\r\nFROM: \"Dupont, Marie\"\r\n <marie@clinique.example>\r\nTo: x@y\r\n\r\nFrom: body@x\r\n"),
                "from"));
    }

    @Test
    void aFieldOnlyInTheBodyIsNotAHeader() {
        assertNull(MailboxFetch.headerField(raw("To: x@y\nSubject: hi\n\nFrom: body@x\n"), "from"));
        assertNull(MailboxFetch.headerField(raw("From-Address: a@b\r\n\r\n"), "from"));
    }
}
