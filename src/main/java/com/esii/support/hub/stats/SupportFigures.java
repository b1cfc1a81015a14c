package com.esii.support.hub.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.sla.SlaConfig;
import com.esii.support.hub.sla.BusinessCalendar;
import com.esii.support.hub.sla.Calendars;
import com.esii.support.hub.util.Sql;

/**
 * The brochure's yearly figures, for any range: tickets, average time to take charge, on-site interventions,
 * standard exchanges, workshop repairs, escalations to R&D and time spent, from the ledger and the activity
 * journal (so they exist whether or not an ERP is connected); and how the two contractual deadlines were kept
 * ({@link TakeCharge}, {@link OnSite}), from the deadlines the hub set on each ticket.
 */
@ApplicationScoped
public class SupportFigures {

    /** The figures of a range. {@code averageTakeChargeMinutes}: wall-clock minutes, null when none was taken. */
    public record Support(int tickets, int takenInCharge, Double averageTakeChargeMinutes, int onSiteInterventions,
            int exchanges, int workshopRepairs, int escalations, int answeredCallsRecorded, long minutesSpent,
            int quotesRequired, TakeCharge takeCharge, OnSite onSite) {
    }

    /**
     * The take-charge commitment ({@code hub.sla.take-charge}, 4 business hours) over the tickets opened in the range
     * that have a take-charge deadline (maintained customers, and customers still unknown, held to the same
     * deadline). A ticket's take-charge time is the business time its contractual clock ran from its opening until it
     * was taken in charge (or resolved, if it never was): business hours of its calendar, time waiting on the customer
     * not counted. Those kept are split by the quarter and the half of the commitment ({@code upToQuarter}: under
     * 1 h, {@code upToHalf}: 1 to 2 h, {@code upToCommitment}: 2 to 4 h); {@code late}: taken after the deadline;
     * {@code overdue}: not taken yet and past the deadline; {@code pending}: not taken yet, within it (or paused
     * before it). Breaches are {@code late + overdue}; {@code onTimeRate} = kept / (kept + breaches), null without any.
     */
    public record TakeCharge(long commitmentMinutes, int committed, int upToQuarter, int upToHalf, int upToCommitment,
            int late, int overdue, int pending, int breaches, Double onTimeRate) {
    }

    /**
     * The on-site commitment ({@code hub.sla.on-site}, 16 business hours) over the interventions and standard
     * exchanges decided in the range with a deadline (none for a customer without maintenance): done by the deadline
     * ({@code onTime}), after it ({@code late}), not done and past it ({@code overdue}), not done and within it
     * ({@code pending}). {@code onTimeRate} = onTime / (onTime + late + overdue), null without any.
     */
    public record OnSite(long commitmentMinutes, int committed, int onTime, int late, int overdue, int pending,
            int breaches, Double onTimeRate) {
    }

    private static final String WHAT = "compute the support figures";

    private final Sql db;
    private final Calendars calendars;
    private final Duration takeCharge;
    private final Duration onSite;
    private final Clock clock;

    public SupportFigures(DataSource ds, Calendars calendars, SlaConfig config, Clock clock) {
        this.db = new Sql(ds);
        this.calendars = calendars;
        this.takeCharge = config.takeCharge();
        this.onSite = config.onSite();
        this.clock = clock;
    }

