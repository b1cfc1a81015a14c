package com.esii.support.hub.email;

/** What became of a received mail. Every mail gets exactly one. */
public enum Verdict {
    /** Opened a ticket (and, unless a loop cap tripped, an acknowledgement). */
    NEW_TICKET,
    /** Added to an existing ticket. */
    COMMENT,
    /** Machine mail (auto-reply, list, no-reply sender...) that matched no ticket: kept, not answered. */
    AUTO_REPLY_IGNORED,
    /** Machine mail answering one of our tickets: recorded on it, nobody notified. */
    AUTO_REPLY_RECORDED,
    /** A delivery report of a permanent failure: the failed addresses are no longer mailed automatically. */
    BOUNCE,
    /** One of the hub's own mails coming back. */
    OWN_MAIL,
    /** Opened a ticket or comment but sent no automatic mail: a loop cap tripped. */
    LOOP_CAPPED,
    /**
     * Opened a ticket for staff but sent no acknowledgement: nobody the hub can answer (no readable mailbox, an
     * address without a dot-qualified domain, several authors and no Sender...) or the address is suppressed. The
     * ticket is flagged NOT_ACKNOWLEDGED and its history says why.
     */
    NOT_ACKNOWLEDGED,
    /** A delivery report that stops no address (delayed, relayed, expanded, delivered): recorded on its ticket. */
    DELIVERY_REPORT,
    /** A calendar's answer to an on-site invitation (accepted, declined, another time): applied, never a ticket. */
    CALENDAR_REPLY,
    /** Seen before (same Message-ID and content): nothing done. */
    DUPLICATE,
    /** Over the size cap: recorded and answered politely. */
    TOO_LARGE,
    /** Could not be processed: moved to the error folder, kept with its reason. */
    ERROR
}
