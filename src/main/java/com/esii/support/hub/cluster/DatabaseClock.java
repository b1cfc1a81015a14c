package com.esii.support.hub.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import javax.sql.DataSource;

/**
 * The database's clock: what leases, outbox claims and retry times are compared with, so that replicas whose own
 * clocks disagree still agree on who holds what. It is read from the database ({@code SELECT CURRENT_TIMESTAMP}) at
 * most once per {@link #RESYNC}; in between, the time since that reading is counted on this replica's monotonic clock
 * ({@link System#nanoTime()}), which drifts by microseconds over a second. A reading is dated at the middle of its
 * round trip, so the estimate is off by at most half of that round trip (a millisecond on a local network), far
 * below the leases' seconds. The relay used to read it six to seven times per ticket (issue 29).
 */
public final class DatabaseClock extends Clock {

    /** How long one reading of the database's clock serves. */
    static final Duration RESYNC = Duration.ofSeconds(1);

    private final DataSource ds;
    private final long resyncNanos;
    private volatile Reading last;

    /** One reading: the database's time, and this replica's monotonic time it is dated at. */
    private record Reading(OffsetDateTime at, long nanos) {
    }

    public DatabaseClock(DataSource ds) {
        this(ds, RESYNC);
    }

    /** A clock reading the database at most once per {@code resync} ({@code Duration.ZERO}: at every call). */
    DatabaseClock(DataSource ds, Duration resync) {
        this.ds = ds;
        this.resyncNanos = resync.toNanos();
    }

    @Override
    public Instant instant() {
        return now().toInstant();
    }

    /** The database's current time (read from it at most once per {@link #RESYNC}). */
    public OffsetDateTime now() {
        long t = System.nanoTime();
        Reading r = last;
        if (r == null || t - r.nanos() >= resyncNanos || t < r.nanos()) {
            r = read();
            t = System.nanoTime();
        }
        return r.at().plusNanos(Math.max(0, t - r.nanos()));
    }

    private synchronized Reading read() {
        Reading r = last;
        long t = System.nanoTime();
        if (r != null && t - r.nanos() < resyncNanos && t >= r.nanos()) {
            return r; // another thread read it meanwhile
        }
        long before = System.nanoTime();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT CURRENT_TIMESTAMP");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
            long after = System.nanoTime();
            r = new Reading(at, before + (after - before) / 2);
            last = r;
            return r;
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
