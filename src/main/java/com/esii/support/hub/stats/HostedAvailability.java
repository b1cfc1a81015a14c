package com.esii.support.hub.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.config.HubConfig;
import com.esii.support.hub.ticket.LedgerException;

/**
 * The monthly availability of customers' hosted systems against the commitment ({@code hub.sla.hosted-availability},
 * 99.6 %): the downtime of a hosted customer is the union of its blocking incidents, each from the ticket's opening
 * to the service's restoration as recorded (the {@code service-restored} step, else the resolution; an incident
 * still open counts up to now), clipped to the month. The budget is what the commitment allows in that month.
 */
@ApplicationScoped
public class HostedAvailability {

    public record Incident(String ticket, OffsetDateTime from, OffsetDateTime to, boolean ongoing) {
    }

    public record Customer(String customer, long downtimeMinutes, double availabilityPercent, long budgetMinutes,
            long remainingBudgetMinutes, boolean commitmentMet, List<Incident> incidents) {
    }

    public record Month(String month, double commitmentPercent, long minutesInMonth, List<Customer> customers) {
    }

    private final DataSource ds;
    private final double commitment;
    private final ZoneId zone;

    public HostedAvailability(DataSource ds, HubConfig config) {
        this.ds = ds;
        this.commitment = config.sla().hostedAvailability();
        this.zone = ZoneId.of(config.sla().zone());
    }

    public Month of(YearMonth month, OffsetDateTime now) {
        OffsetDateTime start = month.atDay(1).atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime end = month.plusMonths(1).atDay(1).atStartOfDay(zone).toOffsetDateTime();
        long minutes = Duration.between(start, end).toMinutes();
        Map<String, List<Incident>> byCustomer = new TreeMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT number, customer_code, created_at, COALESCE(restored_at, resolved_at) FROM ticket"
                        + " WHERE hosted = TRUE AND criticality = 'BLOCKING' AND customer_code IS NOT NULL"
                        + " AND created_at < ? AND (COALESCE(restored_at, resolved_at) IS NULL"
                        + " OR COALESCE(restored_at, resolved_at) > ?)")) {
            ps.setObject(1, end);
            ps.setObject(2, start);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime to = rs.getObject(4, OffsetDateTime.class);
                    byCustomer.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(new Incident(rs.getString(1),
                            rs.getObject(3, OffsetDateTime.class), to == null ? now : to, to == null));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not compute the hosted availability", e);
        }
        long budget = Math.round(minutes * (100.0 - commitment) / 100.0);
        List<Customer> customers = new ArrayList<>();
        byCustomer.forEach((customer, incidents) -> {
            long down = downtime(incidents, start, end.isAfter(now) ? now : end);
            double availability = Math.round((1.0 - (double) down / minutes) * 1_000_000) / 10_000.0;
            customers.add(new Customer(customer, down, availability, budget, budget - down, down <= budget, incidents));
        });
        return new Month(month.toString(), commitment, minutes, customers);
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
