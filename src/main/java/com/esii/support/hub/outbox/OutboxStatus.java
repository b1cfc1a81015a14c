package com.esii.support.hub.outbox;

public enum OutboxStatus {
    /** Waiting for its (next) attempt. */
    PENDING,
    /** Performed. */
    DONE,
    /**
     * Given up on after the retry budget or a permanent failure; visible, and holding the later rows of its lane
     * until an operator replays or skips it.
     */
    DEAD,
    /** A dead row an operator chose not to perform. */
    SKIPPED
}
