package com.esii.support.hub.outbox;

import java.time.OffsetDateTime;

/** One side effect waiting to be performed, or performed, or given up on. */
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
        OffsetDateTime doneAt) {
}
