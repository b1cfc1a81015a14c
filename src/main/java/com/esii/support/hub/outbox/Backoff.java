package com.esii.support.hub.outbox;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: attempt n waits between half and all of {@code initial * 2^(n-1)}, capped at
 * {@code max}, so that replicas retrying the same target do not retry in step.
 */
public record Backoff(Duration initial, Duration max) {

    public Duration delay(int attempt, DoubleSupplier random) {
        long initialMs = Math.max(1, initial.toMillis());
        long maxMs = Math.max(initialMs, max.toMillis());
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = Math.min(maxMs, initialMs << shift);
        if (ceiling < 0) {
            ceiling = maxMs;
        }
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half)));
    }
}
