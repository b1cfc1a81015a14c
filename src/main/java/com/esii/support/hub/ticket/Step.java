package com.esii.support.hub.ticket;

import java.util.Locale;
import java.util.Optional;

/** A step of support's work on a ticket, as staff (later Jira) report it. */
public enum Step {
    TAKEN_IN_CHARGE,
    /** The ticket waits on the customer: the contractual clock stops. */
    WAITING_ON_CUSTOMER,
    /** The customer answered (or staff resume): the clock starts again and the deadlines move by the pause. */
    RESUMED,
    /** An on-site intervention or a hardware exchange is decided ({@code onSite}: intervention or exchange). */
    ON_SITE_DECIDED,
    /** The customer accepted the quote (customers without maintenance). */
    QUOTE_ACCEPTED,
    ON_SITE_DONE,
    /** A unit was repaired in the workshop. */
    WORKSHOP_REPAIRED,
    /** A hosted system's service is back after an incident (the end of its downtime). */
    SERVICE_RESTORED,
    RESOLVED,
    /** The customer came back within the reopen window, or staff reopened the request. */
    REOPENED;

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Step> fromCode(String code) {
        for (Step s : values()) {
            if (s.code().equalsIgnoreCase(code == null ? "" : code.strip())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
