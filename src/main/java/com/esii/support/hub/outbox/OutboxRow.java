package com.esii.support.hub.outbox;

import java.time.OffsetDateTime;

/**
 * One side effect waiting to be performed, or performed, or given up on. {@code attempts} counts the claims of the
 * current retry budget (a replay starts it again), {@code claims} every claim ever.
 */
public record OutboxRow(
        long id,
        String type,
        String lane,
        Long ticketId,
        String payload,
        OutboxStatus status,
        int attempts,
        OffsetDateTime nextAttemptAt,
        String lastError,
        OffsetDateTime createdAt,
        OffsetDateTime doneAt,
        int claims) {

    /**
     * True when an earlier claim of this row may have reached the target (a replica died, a timeout, a replay):
     * before creating anything, the handler asks the target whether it already holds the write.
     */
    public boolean mayHaveReachedTarget() {
        return claims > 1;
    }
}
