package com.esii.support.hub.ticket;

/** Where a ticket stands, as the customer may see it. */
public enum TicketStatus {
    /** Received; not yet taken in charge. */
    NEW,
    IN_PROGRESS,
    WAITING_ON_CUSTOMER,
    RESOLVED,
    CLOSED
}
