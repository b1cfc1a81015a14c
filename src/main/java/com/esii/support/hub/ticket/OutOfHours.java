package com.esii.support.hub.ticket;

import java.time.ZonedDateTime;
import java.util.Optional;


/**
 * What the acknowledgement says of a ticket written while the desk is closed: when the desk will take it in
 * charge, or that the on-call technician was paged. The on-call side knows (the desk's hours, whether the ticket
 * pages someone) and implements it.
 */
public interface OutOfHours {

    /**
     * For a ticket written while its desk is closed and that pages nobody: when the desk opens again and takes it
     * in charge, in the desk's zone. Empty otherwise.
     */
    Optional<ZonedDateTime> takenInChargeFrom(Ticket t);

    /** Whether the on-call technician was paged for this ticket. */
    boolean paged(Ticket t);

    /**
     * What {@link #paged} will answer for good, when it is already known, asked in the transaction that opens the
     * ticket (by the subscribers of {@link TicketEvent.Opened} that come after the on-call side's): empty when a page
     * may still come, or when not known here (then ask {@link #paged} when it matters).
     */
    Optional<Boolean> pagedForGood(Ticket t);
}
