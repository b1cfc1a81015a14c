package com.esii.support.hub.mailkit;

import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    /** Whether an automatic mail to an address may be queued: its suppression, and the per-address cap's answer. */
    public record Queueing(Optional<Suppressions.Suppression> suppression, boolean allowed) {
    }

    /**
     * Before a first automatic mail to {@code address} is queued (a new ticket's acknowledgement): whether the address
     * is suppressed ({@link Suppressions#find}) and whether one more mail to it is {@link #allows allowed} now, in one
     * statement (issue 29).
     */
    public Queueing beforeQueueing(String address, OffsetDateTime now) {
        return beforeQueueing(java.util.List.of(address == null ? "" : address), now).get(address == null ? "" : address);
    }

    /**
     * {@link #beforeQueueing(String, OffsetDateTime)} for several addresses in one statement (the email channel asks
     * for a batch's senders before their mails' transactions), by address as given.
     */
    public Map<String, Queueing> beforeQueueing(Collection<String> addresses, OffsetDateTime now) {
        Map<String, Queueing> out = new LinkedHashMap<>();
        List<Object> args = new ArrayList<>();
        args.add(now.minus(config.perAddressWindow()));
        StringBuilder values = new StringBuilder();
        for (String a : new LinkedHashSet<>(addresses)) {
            if (a == null || a.isBlank()) {
                out.put(a, new Queueing(Optional.empty(), true));
                continue;
            }
            values.append(values.length() == 0 ? "" : ", ")
                    .append("(CAST(? AS VARCHAR(320)), CAST(? AS VARCHAR(320)), CAST(? AS VARCHAR(320)))");
            args.add(a);
            args.add(a.toLowerCase(java.util.Locale.ROOT));
            args.add(Sql.typed(MailAddresses.canonical(a), Types.VARCHAR));
        }
        if (values.length() == 0) {
            return out;
        }
        String sql = "SELECT a.x, s.address, s.reason, s.created_at,"
                + " (SELECT count(*) FROM outbox WHERE recipient = a.l AND created_at > ?)"
                + " FROM (VALUES " + values + ") a (x, l, c) LEFT JOIN suppressed_address s ON s.address = a.c";
        db.list("check automatic mails", sql, rs -> {
            String suppressed = rs.getString(2);
            out.put(rs.getString(1), new Queueing(suppressed == null ? Optional.empty()
                    : Optional.of(new Suppressions.Suppression(suppressed, rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class))),
                    rs.getLong(5) < config.perAddress()));
            return true;
        }, args.toArray());
        return out;
    }

    /**
     * What an automatic mail's send-time checks ask of the database: whether its address is suppressed
     * ({@link Suppressions}) and the loop caps' counts before its row, in one statement, asked when first needed
     * (the route's suppression step) and kept for the next (the loop caps' step): issue 29, where each was a
     * statement of its own.
     */
    public Checks checks(OutboxRow row, String address) {
        return new Checks(row, address);
    }

    /** The send-time checks of one mail (see {@link #checks}). */
    public final class Checks {
        private final OutboxRow row;
        private final String address;
        /** Whether the database was asked (once, by the first step that needs the answers). */
        private boolean asked;
        private Optional<Suppressions.Suppression> suppression = Optional.empty();
        private long toAddress;
        private long forTicket;

        private Checks(OutboxRow row, String address) {
            this.row = row;
            this.address = address;
        }

        /** The address's suppression, if any. */
        public Optional<Suppressions.Suppression> suppression() {
            ask();
            return suppression;
        }

        private void ask() {
            if (asked) {
                return;
            }
            String lower = address == null ? null : address.toLowerCase(java.util.Locale.ROOT);
            // each count its own subquery on its own index; the suppression by its key
            String sql = "SELECT s.address, s.reason, s.created_at,"
                    + " (SELECT count(*) FROM outbox WHERE recipient = ? AND created_at > ? AND id < ?"
                    + " AND status <> 'SKIPPED'),"
                    + " (SELECT count(*) FROM outbox WHERE ticket_id = ? AND recipient IS NOT NULL AND created_at > ?"
                    + " AND id < ? AND status <> 'SKIPPED')"
                    + " FROM (SELECT 1 AS one) d LEFT JOIN suppressed_address s ON s.address = ?";
            db.one("check an automatic mail", sql, rs -> {
                String suppressed = rs.getString(1);
                suppression = suppressed == null ? Optional.empty()
                        : Optional.of(new Suppressions.Suppression(suppressed, rs.getString(2),
                                rs.getObject(3, OffsetDateTime.class)));
                toAddress = rs.getLong(4);
                forTicket = rs.getLong(5);
                asked = true;
                return true;
            }, Sql.typed(lower, Types.VARCHAR), row.createdAt().minus(config.perAddressWindow()), row.id(),
                    Sql.typed(row.ticketId(), Types.BIGINT), row.createdAt().minus(config.perTicketWindow()), row.id(),
                    Sql.typed(MailAddresses.canonical(address), Types.VARCHAR)).orElseThrow();
        }
    }

    /**
     * Why the mail of {@code row} to {@code address} must not go, if a cap forbids it: more mails queued before it
     * to the address or for its ticket, within the windows before its own creation, than the caps allow. When it
     * must not, the ticket's history says so and the ticket is flagged.
     */
    public Optional<String> withheld(OutboxRow row, String address, String number, OffsetDateTime now) {
        return withheld(checks(row, address), number, now);
    }

    /** As above, with the mail's checks (asked already by its suppression step, or now). */
    public Optional<String> withheld(Checks checks, String number, OffsetDateTime now) {
        checks.ask();
        OutboxRow row = checks.row;
        String address = checks.address;
        String reason = null;
        String cap = null;
        if (address != null && checks.toAddress >= config.perAddress()) {
            cap = "address";
            reason = "more than " + config.perAddress() + " automatic mails to " + address + " in "
                    + config.perAddressWindow();
        } else if (row.ticketId() != null && checks.forTicket >= config.perTicket()) {
            cap = "ticket";
            reason = "more than " + config.perTicket() + " automatic mails for the ticket in " + config.perTicketWindow();
        }
        if (reason == null) {
            return Optional.empty();
        }
        metrics.counter("hub.mail.loop.capped", "cap", cap).increment();
        if (row.ticketId() != null) {
            String detail = row.type() + " to " + address + " not sent: " + reason;
            withheld.recordNow(row.ticketId(), FLAG, detail, row.mayHaveReachedTarget(), now);
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
