package com.esii.support.hub.stats;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.sla.SlaConfig;
import com.esii.support.hub.util.Sql;

/**
 * The availability of customers' hosted systems against the commitment ({@code hub.sla.hosted-availability},
 * 99.6 % of each month): the downtime of a hosted customer is the union of its blocking incidents, each from the
 * ticket's opening to the service's restoration as recorded (the {@code service-restored} step, else the
 * resolution; an incident still open counts up to now), clipped to the period. The budget is what the commitment
 * allows in that period. Every customer the hub knew as hosted by the end of the period (from its tickets' triage) is
 * listed, at 100 % when it had no incident; its name is the company given on its latest ticket up to then.
 */
@ApplicationScoped
public class HostedAvailability {

    public record Incident(String ticket, OffsetDateTime from, OffsetDateTime to, boolean ongoing) {
    }

    public record Customer(String customer, String name, long downtimeMinutes, double availabilityPercent,
            long budgetMinutes, long remainingBudgetMinutes, boolean commitmentMet, List<Incident> incidents) {
    }

    public record Month(String month, double commitmentPercent, long minutesInMonth, List<Customer> customers) {
    }

    /** The figures of [start, end). */
    public record Range(OffsetDateTime start, OffsetDateTime end, double commitmentPercent, long minutes,
            List<Customer> customers) {
    }

    private static final String WHAT = "compute the hosted availability";

    private final Sql db;
    private final double commitment;
    private final ZoneId zone;

    public HostedAvailability(DataSource ds, SlaConfig config) {
        this.db = new Sql(ds);
        this.commitment = config.hostedAvailability();
        this.zone = ZoneId.of(config.zone());
    }

    public double commitmentPercent() {
        return commitment;
    }

    public ZoneId zone() {
        return zone;
    }

    public Month of(YearMonth month, OffsetDateTime now) {
        Range r = of(month.atDay(1).atStartOfDay(zone).toOffsetDateTime(),
                month.plusMonths(1).atDay(1).atStartOfDay(zone).toOffsetDateTime(), now);
        return new Month(month.toString(), r.commitmentPercent(), r.minutes(), r.customers());
    }

    public Range of(OffsetDateTime start, OffsetDateTime end, OffsetDateTime now) {
        long minutes = Duration.between(start, end).toMinutes();
        Map<String, List<Incident>> byCustomer = new TreeMap<>();
        Map<String, String> names = new HashMap<>();
        for (String[] customer : db.list(WHAT, "SELECT customer_code, customer_company FROM ticket WHERE hosted = TRUE"
                + " AND customer_code IS NOT NULL AND created_at < ? ORDER BY created_at DESC",
                rs -> new String[] { rs.getString(1), rs.getString(2) }, end)) {
            byCustomer.putIfAbsent(customer[0], new ArrayList<>());
            String company = customer[1];
            if (company != null && !company.isBlank()) {
                names.putIfAbsent(customer[0], company.strip());
            }
        }
        db.list(WHAT, "SELECT number, customer_code, created_at, COALESCE(restored_at, resolved_at) FROM ticket"
                + " WHERE hosted = TRUE AND criticality = 'BLOCKING' AND customer_code IS NOT NULL"
                + " AND created_at < ? AND (COALESCE(restored_at, resolved_at) IS NULL"
                + " OR COALESCE(restored_at, resolved_at) > ?)", rs -> {
                    OffsetDateTime to = rs.getObject(4, OffsetDateTime.class);
                    return Map.entry(rs.getString(2), new Incident(rs.getString(1), rs.getObject(3, OffsetDateTime.class),
                            to == null ? now : to, to == null));
                }, end, start).forEach(e -> byCustomer.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        long budget = Math.round(minutes * (100.0 - commitment) / 100.0);
        List<Customer> customers = new ArrayList<>();
        byCustomer.forEach((customer, incidents) -> {
            long down = downtime(incidents, start, end.isAfter(now) ? now : end);
            double availability = Math.round((1.0 - (double) down / minutes) * 1_000_000) / 10_000.0;
            customers.add(new Customer(customer, names.get(customer), down, availability, budget, budget - down,
                    down <= budget, incidents));
        });
        return new Range(start, end, commitment, minutes, customers);
    }

    /** Minutes covered by the union of the incidents, within [start, end). */
    static long downtime(List<Incident> incidents, OffsetDateTime start, OffsetDateTime end) {
        List<Incident> sorted = new ArrayList<>(incidents);
        sorted.sort(Comparator.comparing(Incident::from));
        long total = 0;
        OffsetDateTime coveredUntil = start;
        for (Incident i : sorted) {
            OffsetDateTime a = i.from().isAfter(coveredUntil) ? i.from() : coveredUntil;
            OffsetDateTime b = i.to().isBefore(end) ? i.to() : end;
            if (b.isAfter(a)) {
                total += Duration.between(a, b).toSeconds();
                coveredUntil = b;
            }
        }
        return Math.round(total / 60.0);
    }
}
