package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * On-site interventions as planned (implemented by the on-site edge): what the request page, the mailbox, the ERP
 * records and the dashboard ask of the planning, without knowing it.
 */
public interface Visits {

    /**
     * A ticket's intervention as it stands.
     *
     * @param status        proposed (to staff), invited (customer and technician invited), accepted (the customer
     *                      accepted), declined (being planned again), cancelled, done
     * @param worker        who goes (technician or partner company)
     * @param workerKind    technician or partner
     * @param travelMinutes the estimated travel, null when it could not be computed
     * @param department    the site's department (34, 2A, 974), null when the postcode is unknown
     * @param onTime        whether it starts before the on-site deadline (null: no deadline)
     */
    record Visit(long ticketId, String ticketNumber, String status, String worker, String workerKind,
            OffsetDateTime startsAt, OffsetDateTime endsAt, Integer travelMinutes, String address, String postcode,
            String town, String department, String region, int sequence, Boolean onTime) {
    }

    /** The customer's answer, from the request page or a calendar's reply. */
    enum Answer {
        ACCEPTED, DECLINED
    }

    /** The ticket's current intervention (the last one planned), if any. */
    Optional<Visit> current(long ticketId);

    /**
     * The customer accepts the intervention, or asks for another slot (which brings a new proposal).
     *
     * @return false when there is no intervention waiting for the customer's answer
     */
    boolean answer(long ticketId, Answer answer, String comment, String source);

    /**
     * A calendar's reply to one of the hub's invitations (iMIP REPLY or COUNTER, as received): applied to its
     * intervention, or kept and recorded when it names none. Never opens a ticket.
     *
     * @return a line for the log: what the reply did
     */
    String calendarReply(String calendar, String from);

    /** The interventions planned to start in [from, to), for the figures. */
    List<Visit> between(OffsetDateTime from, OffsetDateTime to);
}
