package com.esii.support.hub.mailkit;

import java.time.OffsetDateTime;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.util.Sql;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * An automatic mail to a customer that the hub did not send is written in its ticket's history
 * ({@value #EVENT}), and the ticket may be flagged for staff: {@link LoopGuard#FLAG} when a loop cap withheld it,
 * {@value #NOT_ACKNOWLEDGED} when a new ticket got no acknowledgement (nobody the hub can answer, or a suppressed
 * address).
 */
@ApplicationScoped
public class WithheldMail {

    /** The history event of a mail not sent. */
    public static final String EVENT = "mail-withheld";
    /** The flag of a ticket whose customer got no acknowledgement. */
    public static final String NOT_ACKNOWLEDGED = "NOT_ACKNOWLEDGED";

    private final Sql db;
    private final TicketLedger ledger;

    public WithheldMail(DataSource ds, TicketLedger ledger) {
        this.db = new Sql(ds);
        this.ledger = ledger;
    }

    /** Written in the caller's transaction (at intake: with the ticket, or not at all). */
    public void recordWithin(long ticketId, String flag, String detail, OffsetDateTime now) {
        if (flag != null) {
            flag(ticketId, flag);
        }
        ledger.insertEvent(ticketId, new TicketLedger.Event(EVENT, detail, "hub", now));
    }

    /**
     * Written in a transaction of its own (when an outbox row is performed: it stands whatever the row does next).
     * {@code claimedBefore}: the row was claimed before, and its replica may have died after writing this (such a
     * mail is marked done with the relay's other rows): then it is written only if the ticket's history does not
     * say it already.
     */
    public void recordNow(long ticketId, String flag, String detail, boolean claimedBefore, OffsetDateTime now) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (claimedBefore && ledger.hasEvent(ticketId, EVENT, detail)) {
                return;
            }
            recordWithin(ticketId, flag, detail, now);
        });
    }

    /** Adds a flag to the ticket's flags, once (in the caller's transaction). */
    public void flag(long ticketId, String flag) {
        db.update("flag ticket " + ticketId, "UPDATE ticket SET flags = CASE WHEN flags IS NULL THEN ? WHEN flags LIKE ?"
                + " THEN flags ELSE flags || ',' || ? END WHERE id = ?", flag, "%" + flag + "%", flag, ticketId);
    }
}
