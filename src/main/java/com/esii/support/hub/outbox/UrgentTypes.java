package com.esii.support.hub.outbox;

import java.util.Set;

/**
 * Outbox types taken before the others due with them: the mails people wait for (a customer's acknowledgement, a
 * page to the on-call technician), which a burst of tickets must not queue behind its Jira requests and ERP records.
 * The edge that owns such a type says so with a bean implementing this, usually the one that performs it; the outbox
 * names no type itself. The relay also keeps a quarter of its workers for these rows, and marks each done as soon as
 * it went, where it marks the others together (they are all mails: a mail server cannot be asked after a crash
 * whether a mail went), unless the mail itself is kept where a later claim finds it ({@link #recordedTypes}).
 */
public interface UrgentTypes {

    /** The types, as queued ({@link Outbox#enqueue}). */
    Set<String> urgentTypes();

    /**
     * Of these, the types whose next claim can tell that the last one sent: the mail is kept on its ticket with its
     * Message-ID right after the server accepted it, and a row claimed again looks for it before sending (issue 29).
     * They are marked done with the other rows; a mail that leaves nothing to find is marked at once.
     */
    default Set<String> recordedTypes() {
        return Set.of();
    }
}
