package com.esii.support.hub.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A sent or skipped row keeps no access token in its payload: every {@code token} field is emptied, at any depth. */
class OutboxTokensTest {

    private final Outbox outbox = new Outbox(null, new ObjectMapper());

    @Test
    void anAcknowledgementsTokenIsEmptiedAndTheRestKept() {
        String scrubbed = outbox.withoutTokens(
                "{\"ticket\":\"SUP-2026-00001\",\"token\":\"s3cr3t-link\",\"messageId\":\"<a@b>\",\"inReplyTo\":null}");
        assertEquals("{\"ticket\":\"SUP-2026-00001\",\"token\":null,\"messageId\":\"<a@b>\",\"inReplyTo\":null}", scrubbed);
    }

    @Test
    void theTokensOfEveryLinkInAListAreEmptied() {
        String scrubbed = outbox.withoutTokens("{\"to\":\"a@b.fr\",\"links\":[{\"number\":\"SUP-1\",\"token\":\"one-secret\"},"
                + "{\"number\":\"SUP-2\",\"token\":\"two-secret\"}],\"messageId\":\"<m@b>\"}");
        assertFalse(scrubbed.contains("secret"), scrubbed);
        assertEquals("{\"to\":\"a@b.fr\",\"links\":[{\"number\":\"SUP-1\",\"token\":null},"
                + "{\"number\":\"SUP-2\",\"token\":null}],\"messageId\":\"<m@b>\"}", scrubbed);
    }

    @Test
    void aPayloadWithoutTokenIsLeftAsItIs() {
        String payload = "{\"record\":42}";
        assertSame(payload, outbox.withoutTokens(payload));
        assertEquals("not json \"token\"", outbox.withoutTokens("not json \"token\""));
    }
}
