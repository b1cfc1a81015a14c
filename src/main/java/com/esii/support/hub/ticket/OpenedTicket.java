package com.esii.support.hub.ticket;

/**
 * The answer to a new-ticket request: the ticket, and the access token that lets its holder read the ticket's
 * status. {@code replayed} is true when an earlier request with the same Idempotency-Key created it.
 */
public record OpenedTicket(Ticket ticket, String accessToken, boolean replayed) {
}
