package com.esii.support.hub.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import com.esii.support.hub.ticket.TicketEvent;

/**
 * Wakes the relay as soon as a transaction that recorded a ticket event commits (a new ticket, a message, a step, a
 * re-triage): the rows its subscribers queued are performed at once, not at the next sweep. Nothing happens on a
 * rollback.
 */
@ApplicationScoped
public class WakeAfterCommit {

    private final OutboxRelay relay;

    public WakeAfterCommit(OutboxRelay relay) {
        this.relay = relay;
    }

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) TicketEvent e) {
        relay.wake();
    }
}
