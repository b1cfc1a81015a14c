package com.esii.support.hub.stats;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.stats.DashboardReport.Column;
import com.esii.support.hub.stats.DashboardReport.Kind;
import com.esii.support.hub.stats.DashboardReport.Row;
import com.esii.support.hub.stats.DashboardReport.Section;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.Visits;

/**
 * Gathers the managers' dashboard's figures for a period, month by month and in total, from the figures
 * {@code /api/stats} serves ({@link PeriodFigures}, {@link SupportFigures}, {@link CallFigures},
 * {@link HostedAvailability}), and the customers' ratings ({@link SatisfactionFigures}).
 */
@ApplicationScoped
public class Dashboard {

    private final PeriodFigures figures;
    private final HostedAvailability hosted;
    private final Clock clock;
    private final Visits visits;
    private final SatisfactionFigures satisfaction;

    public Dashboard(PeriodFigures figures, HostedAvailability hosted, Clock clock,
            Visits visits, SatisfactionFigures satisfaction) {
        this.satisfaction = satisfaction;
        this.visits = visits;
        this.figures = figures;
        this.hosted = hosted;
        this.clock = clock;
    }

    /** The default period: the last 12 months, this one included, up to today. */
    public LocalDate[] defaultPeriod() {
        LocalDate today = figures.today();
        return new LocalDate[] { today.withDayOfMonth(1).minusMonths(11), today };
    }

    /** The on-site interventions planned to start within the period (its days, in the figures' zone). */
    public List<Visits.Visit> interventions(LocalDate first, LocalDate last) {
        ZoneId zone = hosted.zone();
        return visits.between(first.atStartOfDay(zone).toOffsetDateTime(),
                last.plusDays(1).atStartOfDay(zone).toOffsetDateTime());
    }

