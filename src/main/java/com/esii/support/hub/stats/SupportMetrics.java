package com.esii.support.hub.stats;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.esii.support.hub.sla.SlaConfig;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The brochure's figures for the current month (Paris time) as gauges, {@code hub_support_month{figure=...}}, read
 * from the database when scraped (at most every 30 s), so that every replica reports the same figures.
 */
@ApplicationScoped
public class SupportMetrics {

    private final SupportFigures figures;
    private final Clock clock;
    private final ZoneId zone;
    private final AtomicReference<Snapshot> last = new AtomicReference<>(new Snapshot(0, null));

    private record Snapshot(long at, SupportFigures.Support figures) {
    }

    public SupportMetrics(SupportFigures figures, Clock clock, SlaConfig config) {
        this.figures = figures;
        this.clock = clock;
        this.zone = ZoneId.of(config.zone());
    }

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        Map<String, ToDoubleFunction<SupportFigures.Support>> gauges = Map.of(
                "tickets", SupportFigures.Support::tickets,
                "taken_in_charge", SupportFigures.Support::takenInCharge,
                "average_take_charge_minutes",
                s -> s.averageTakeChargeMinutes() == null ? Double.NaN : s.averageTakeChargeMinutes(),
                "on_site_interventions", SupportFigures.Support::onSiteInterventions,
                "exchanges", SupportFigures.Support::exchanges,
                "workshop_repairs", SupportFigures.Support::workshopRepairs,
                "escalations", SupportFigures.Support::escalations,
                "minutes_spent", s -> s.minutesSpent());
        gauges.forEach((name, f) -> Gauge.builder("hub.support.month", this, m -> m.value(f))
                .description("Support figures of the current month").tag("figure", name).register(registry));
    }

    double value(ToDoubleFunction<SupportFigures.Support> f) {
        Snapshot s = last.get();
        long now = System.currentTimeMillis();
        if (s.figures() == null || now - s.at() > 30_000) {
            try {
                YearMonth month = YearMonth.now(clock.withZone(zone));
                s = new Snapshot(now, figures.of(month.atDay(1).atStartOfDay(zone).toOffsetDateTime(),
                        OffsetDateTime.now(clock).plusSeconds(1)));
                last.set(s);
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }
        return f.applyAsDouble(s.figures());
    }
}
