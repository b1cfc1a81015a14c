package com.esii.support.hub.outbox;

public enum OutboxStatus {
    /** Waiting for its (next) attempt. */
    PENDING,
    /** Performed. */
    DONE,
    /** Given up on after the retry budget or a permanent failure; visible and replayable by an operator. */
    DEAD
}
