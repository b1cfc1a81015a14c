package com.esii.support.hub.ticket;

import java.time.Duration;

import com.esii.support.hub.util.Hashes;

/**
 * How a repeated new-ticket request is recognised, so that it answers the ticket the first one opened instead of
 * opening another: by the client's {@code Idempotency-Key} (for as long as the key is kept), or by the request's
 * content within a window (the web form submitted again). The table {@code idempotency_key} keeps only the key's
 * SHA-256 and the ticket's access token sealed under {@code tokenSecret} (see {@link Hashes#seal}): a repeated
 * request that brings the same secret gets the token back; the table alone gives neither.
 *
 * @param value       what identifies the request (the client's key, or a hash of its content)
 * @param tokenSecret the secret the access token is sealed under, or null to keep no token (a replay then answers
 *                    the ticket without its token)
 * @param window      how long a repeat counts as the same request, or null for as long as the key is kept
 * @param sameRequest a repeat must carry the same request, else {@link IdempotencyConflictException}
 */
public record IdempotencyKey(String value, String tokenSecret, Duration window, boolean sameRequest) {

    /** The client's Idempotency-Key: the same key with another request is a conflict; the token is sealed under it. */
    public static IdempotencyKey header(String key) {
        return new IdempotencyKey(key, key, null, true);
    }

    /**
     * The same content submitted again within {@code window}. {@code contentHash} must not be a value a client
     * could send as an Idempotency-Key of the API for another ticket: a NUL character (which no HTTP header holds)
     * keeps the two apart.
     */
    public static IdempotencyKey sameContent(String contentHash, String tokenSecret, Duration window) {
        return new IdempotencyKey("\u0000content\u0000" + contentHash, tokenSecret, window, false);
    }

    /** What the table holds instead of the key. */
    public String hash() {
        return Hashes.sha256Hex(value);
    }
}
