package com.esii.support.hub.ticket;

/**
 * The answer to a new-ticket request: the ticket, and the access token that lets its holder read the ticket's
 * status. {@code replayed} is true when an earlier request created it (the same Idempotency-Key, or the same web
 * form content within its window); the token of a replay is null when the request did not bring the secret it was
 * kept sealed under (see {@link IdempotencyKey}).
 */
public record OpenedTicket(Ticket ticket, String accessToken, boolean replayed) {
}
