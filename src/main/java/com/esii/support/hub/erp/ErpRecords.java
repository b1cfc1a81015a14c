package com.esii.support.hub.erp;

import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.function.LongConsumer;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.ticket.Step;
import com.esii.support.hub.ticket.ActivityJournal;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.Visits;
import com.esii.support.hub.ticket.TicketEvent;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.util.AfterCompletion;
import com.esii.support.hub.util.Sql;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The journal of support activity (ticket opened, taken in charge, escalated, intervention or exchange decided
 * and done, workshop repair, time spent, call, closed), one row per activity with its idempotency key
 * ({@code <ticket>/<activity>/<sequence or reference>}), written in the caller's transaction. Each row is sent to
 * the ERP through the outbox (lane per ticket: in order) when an ERP is configured; the journal is also what the
 * support figures are computed from. A ticket's opening and support's steps are recorded from the ticket's
 * events; other activities (escalation, time spent, calls, the watchdog's steps) by the integrations that see them.
 */
@ApplicationScoped
public class ErpRecords implements ActivityJournal {

    public static final String TYPE = "erp-record";

    /**
     * The outbox payload: which journal row to send, by its key ({@code record}, its id, in rows written before
     * issue 29: the row's id was known only after its insert, and the row then had to be told its outbox row).
     */
    public record Payload(Long record, String key, Written written) {

        public Payload(Long record, String key) {
            this(record, key, null);
        }
    }

    /**
     * The record as written, carried by its row (issue 29): the row's first claim sends it without reading the record
     * back (nothing can have sent it before: only this row's route marks it sent); a later claim reads the record,
     * as rows without it do.
     */
    public record Written(Long ticketId, String customerCode, String activity, boolean quoteRequired, String detail,
            Long minutes, OffsetDateTime occurredAt) {
    }

    /** A journal row. */
    public record Row(long id, String key, Long ticketId, String customerCode, String activity, boolean quoteRequired, String detail,
            Long minutes, OffsetDateTime occurredAt, Long outboxId, OffsetDateTime sentAt, String state,
            String lastError) {
    }

    private final Sql db;
    private final Outbox outbox;
    private final ErpClient erp;
    private final ErpConfig config;
    private final MeterRegistry metrics;
    private final Visits visits;
    private final jakarta.transaction.TransactionSynchronizationRegistry transactions;

    public ErpRecords(DataSource ds, Outbox outbox, ErpClient erp, ErpConfig config, MeterRegistry metrics,
            Visits visits, jakarta.transaction.TransactionSynchronizationRegistry transactions) {
        this.visits = visits;
        this.transactions = transactions;
        this.db = new Sql(ds);
        this.outbox = outbox;
        this.erp = erp;
        this.config = config;
        this.metrics = metrics;
    }

    /** The ticket's first record, after its JSM request and before the on-call side's (paged...). */
    void onOpened(@Observes @Priority(200) TicketEvent.Opened e) {
        Ticket t = e.ticket();
        // the ticket was opened in this very transaction: no record of it can exist yet (nothing to look for)
        insert(t.number() + "/opened/1", t.id(), t.number(), "opened", "channel "
                + t.channel().name().toLowerCase(Locale.ROOT) + "; " + TicketIntake.describe(t), null, false, e.at(),
                e.at(), null, true);
    }

    /** The activity record a step makes (the brochure: all support activity is traced in the ERP). */
    void onStep(@Observes TicketEvent.StepRecorded e) {
        Ticket before = e.before();
        Ticket.Sla s = e.ticket().sla();
        String activity = switch (e.step()) {
            case TAKEN_IN_CHARGE -> before.sla() == null || before.sla().takenInChargeAt() == null ? "taken-in-charge" : null;
            case ON_SITE_DECIDED -> s.onSiteKind() + "-decided";
            case ON_SITE_DONE -> s.onSiteKind() + "-done";
            case QUOTE_ACCEPTED -> "quote-accepted";
            case WORKSHOP_REPAIRED -> "workshop-repair";
            case SERVICE_RESTORED -> "service-restored";
            case RESOLVED -> "closed";
            case REOPENED -> "reopened";
            default -> null;
        };
        String detail = e.note();
        Long minutes = null;
        if (e.step() == Step.ON_SITE_DONE) {
            // the intervention as planned: who went, the travel, the slot (staff record when it was done)
            Optional<Visits.Visit> v = visits.current(e.ticket().id());
            if (v.isPresent() && v.get().worker() != null && v.get().startsAt() != null) {
                Visits.Visit visit = v.get();
                // the time spent: travel there and back plus the slot on site
                minutes = (visit.travelMinutes() == null ? 0L : 2L * visit.travelMinutes())
                        + java.time.Duration.between(visit.startsAt(), visit.endsAt()).toMinutes();
                detail = (detail == null ? "" : detail + "; ") + "by " + visit.worker() + " (" + visit.workerKind()
                        + "), travel " + (visit.travelMinutes() == null ? "unknown" : visit.travelMinutes() + " min")
                        + " each way, on site " + visit.startsAt() + " to " + visit.endsAt() + " as planned";
            }
        }
        if (activity != null) {
            record(e.ticket(), activity, detail, minutes, s.quoteRequired() && s.quoteAcceptedAt() == null
                    && (e.step() == Step.ON_SITE_DECIDED || e.step() == Step.ON_SITE_DONE), null, e.at());
        }
    }

    /**
     * Records an activity of a ticket (once per reference: a repeated reference is ignored).
     *
     * @param ref what makes this activity unique (a Jira worklog id...), or null for "the next one"
     */
    public void record(Ticket t, String activity, String detail, Long minutes, boolean quoteRequired, String ref,
            OffsetDateTime at) {
        record(t, activity, detail, minutes, quoteRequired, ref, at, at);
    }

    /**
     * As {@link #record(Ticket, String, String, Long, boolean, String, OffsetDateTime)}, for an activity that
     * happened before it is recorded ({@code occurredAt}: a call, recorded when its last segment came): the figures
     * count it in the period it happened in.
     */
    public void record(Ticket t, String activity, String detail, Long minutes, boolean quoteRequired, String ref,
            OffsetDateTime occurredAt, OffsetDateTime now) {
        String key = t.number() + "/" + activity + "/" + (ref != null ? ref : String.valueOf(count(t.id(), activity) + 1));
        insert(key, t.id(), t.number(), activity, detail, minutes, quoteRequired, occurredAt, now, null, false);
    }

    @Override
    public void record(Ticket t, String activity, String detail, Long minutes, String ref, OffsetDateTime occurredAt,
            OffsetDateTime now) {
        record(t, activity, detail, minutes, false, ref, occurredAt, now);
    }

    /** Records an activity of a customer that belongs to no ticket (a call about nothing open), which happened then. */
    @Override
    public void recordForCustomer(String key, String customerCode, String activity, String detail, Long minutes,
            OffsetDateTime occurredAt, OffsetDateTime now) {
        insert(key, null, "customer:" + customerCode, activity, detail, minutes, false, occurredAt, now, customerCode,
                false);
    }

    /**
     * Records an activity once per key ({@code fresh}: the caller knows no record of it can exist, nothing is looked
     * up), with its outbox row when records are sent: the row first, naming the record by its key, so that the
     * record is written once, knowing its row.
     */
    private void insert(String key, Long ticketId, String lane, String activity, String detail, Long minutes,
            boolean quote, OffsetDateTime at, OffsetDateTime now, String customerCode, boolean fresh) {
        if (!fresh && exists(key)) {
            return;
        }
        // kept as the database keeps it (UTC, microseconds), so that the row's copy and the record say the same
        OffsetDateTime occurred = at.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        String kept = detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 999) + "…";
        LongConsumer written = row -> write(key, ticketId, activity, kept, minutes, quote, occurred,
                now, customerCode, row);
        if (config.records() && erp.configured()) {
            // the record written once its row is (with a new ticket's other rows: Outbox.together)
            outbox.add(TYPE, "erp:" + lane, ticketId, new Payload(null, key, new Written(ticketId, customerCode,
                    activity, quote, kept, minutes, occurred)), now, written);
        } else {
            write(key, ticketId, activity, kept, minutes, quote, occurred, now, customerCode, null);
        }
    }

    private void write(String key, Long ticketId, String activity, String detail, Long minutes, boolean quote,
            OffsetDateTime at, OffsetDateTime now, String customerCode, Long row) {
        update("INSERT INTO erp_record (idem_key, ticket_id, activity, quote_required, detail, minutes, occurred_at,"
                + " created_at, customer_code, outbox_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", key,
                Sql.typed(ticketId, Types.BIGINT), activity, quote, Sql.typed(detail, Types.VARCHAR),
                Sql.typed(minutes, Types.BIGINT), at, now, Sql.typed(customerCode, Types.VARCHAR),
                Sql.typed(row, Types.BIGINT));
        counted(activity);
    }

    /** The activity counted once its transaction committed (a batch of mails taken again is not counted twice). */
    private void counted(String activity) {
        Runnable count = () -> metrics.counter("hub.support.activities", "activity", activity).increment();
        if (transactions.getTransactionKey() == null) {
            count.run();
            return;
        }
        AfterCompletion.register(transactions, status -> {
            if (status == jakarta.transaction.Status.STATUS_COMMITTED) {
                count.run();
            }
        });
    }

    /** Marks the record of this key sent (the admin pages' "sent", and a later claim's "nothing to do"). */
    public void markSent(String key, OffsetDateTime at) {
        update("UPDATE erp_record SET sent_at = ? WHERE idem_key = ?", at, key);
    }

    /**
     * The record its row carries, as written (its id and outbox row not known: not read), not sent yet: for the
     * row's first claim only ({@link Written}).
     */
    public Optional<Row> asWritten(Payload p) {
        Written w = p.written();
        if (w == null || p.key() == null) {
            return Optional.empty();
        }
        return Optional.of(new Row(0L, p.key(), w.ticketId(), w.customerCode(), w.activity(), w.quoteRequired(),
                w.detail(), w.minutes(), w.occurredAt(), null, null, "pending", null));
    }

    private boolean exists(String key) {
        return countWhere("SELECT COUNT(*) FROM erp_record WHERE idem_key = ?", key) > 0;
    }

    private long count(long ticketId, String activity) {
        return countWhere("SELECT COUNT(*) FROM erp_record WHERE ticket_id = ? AND activity = ?", ticketId, activity);
    }

    public java.util.Optional<Row> find(long id) {
        List<Row> rows = rows("r.id = ?", 1, id);
        return rows.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(rows.get(0));
    }

    /** The record of an outbox row: by its key, or by its id in rows written before issue 29. */
    public java.util.Optional<Row> find(Payload p) {
        if (p.key() == null) {
            return p.record() == null ? java.util.Optional.empty() : find(p.record());
        }
        List<Row> rows = rows("r.idem_key = ?", 1, p.key());
        return rows.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(rows.get(0));
    }

    /** Rows by state: {@code sent}, {@code pending} (queued, not yet accepted by the ERP), {@code dead}. */
    public List<Row> list(String state, int limit) {
        String where = switch (state.toLowerCase(Locale.ROOT)) {
            case "sent" -> "r.sent_at IS NOT NULL";
            case "dead" -> "r.sent_at IS NULL AND o.status = 'DEAD'";
            case "pending" -> "r.sent_at IS NULL AND (o.status IS NULL OR o.status <> 'DEAD')";
            default -> throw new IllegalArgumentException("state must be sent, pending or dead");
        };
        return rows(where, limit);
    }

    private List<Row> rows(String where, int limit, Object... args) {
        return db.list("read the activity journal", "SELECT r.id, r.idem_key, r.ticket_id, r.customer_code, r.activity,"
                + " r.quote_required, r.detail, r.minutes, r.occurred_at, r.outbox_id, r.sent_at, o.status, o.last_error"
                + " FROM erp_record r LEFT JOIN outbox o ON o.id = r.outbox_id WHERE " + where + " ORDER BY r.id DESC"
                + " LIMIT " + limit, rs -> {
                    String state = rs.getObject(11) != null ? "sent"
                            : "DEAD".equals(rs.getString(12)) ? "dead" : "pending";
                    return new Row(rs.getLong(1), rs.getString(2), (Long) rs.getObject(3), rs.getString(4),
                            rs.getString(5), rs.getBoolean(6), rs.getString(7), (Long) rs.getObject(8),
                            rs.getObject(9, OffsetDateTime.class), (Long) rs.getObject(10),
                            rs.getObject(11, OffsetDateTime.class), state, rs.getString(13));
                }, args);
    }

    private long countWhere(String sql, Object... args) {
        return db.one("read the activity journal", sql, rs -> rs.getLong(1), args).orElse(0L);
    }

    private void update(String sql, Object... args) {
        db.update("write the activity journal", sql, args);
    }
}
