package com.esii.support.hub.oncall;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.Ticket;

/**
 * Where the watchdog's and the paging's steps will be recorded in the ERP, once the ERP activity records exist
 * (they are being built apart). Called inside the transaction that records the step on the ticket: the ERP record
 * should be queued in the outbox there, so that it is written once. Today it records nothing.
 */
@ApplicationScoped
public class ErpActivityHook {

    /**
     * @param type   the step, as in the ticket's history (deadline-warning-50, deadline-breached, paged...)
     * @param detail what staff read
     */
    public void record(Ticket ticket, String type, String detail, OffsetDateTime at) {
        // No ERP activity records yet: plug the outbox row of the ERP activity here.
    }
}
