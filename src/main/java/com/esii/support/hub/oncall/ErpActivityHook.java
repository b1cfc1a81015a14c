package com.esii.support.hub.oncall;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.ActivityJournal;
import com.esii.support.hub.ticket.Ticket;

/**
 * The watchdog's and the paging's steps (deadline warnings, breach, pages, acknowledgements) as ERP activity
 * records, queued in the transaction that records the step on the ticket (so, once: the step's history row and its
 * record commit together; the record's key is the ticket, the step and its sequence).
 */
@ApplicationScoped
public class ErpActivityHook {

    private final ActivityJournal records;

    public ErpActivityHook(ActivityJournal records) {
        this.records = records;
    }

    /**
     * @param type   the step, as in the ticket's history (deadline-warning-50, deadline-breached, paged...)
     * @param detail what staff read
     */
    public void record(Ticket ticket, String type, String detail, OffsetDateTime at) {
        records.record(ticket, type, detail, null, null, at, at);
    }
}
