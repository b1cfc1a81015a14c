package com.esii.support.hub.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import javax.sql.DataSource;

/**
 * The database's clock: what leases, outbox claims and retry times are compared with, so that replicas whose own
 * clocks disagree still agree on who holds what. Each reading is one {@code SELECT CURRENT_TIMESTAMP} (a sweep or a
 * lease check reads it once).
 */
public final class DatabaseClock extends Clock {

    private final DataSource ds;

    public DatabaseClock(DataSource ds) {
        this.ds = ds;
    }

    @Override
    public Instant instant() {
        return now().toInstant();
    }

    /** The database's current time. */
    public OffsetDateTime now() {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT CURRENT_TIMESTAMP");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the database's clock: " + e.getMessage(), e);
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the database's clock is read in UTC");
    }
}
