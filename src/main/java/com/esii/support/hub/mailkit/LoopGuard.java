package com.esii.support.hub.mailkit;

import java.time.OffsetDateTime;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.util.Sql;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The loop caps ({@code hub.mail.loop.*}), applied to every automatic mail the hub sends to a customer
 * (acknowledgements, notices, staff replies, the too-large answer) when it is about to be sent: at most
 * {@code per-address} mails to one address per {@code per-address-window}, and {@code per-ticket} mails for one
 * ticket per {@code per-ticket-window}. Counted over the outbox rows queued before the one being sent (so a retry
 * gets the same answer). A withheld mail is written in the ticket's history ({@link WithheldMail}), the ticket is
 * flagged {@code LOOP_CAPPED}, and {@code hub_mail_loop_capped_total{cap}} counts it.
 */
@ApplicationScoped
public class LoopGuard {

    private static final Logger LOG = Logger.getLogger(LoopGuard.class);
    public static final String FLAG = "LOOP_CAPPED";

    private final Sql db;
    private final MailConfig.Loop config;
    private final MeterRegistry metrics;
    private final WithheldMail withheld;

    public LoopGuard(DataSource ds, MailConfig config, MeterRegistry metrics, WithheldMail withheld) {
        this.db = new Sql(ds);
        this.config = config.loop();
        this.metrics = metrics;
        this.withheld = withheld;
    }

    /** Whether one more automatic mail may be queued now to this address (and, when given, for this ticket). */
    public boolean allows(String address, Long ticketId, OffsetDateTime now) {
        if (address != null && count("SELECT count(*) FROM outbox WHERE recipient = ? AND created_at > ?",
                address.toLowerCase(java.util.Locale.ROOT), now.minus(config.perAddressWindow())) >= config.perAddress()) {
            return false;
        }
        return ticketId == null || count("SELECT count(*) FROM outbox WHERE ticket_id = ? AND recipient IS NOT NULL"
                + " AND created_at > ?", ticketId, now.minus(config.perTicketWindow())) < config.perTicket();
    }

    /**
     * Why the mail of {@code row} to {@code address} must not go, if a cap forbids it: more mails queued before it
     * to the address or for its ticket, within the windows before its own creation, than the caps allow. When it
     * must not, the ticket's history says so and the ticket is flagged.
     */
    public Optional<String> withheld(OutboxRow row, String address, String number, OffsetDateTime now) {
        String reason = null;
        String cap = null;
        // both caps counted in one statement (each its own subquery on its own index)
        String toAddress = "SELECT count(*) FROM outbox WHERE recipient = ? AND created_at > ? AND id < ?"
                + " AND status <> 'SKIPPED'";
        String forTicket = "SELECT count(*) FROM outbox WHERE ticket_id = ? AND recipient IS NOT NULL AND created_at > ?"
                + " AND id < ? AND status <> 'SKIPPED'";
        Object[] addressArgs = { address == null ? null : address.toLowerCase(java.util.Locale.ROOT),
                row.createdAt().minus(config.perAddressWindow()), row.id() };
        Object[] ticketArgs = { row.ticketId(), row.createdAt().minus(config.perTicketWindow()), row.id() };
        long[] counts;
        if (address != null && row.ticketId() != null) {
            Object[] args = new Object[6];
            System.arraycopy(addressArgs, 0, args, 0, 3);
            System.arraycopy(ticketArgs, 0, args, 3, 3);
            counts = db.one("count automatic mails", "SELECT (" + toAddress + "), (" + forTicket + ")",
                    rs -> new long[] { rs.getLong(1), rs.getLong(2) }, args).orElseThrow();
        } else {
            counts = new long[] { address == null ? 0 : count(toAddress, addressArgs),
                    row.ticketId() == null ? 0 : count(forTicket, ticketArgs) };
        }
        if (address != null && counts[0] >= config.perAddress()) {
            cap = "address";
            reason = "more than " + config.perAddress() + " automatic mails to " + address + " in "
                    + config.perAddressWindow();
        } else if (row.ticketId() != null && counts[1] >= config.perTicket()) {
            cap = "ticket";
            reason = "more than " + config.perTicket() + " automatic mails for the ticket in " + config.perTicketWindow();
        }
        if (reason == null) {
            return Optional.empty();
        }
        metrics.counter("hub.mail.loop.capped", "cap", cap).increment();
        if (row.ticketId() != null) {
            String detail = row.type() + " to " + address + " not sent: " + reason;
            withheld.recordNow(row.ticketId(), FLAG, detail, now);
        }
        MDC.put("ticket", number == null ? "" : number);
        LOG.warnf("Loop cap tripped for %s (%s cap): %s not sent", address, cap, row.type());
        return Optional.of(reason);
    }

    /** Flags the ticket LOOP_CAPPED (in the caller's transaction). */
    public void flag(long ticketId) {
        withheld.flag(ticketId, FLAG);
    }

    private long count(String sql, Object... args) {
        return db.one("count automatic mails", sql, rs -> rs.getLong(1), args).orElseThrow();
    }
}
