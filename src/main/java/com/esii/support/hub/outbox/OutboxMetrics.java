package com.esii.support.hub.outbox;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * {@code hub_outbox_rows{state=...}}: the outbox by state, read from the database when scraped (at most once
 * every two seconds), so that every replica reports the same, shared figures.
 */
@ApplicationScoped
public class OutboxMetrics {

    private final Outbox outbox;
    private final AtomicReference<Snapshot> last = new AtomicReference<>(new Snapshot(0, Map.of()));

    private record Snapshot(long at, Map<OutboxStatus, Long> counts) {
    }

    public OutboxMetrics(Outbox outbox) {
        this.outbox = outbox;
    }

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        for (OutboxStatus s : OutboxStatus.values()) {
            Gauge.builder("hub.outbox.rows", this, m -> m.count(s))
                    .description("Outbox rows by state")
                    .tag("state", s.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
    }

    double count(OutboxStatus status) {
        Snapshot s = last.get();
        long now = System.currentTimeMillis();
        if (now - s.at() > 2000) {
            try {
                s = new Snapshot(now, outbox.countByStatus());
                last.set(s);
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }
        return s.counts().getOrDefault(status, 0L);
    }
}
