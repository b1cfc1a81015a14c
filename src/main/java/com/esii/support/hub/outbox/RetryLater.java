package com.esii.support.hub.outbox;

import java.time.Duration;

/** The target asked to come back later (HTTP 429 or 503 with Retry-After). */
public class RetryLater extends RuntimeException {
    private final Duration after;

    public RetryLater(String message, Duration after) {
        super(message);
        this.after = after;
    }

    public Duration after() {
        return after;
    }
}
