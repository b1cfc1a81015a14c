package com.esii.support.hub.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.LedgerException;

/**
 * The brochure's yearly figures, for any range: tickets, average time to take charge, on-site interventions,
 * standard exchanges, workshop repairs, escalations to R&D and time spent, from the ledger and the activity
 * journal (so they exist whether or not an ERP is connected).
 */
@ApplicationScoped
public class SupportFigures {

    /** The figures of a range. {@code averageTakeChargeMinutes}: wall-clock minutes, null when none was taken. */
    public record Support(int tickets, int takenInCharge, Double averageTakeChargeMinutes, int onSiteInterventions,
            int exchanges, int workshopRepairs, int escalations, int answeredCallsRecorded, long minutesSpent,
            int quotesRequired) {
    }

    private final DataSource ds;

    public SupportFigures(DataSource ds) {
        this.ds = ds;
    }

    public Support of(OffsetDateTime start, OffsetDateTime end) {
        int tickets = 0;
        int taken = 0;
        long takeSeconds = 0;
        Map<String, Long> activities = new HashMap<>();
        long minutes = 0;
        int quotes = 0;
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT created_at, taken_in_charge_at FROM ticket WHERE created_at >= ? AND created_at < ?")) {
                ps.setObject(1, start);
                ps.setObject(2, end);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tickets++;
                        OffsetDateTime taken0 = rs.getObject(2, OffsetDateTime.class);
                        if (taken0 != null) {
                            taken++;
                            takeSeconds += Math.max(0, Duration.between(rs.getObject(1, OffsetDateTime.class), taken0)
                                    .toSeconds());
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT activity, COUNT(*), SUM(minutes),"
                    + " SUM(CASE WHEN quote_required THEN 1 ELSE 0 END) FROM erp_record"
                    + " WHERE occurred_at >= ? AND occurred_at < ? GROUP BY activity")) {
                ps.setObject(1, start);
                ps.setObject(2, end);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        activities.put(rs.getString(1), rs.getLong(2));
                        if ("time-spent".equals(rs.getString(1))) {
                            minutes += rs.getLong(3);
                        }
                        if (rs.getString(1).endsWith("-decided")) {
                            quotes += rs.getInt(4);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not compute the support figures", e);
        }
        return new Support(tickets, taken, taken == 0 ? null : Math.round(takeSeconds / 60.0 / taken * 10) / 10.0,
                n(activities, "intervention-done"), n(activities, "exchange-done"), n(activities, "workshop-repair"),
                n(activities, "escalated"), n(activities, "call"), minutes, quotes);
    }

    private static int n(Map<String, Long> m, String key) {
        return m.getOrDefault(key, 0L).intValue();
    }
}
