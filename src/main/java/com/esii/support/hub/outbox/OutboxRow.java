package com.esii.support.hub.outbox;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

import com.esii.support.hub.ticket.Ticket;

/**
 * One side effect waiting to be performed, or performed, or given up on. {@code attempts} counts the claims of the
 * current retry budget (a replay starts it again), {@code claims} every claim ever. {@code ticket}: the row's
 * ticket as the relay read it right after claiming the row, with the tickets of the other rows of the same look
 * ({@link Outbox#withTickets}), and {@code participants} the ticket's ({@code ticket.Participants}) read with it;
 * both null when not read (a row without a ticket, a row listed rather than claimed).
 */
public record OutboxRow(
        long id,
        String type,
        String lane,
        Long ticketId,
        String payload,
        OutboxStatus status,
        int attempts,
        OffsetDateTime nextAttemptAt,
        String lastError,
        OffsetDateTime createdAt,
        OffsetDateTime doneAt,
        int claims,
        Ticket ticket,
        Set<String> participants) {

    /** A row as the table holds it, its ticket not read. */
    public OutboxRow(long id, String type, String lane, Long ticketId, String payload, OutboxStatus status,
            int attempts, OffsetDateTime nextAttemptAt, String lastError, OffsetDateTime createdAt,
            OffsetDateTime doneAt, int claims) {
        this(id, type, lane, ticketId, payload, status, attempts, nextAttemptAt, lastError, createdAt, doneAt, claims,
                null, null);
    }

    /**
     * True when an earlier claim of this row may have reached the target (a replica died, a timeout, a replay):
     * before creating anything, the handler asks the target whether it already holds the write.
     */
    public boolean mayHaveReachedTarget() {
        return claims > 1;
    }

    /**
     * The row's ticket as the relay read it when it claimed the row, if it is the ticket numbered {@code number}:
     * a handler uses it instead of reading the ticket again, and reads it itself when empty (issue 29).
     */
    public Optional<Ticket> ticket(String number) {
        return ticket != null && ticket.number().equals(number) ? Optional.of(ticket) : Optional.empty();
    }

    /** As {@link #ticket(String)}, for a handler that knows its ticket by id. */
    public Optional<Ticket> ticket(long id) {
        return ticket != null && ticket.id() == id ? Optional.of(ticket) : Optional.empty();
    }

    /** The participants of ticket {@code id} as the relay read them with the row's ticket, if it did. */
    public Optional<Set<String>> participants(long id) {
        return ticket != null && ticket.id() == id && participants != null ? Optional.of(participants)
                : Optional.empty();
    }

    /** The row, its ticket named by its number only (a log line does not need the customer's details). */
    @Override
    public String toString() {
        return "OutboxRow[id=" + id + ", type=" + type + ", lane=" + lane + ", ticketId=" + ticketId + ", status="
                + status + ", attempts=" + attempts + ", claims=" + claims
                + (ticket == null ? "" : ", ticket=" + ticket.number()) + "]";
    }

    /** This row with its ticket, as read by the relay. */
    OutboxRow withTicket(Ticket t, Set<String> ps) {
        return new OutboxRow(id, type, lane, ticketId, payload, status, attempts, nextAttemptAt, lastError, createdAt,
                doneAt, claims, t, ps);
    }
}