    public DashboardReport report(LocalDate first, LocalDate last) {
        PeriodFigures.Stats stats = figures.of(first, last, PeriodFigures.Unit.MONTH);
        List<PeriodFigures.Period> periods = new ArrayList<>(stats.periods());
        periods.add(new PeriodFigures.Period(first, last, stats.calls(), stats.tickets(), stats.support()));
        List<Section> sections = new ArrayList<>();

        List<String> channels = Arrays.stream(Channel.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
        List<Column> ticketColumns = new ArrayList<>(channels.stream().map(c -> new Column(c, Kind.COUNT)).toList());
        ticketColumns.add(new Column("total", Kind.COUNT));
        sections.add(section("tickets", ticketColumns, periods, p -> {
            List<Object> v = new ArrayList<>(channels.stream().map(c -> (Object) p.tickets().byChannel().get(c)).toList());
            v.add(p.tickets().total());
            return v;
        }));

        // the take-charge time by the quarter and the half of the commitment: under 1h, 1h-2h, 2h-4h, over 4h
        long c = stats.support().takeCharge().commitmentMinutes();
        sections.add(section("take-charge", columns(Kind.COUNT, "committed", "under-" + duration(c / 4),
                duration(c / 4) + "-" + duration(c / 2), duration(c / 2) + "-" + duration(c), "over-" + duration(c),
                "overdue", "pending", "breaches", "on-time-rate"), periods, p -> {
                    SupportFigures.TakeCharge t = p.support().takeCharge();
                    return values(t.committed(), t.upToQuarter(), t.upToHalf(), t.upToCommitment(), t.late(),
                            t.overdue(), t.pending(), t.breaches(), t.onTimeRate());
                }));

        sections.add(section("on-site", columns(Kind.COUNT, "committed", "on-time", "late", "overdue", "pending",
                "breaches", "on-time-rate"), periods, p -> {
                    SupportFigures.OnSite o = p.support().onSite();
                    return values(o.committed(), o.onTime(), o.late(), o.overdue(), o.pending(), o.breaches(),
                            o.onTimeRate());
                }));

        sections.add(section("activities", columns(Kind.COUNT, "interventions", "exchanges", "workshop-repairs",
                "escalations"), periods, p -> values(p.support().onSiteInterventions(), p.support().exchanges(),
                        p.support().workshopRepairs(), p.support().escalations())));

        List<Column> callColumns = columns(Kind.COUNT, "total", "answered", "abandoned", "voicemail", "abandoned-rate",
                "average-answer-seconds");
        callColumns.set(5, new Column("average-answer-seconds", Kind.SECONDS));
        sections.add(section("calls", callColumns, periods, p -> values(p.calls().total(), p.calls().answered(),
                p.calls().abandoned(), p.calls().voicemail(), p.calls().abandonedRate(),
                p.calls().averageAnswerSeconds())));

        // the customers' "how did we do?" (issue 26.11), by the month each rating was given
        ZoneId zone = figures.zone();
        List<Column> ratings = List.of(new Column("average", Kind.SCORE), new Column("count", Kind.COUNT));
        sections.add(section("satisfaction", ratings, periods, p -> {
            SatisfactionFigures.Ratings r = satisfaction.of(p.start().atStartOfDay(zone).toOffsetDateTime(),
                    p.end().plusDays(1).atStartOfDay(zone).toOffsetDateTime());
            return values(r.average(), r.count());
        }));

        sections.add(availability(periods));
        return new DashboardReport(first, last, stats.zone(), new DashboardReport.Commitments(c,
                stats.support().onSite().commitmentMinutes(), hosted.commitmentPercent()), sections);
    }

    /** Each hosted customer's rows: its months, then the period. */
    private Section availability(List<PeriodFigures.Period> periods) {
        ZoneId zone = hosted.zone();
        OffsetDateTime now = OffsetDateTime.now(clock);
        Map<String, List<Row>> byCustomer = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        List<HostedAvailability.Range> ranges = new ArrayList<>();
        for (PeriodFigures.Period p : periods) {
            ranges.add(hosted.of(p.start().atStartOfDay(zone).toOffsetDateTime(),
                    p.end().plusDays(1).atStartOfDay(zone).toOffsetDateTime(), now));
        }
        // the customers known by the end of the period, named as they were then
        for (HostedAvailability.Customer c : ranges.get(ranges.size() - 1).customers()) {
            byCustomer.put(c.customer(), new ArrayList<>());
            names.put(c.customer(), c.name());
        }
        for (int i = 0; i < periods.size(); i++) {
            PeriodFigures.Period p = periods.get(i);
            Map<String, HostedAvailability.Customer> known = new LinkedHashMap<>();
            ranges.get(i).customers().forEach(c -> known.put(c.customer(), c));
            for (Map.Entry<String, List<Row>> e : byCustomer.entrySet()) {
                HostedAvailability.Customer c = known.get(e.getKey());
                // not known as hosted yet in that month: nothing to measure
                List<Object> v = c == null ? values(null, null, null, null)
                        : values(c.availabilityPercent(), c.downtimeMinutes(), c.budgetMinutes(), c.commitmentMet());
                e.getValue().add(new Row(period(p, i == periods.size() - 1), p.start(), p.end(), e.getKey(),
                        names.get(e.getKey()), v));
            }
        }
        List<Row> rows = new ArrayList<>();
        byCustomer.values().forEach(rows::addAll);
        return new Section("availability", List.of(new Column("availability-percent", Kind.PERCENT),
                new Column("downtime-minutes", Kind.MINUTES), new Column("budget-minutes", Kind.MINUTES),
                new Column("commitment-met", Kind.YES_NO)), rows);
    }

    private static Section section(String key, List<Column> columns, List<PeriodFigures.Period> periods,
            Function<PeriodFigures.Period, List<Object>> values) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < periods.size(); i++) {
            PeriodFigures.Period p = periods.get(i);
            rows.add(new Row(period(p, i == periods.size() - 1), p.start(), p.end(), null, null, values.apply(p)));
        }
        return new Section(key, columns, rows);
    }

    private static String period(PeriodFigures.Period p, boolean total) {
        return total ? DashboardReport.TOTAL : YearMonth.from(p.start()).toString();
    }

    /** Columns of one kind, but a key ending in {@code -rate} is a rate. */
    private static List<Column> columns(Kind kind, String... keys) {
        List<Column> out = new ArrayList<>();
        for (String k : keys) {
            out.add(new Column(k, k.endsWith("-rate") ? Kind.RATE : kind));
        }
        return out;
    }

    /** 240 → 4h, 30 → 30min, 90 → 1h30. */
    static String duration(long minutes) {
        if (minutes % 60 == 0) {
            return minutes / 60 + "h";
        }
        return minutes < 60 ? minutes + "min" : minutes / 60 + "h" + String.format(Locale.ROOT, "%02d", minutes % 60);
    }

    private static List<Object> values(Object... v) {
        return new ArrayList<>(Arrays.asList(v));
    }
}
