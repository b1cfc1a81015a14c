package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;

/**
 * The journal of support's activities (implemented by the ERP edge, which sends each to Divalto): how the channels
 * and the other integrations record an activity without knowing where it goes. Called inside the transaction that
 * makes the activity, so that the record commits with it or not at all; a repeated reference is recorded once.
 */
public interface ActivityJournal {

    /**
     * An activity of a ticket.
     *
     * @param minutes    time spent, when known
     * @param ref        what makes it unique (a Jira worklog id, a call's row...), or null for "the next one"
     * @param occurredAt when it happened (a call is recorded when its last segment comes)
     */
    void record(Ticket t, String activity, String detail, Long minutes, String ref, OffsetDateTime occurredAt,
            OffsetDateTime now);

    /** An activity of a customer that belongs to no ticket (a call about nothing open), keyed by {@code key}. */
    void recordForCustomer(String key, String customerCode, String activity, String detail, Long minutes,
            OffsetDateTime occurredAt, OffsetDateTime now);
}
