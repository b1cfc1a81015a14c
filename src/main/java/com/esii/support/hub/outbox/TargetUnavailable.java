package com.esii.support.hub.outbox;

/**
 * The target system is down or unreachable as a whole (not this row's fault): the row is retried with backoff
 * for as long as it takes, and never marked dead for it. Nothing waits on an outage to go dead and be replayed by
 * hand.
 */
public class TargetUnavailable extends RuntimeException {
    private final java.time.Duration after;

    public TargetUnavailable(String message) {
        this(message, null, null);
    }

    public TargetUnavailable(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** @param after when the target is expected back (null: the relay's backoff decides) */
    public TargetUnavailable(String message, Throwable cause, java.time.Duration after) {
        super(message, cause);
        this.after = after;
    }

    public java.time.Duration after() {
        return after;
    }
}
