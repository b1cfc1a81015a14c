package com.esii.support.hub.ticket;

/**
 * Sends a {@link Letter} (implemented by the mail edge): how an edge that is not mail writes to someone without
 * knowing how mail is sent. Called from an outbox handler, outside any transaction.
 */
public interface Letters {

    /**
     * Sends it now. Throws what the mail edge throws: the outbox's {@code TargetUnavailable}, {@code PermanentFailure}
     * or any other exception for a transient failure.
     */
    void send(Letter letter) throws Exception;
}
