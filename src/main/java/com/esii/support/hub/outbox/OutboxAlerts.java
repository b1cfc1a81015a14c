package com.esii.support.hub.outbox;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;


import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import com.esii.support.hub.cluster.DatabaseClock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.health.api.Wellness;

/**
 * Nothing waits in silence: rows whose target has been failing for longer than {@code hub.outbox.alert-after}
 * ({@code hub_outbox_overdue_rows{type}}), rows held behind a dead row of their lane ({@code hub_outbox_held_rows})
 * and the age of the oldest pending row ({@code hub_outbox_oldest_pending_seconds}, 0 when none is pending) are
 * metrics (the alert rules in {@code k8s/monitoring/} watch them), and the {@code outbox} health check
 * ({@code /q/health/well}, {@code /q/health/group/outbox}) is DOWN while a row is overdue, held or dead.
 * Deliberately not readiness: the replica keeps taking tickets meanwhile.
 * Read from the database (every replica reports the same), at most once every two seconds.
 */
@ApplicationScoped
@Wellness
@HealthGroup("outbox")
public class OutboxAlerts implements HealthCheck {

    private final Outbox outbox;
    private final DatabaseClock dbClock;
    private final OutboxConfig config;
    private final AtomicReference<Snapshot> last = new AtomicReference<>(new Snapshot(0, Map.of(), 0, 0, 0));
    /** The types that have an overdue gauge: the hub's own from the start, any other as soon as it is overdue. */
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;


    /** What an operator must hear about. */
    public record Snapshot(long at, Map<String, Long> overdue, long held, long dead, long oldestPendingSeconds) {
        long overdueTotal() {
            return overdue.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public OutboxAlerts(Outbox outbox, DataSource ds, OutboxConfig config) {
        this.outbox = outbox;
        this.dbClock = new DatabaseClock(ds);
        this.config = config;
    }

    /**
     * The types the edges registered (the routes consuming {@code direct:outbox-<type>}), so that their series read 0
     * before anything fails (alerts need the series); the outbox names none itself.
     */
    void register(@Observes StartupEvent event, MeterRegistry registry, OutboxRoutes routes) {
        Gauge.builder("hub.outbox.held.rows", this, a -> a.snapshot().held())
                .description("Outbox rows held behind a dead row of their lane (waiting for an operator)")
                .register(registry);
        Gauge.builder("hub.outbox.oldest.pending", this, a -> a.snapshot().oldestPendingSeconds())
                .description("Age of the oldest pending outbox row (0: none pending)")
                .baseUnit("seconds")
                .register(registry);
        this.registry = registry;
        routes.types().forEach(this::gaugeOverdue);
    }

    private void gaugeOverdue(String type) {
        MeterRegistry r = registry;
        if (r != null && gauged.add(type)) {
            Gauge.builder("hub.outbox.overdue.rows", this, a -> a.snapshot().overdue().getOrDefault(type, 0L))
                    .description("Outbox rows whose target has been failing for longer than hub.outbox.alert-after")
                    .tag("type", type)
                    .register(r);
        }
    }

    /** The figures, read again when older than two seconds. */
    public Snapshot snapshot() {
        Snapshot s = last.get();
        long nowMs = System.currentTimeMillis();
        if (nowMs - s.at() > 2000) {
            OffsetDateTime dbNow = dbClock.now();
            long oldest = outbox.oldestPending().map(t -> Math.max(0, Duration.between(t, dbNow).toSeconds())).orElse(0L);
            s = new Snapshot(nowMs, outbox.overdue(dbNow.minus(config.alertAfter())), outbox.held(),
                    outbox.countByStatus().getOrDefault(OutboxStatus.DEAD, 0L), oldest);
            last.set(s);
            s.overdue().keySet().forEach(this::gaugeOverdue);
        }
        return s;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("outbox");
        Snapshot s;
        try {
            s = snapshot();
        } catch (RuntimeException e) {
            return b.withData("error", String.valueOf(e.getMessage())).down().build();
        }
        b.withData("deadRows", s.dead()).withData("heldRows", s.held())
                .withData("overdueRows", s.overdueTotal())
                .withData("oldestPendingSeconds", s.oldestPendingSeconds())
                .withData("alertAfter", config.alertAfter().toString());
        s.overdue().forEach((type, n) -> b.withData("overdue." + type, n));
        return s.dead() == 0 && s.held() == 0 && s.overdueTotal() == 0 ? b.up().build() : b.down().build();
    }
}
