package com.esii.support.hub.ticket;

/** The Idempotency-Key was already used for a different request. */
public class IdempotencyConflictException extends RuntimeException {
    public IdempotencyConflictException() {
        super("This Idempotency-Key was already used for a different request");
    }
}
