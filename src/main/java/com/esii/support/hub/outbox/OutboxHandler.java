package com.esii.support.hub.outbox;

/**
 * Performs the side effect of one outbox type (send a mail, create a Jira request, push an ERP record...).
 * Handlers are CDI beans; the relay finds them by {@link #type()}.
 *
 * <p>A handler returns normally when the effect is done, throws {@link PermanentFailure} when retrying cannot
 * help (the row goes dead at once), {@link RetryLater} when the target said when to come back, and any other
 * exception for a transient failure (retried with backoff). A handler must be safe to run again after a crash
 * between the effect and the relay recording it: look the result up at the target, or make the effect
 * idempotent there.
 */
public interface OutboxHandler {

    String type();

    void handle(OutboxRow row) throws Exception;
}
