package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;

/**
 * A ticket's contractual clock (on its contract's business calendar): how each of support's steps moves its
 * deadlines. Implemented by the {@code sla} package.
 */
public interface ContractClock {

    Ticket.Sla takenInCharge(Ticket.Sla s, OffsetDateTime at);

    /** The ticket waits on the customer: the clock stops. */
    Ticket.Sla waiting(Ticket.Sla s, OffsetDateTime at);

    /** The clock starts again; the open deadlines move by the business time of the pause. */
    Ticket.Sla resumed(Ticket.Sla s, OffsetDateTime at);

    /** @param kind intervention or exchange */
    Ticket.Sla onSiteDecided(Ticket.Sla s, String contract, String kind, OffsetDateTime at);

    Ticket.Sla quoteAccepted(Ticket.Sla s, OffsetDateTime at);

    Ticket.Sla onSiteDone(Ticket.Sla s, OffsetDateTime at);

    Ticket.Sla resolved(Ticket.Sla s, OffsetDateTime at);
}
