package com.esii.support.hub.ticket;

/**
 * What the subscribers of one ticket event write, written together (a core port: the outbox implements it). The
 * intake fires {@link TicketEvent.Opened} through it, so that the rows its subscribers queue (the JSM request and
 * its note, the ERP record, the acknowledgement...) reach the database in as few statements as their needs allow,
 * within the same transaction, before {@code fire} returns (issue 29).
 */
public interface WritesTogether {

    /** Runs {@code fire}; what its subscribers queue meanwhile on this thread is written before this returns. */
    void together(Runnable fire);
}
