package com.esii.support.hub.oncall;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.esii.support.hub.sla.Calendars;
import com.esii.support.hub.util.Sql;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * What the operations alerts ({@code k8s/monitoring/}) need to know about the desk:
 * <ul>
 * <li>{@code hub_support_desk_open}: 1 while the desk's calendar ({@code hub.sla.calendar}: days, hours, public
 * holidays, in {@code hub.sla.zone}) is open, else 0, so that a rule can say "during business hours" without
 * redoing the calendar in PromQL;</li>
 * <li>{@code hub_take_charge_breaches_total}: take-charge deadlines breached so far (the watchdog's
 * {@code deadline-breached} history entries);</li>
 * <li>{@code hub_take_charge_breached_tickets}: tickets whose deadline was breached and that nobody has taken in
 * charge or resolved yet.</li>
 * </ul>
 * The two counts are read from the database (the same on every replica), at most once every
 * {@code hub.oncall.desk-metrics-refresh} (10 s); while the database cannot be read they keep their last value.
 */
@ApplicationScoped
public class DeskMetrics {

    private final Sql db;
    private final Calendars calendars;
    private final Clock clock;
    private final long refreshMillis;
    private final AtomicReference<Snapshot> last = new AtomicReference<>(new Snapshot(0, 0, 0));

    private record Snapshot(long at, long breaches, long breachedOpen) {
    }

    public DeskMetrics(DataSource ds, Calendars calendars, Clock clock, OnCallConfig config) {
        this.db = new Sql(ds);
        this.calendars = calendars;
        this.clock = clock;
        this.refreshMillis = config.deskMetricsRefresh().toMillis();
    }

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        Gauge.builder("hub.support.desk.open", this, m -> m.open() ? 1 : 0)
                .description("1 while the support desk's calendar is open (business hours), else 0")
                .register(registry);
        FunctionCounter.builder("hub.take.charge.breaches", this, m -> m.snapshot().breaches())
                .description("Take-charge deadlines breached")
                .register(registry);
        Gauge.builder("hub.take.charge.breached.tickets", this, m -> m.snapshot().breachedOpen())
                .description("Tickets past their take-charge deadline, not yet taken in charge nor resolved")
                .register(registry);
    }

    boolean open() {
        return calendars.desk().isOpen(clock.instant());
    }

    private Snapshot snapshot() {
        Snapshot s = last.get();
        long now = System.currentTimeMillis();
        if (now - s.at() > refreshMillis) {
            try {
                s = new Snapshot(now,
                        count("SELECT count(*) FROM ticket_event WHERE type = ?"),
                        count("SELECT count(*) FROM ticket t WHERE t.taken_in_charge_at IS NULL AND t.resolved_at IS NULL"
                                + " AND t.status NOT IN ('RESOLVED', 'CLOSED') AND EXISTS (SELECT 1 FROM ticket_event e"
                                + " WHERE e.ticket_id = t.id AND e.type = ?)"));
                last.set(s);
            } catch (RuntimeException e) {
                // the database is away: the last figures stand (a counter must not fail the whole scrape)
            }
        }
        return s;
    }

    private long count(String sql) {
        return db.one("count the take-charge breaches", sql, rs -> rs.getLong(1), TakeChargeWatchdog.BREACHED)
                .orElseThrow();
    }
}
