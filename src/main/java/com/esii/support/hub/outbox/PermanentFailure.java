package com.esii.support.hub.outbox;

/** The side effect can never succeed as it is (bad request, unknown recipient...): do not retry. */
public class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