    public Support of(OffsetDateTime start, OffsetDateTime end) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        int tickets = 0;
        int taken = 0;
        long takeSeconds = 0;
        int[] tc = new int[6]; // upToQuarter, upToHalf, upToCommitment, late, overdue, pending
        int[] os = new int[4]; // onTime, late, overdue, pending
        Map<String, Long> activities = new HashMap<>();
        long minutes = 0;
        int quotes = 0;
        record Opened(OffsetDateTime created, OffsetDateTime taken, OffsetDateTime due, OffsetDateTime resolved,
                OffsetDateTime waitingSince, String calendar) {
        }
        for (Opened t : db.list(WHAT, "SELECT created_at, taken_in_charge_at, take_charge_due, resolved_at,"
                + " waiting_since, calendar FROM ticket WHERE created_at >= ? AND created_at < ?",
                rs -> new Opened(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class),
                        rs.getObject(3, OffsetDateTime.class), rs.getObject(4, OffsetDateTime.class),
                        rs.getObject(5, OffsetDateTime.class), rs.getString(6)), start, end)) {
            tickets++;
            if (t.taken() != null) {
                taken++;
                takeSeconds += Math.max(0, Duration.between(t.created(), t.taken()).toSeconds());
            }
            if (t.due() != null) {
                OffsetDateTime stopped = t.taken() != null ? t.taken() : t.resolved();
                tc[deadline(t.due(), stopped, t.waitingSince(), t.calendar(), takeCharge, now, true)]++;
            }
        }
        for (int outcome : db.list(WHAT, "SELECT on_site_due, on_site_done_at, waiting_since, calendar"
                + " FROM ticket WHERE on_site_decided_at >= ? AND on_site_decided_at < ? AND on_site_due IS NOT NULL",
                rs -> deadline(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class),
                        rs.getObject(3, OffsetDateTime.class), rs.getString(4), onSite, now, false), start, end)) {
            os[outcome <= 2 ? 0 : outcome - 2]++;
        }
        record Activity(String name, long count, long minutes, int quotes) {
        }
        for (Activity a : db.list(WHAT, "SELECT activity, COUNT(*), SUM(minutes),"
                + " SUM(CASE WHEN quote_required THEN 1 ELSE 0 END) FROM erp_record"
                + " WHERE occurred_at >= ? AND occurred_at < ? GROUP BY activity",
                rs -> new Activity(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4)), start, end)) {
            activities.put(a.name(), a.count());
            if ("time-spent".equals(a.name())) {
                minutes += a.minutes();
            }
            if (a.name().endsWith("-decided")) {
                quotes += a.quotes();
            }
        }
        int tcKept = tc[0] + tc[1] + tc[2];
        TakeCharge takeChargeFigures = new TakeCharge(takeCharge.toMinutes(), tcKept + tc[3] + tc[4] + tc[5], tc[0],
                tc[1], tc[2], tc[3], tc[4], tc[5], tc[3] + tc[4], rate(tcKept, tcKept + tc[3] + tc[4]));
        OnSite onSiteFigures = new OnSite(onSite.toMinutes(), os[0] + os[1] + os[2] + os[3], os[0], os[1], os[2], os[3],
                os[1] + os[2], rate(os[0], os[0] + os[1] + os[2]));
        return new Support(tickets, taken, taken == 0 ? null : Math.round(takeSeconds / 60.0 / taken * 10) / 10.0,
                n(activities, "intervention-done"), n(activities, "exchange-done"), n(activities, "workshop-repair"),
                n(activities, "escalated"), n(activities, "call"), minutes, quotes, takeChargeFigures, onSiteFigures);
    }

    /**
     * Where a deadline stands: 0, 1, 2 kept (within a quarter, a half, the whole of the commitment, when
     * {@code split}; else 0), 3 late, 4 overdue, 5 pending. The business time used is the commitment less what was
     * left of it when the clock stopped: the deadline already carries the pauses and the calendar.
     */
    private int deadline(OffsetDateTime due, OffsetDateTime stopped, OffsetDateTime waitingSince, String calendar,
            Duration commitment, OffsetDateTime now, boolean split) {
        if (stopped == null) {
            boolean pausedBeforeDue = waitingSince != null && waitingSince.isBefore(due);
            return !pausedBeforeDue && now.isAfter(due) ? 4 : 5;
        }
        if (stopped.isAfter(due)) {
            return 3;
        }
        if (!split) {
            return 0;
        }
        BusinessCalendar cal = calendars.named(calendar);
        Duration used = commitment.minus(cal.between(stopped.toInstant(), due.toInstant()));
        if (used.compareTo(commitment.dividedBy(4)) < 0) {
            return 0;
        }
        return used.compareTo(commitment.dividedBy(2)) < 0 ? 1 : 2;
    }

    private static Double rate(int part, int whole) {
        return whole == 0 ? null : BigDecimal.valueOf((double) part / whole).setScale(4, RoundingMode.HALF_UP).doubleValue();
    }

    private static int n(Map<String, Long> m, String key) {
        return m.getOrDefault(key, 0L).intValue();
    }
}
