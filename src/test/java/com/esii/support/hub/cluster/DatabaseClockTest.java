package com.esii.support.hub.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/**
 * The database's clock is read from the database at most once per {@link DatabaseClock#RESYNC} and counted on this
 * replica's monotonic clock in between (issue 29: the relay read it six to seven times per ticket), a reading dated
 * at the middle of its round trip.
 */
class DatabaseClockTest {

    /** A database whose clock says {@link #time} and that answers after {@link #delayMs}; it counts the readings. */
    static final class FakeDatabase {
        final AtomicInteger readings = new AtomicInteger();
        final AtomicReference<OffsetDateTime> time = new AtomicReference<>(
                OffsetDateTime.of(2026, 12, 5, 9, 0, 0, 0, ZoneOffset.UTC));
        volatile long delayMs;
        volatile boolean away;

        DataSource dataSource() {
            ResultSet rs = proxy(ResultSet.class, (name, args) -> switch (name) {
                case "next" -> true;
                case "getObject" -> time.get();
                default -> null;
            });
            PreparedStatement ps = proxy(PreparedStatement.class, (name, args) -> {
                if (name.equals("executeQuery")) {
                    if (away) {
                        throw new SQLException("connection refused", "08001");
                    }
                    readings.incrementAndGet();
                    Thread.sleep(delayMs); // the round trip
                    return rs;
                }
                return null;
            });
            Connection c = proxy(Connection.class, (name, args) -> name.equals("prepareStatement") ? ps : null);
            return proxy(DataSource.class, (name, args) -> name.equals("getConnection") ? c : null);
        }

        interface Answer {
            Object answer(String method, Object[] args) throws Exception;
        }

        @SuppressWarnings("unchecked")
        static <T> T proxy(Class<T> type, Answer answer) {
            return (T) Proxy.newProxyInstance(DatabaseClockTest.class.getClassLoader(), new Class<?>[] { type },
                    (p, m, args) -> m.getName().equals("close") ? null : answer.answer(m.getName(), args));
        }
    }

    @Test
    void oneReadingServesASecondAndTheTimeBetweenIsCountedOnTheMonotonicClock() throws Exception {
        FakeDatabase db = new FakeDatabase();
        DatabaseClock clock = new DatabaseClock(db.dataSource());
        OffsetDateTime first = clock.now();
        Thread.sleep(30);
        OffsetDateTime second = clock.now();
        assertEquals(1, db.readings.get(), "read once within a second");
        long elapsedMs = Duration.between(first, second).toMillis();
        assertTrue(elapsedMs >= 30 && elapsedMs < 1000, "the time between counted on this replica: " + elapsedMs);
        assertFalse(second.isBefore(first));
    }

    @Test
    void itIsReadAgainOnceTheReadingIsOlderThanTheResyncAndFollowsTheDatabase() {
        FakeDatabase db = new FakeDatabase();
        DatabaseClock clock = new DatabaseClock(db.dataSource(), Duration.ZERO);
        clock.now();
        db.time.set(db.time.get().plusHours(1)); // the database's clock was set forward
        OffsetDateTime after = clock.now();
        assertEquals(2, db.readings.get());
        assertTrue(!after.isBefore(db.time.get()), "the new reading, not the old one counted on: " + after);
    }

    @Test
    void aReadingIsDatedAtTheMiddleOfItsRoundTrip() {
        FakeDatabase db = new FakeDatabase();
        db.delayMs = 400;
        DatabaseClock clock = new DatabaseClock(db.dataSource());
        long t0 = System.nanoTime();
        OffsetDateTime now = clock.now();
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        long aheadMs = Duration.between(db.time.get(), now).toMillis();
        // the database said its time somewhere in the round trip: half of it has passed since, on average
        assertTrue(aheadMs >= 200 && aheadMs <= tookMs, "ahead of the reading by " + aheadMs + " ms of " + tookMs);
    }

    @Test
    void aDatabaseThatCannotBeReadIsAnError() {
        FakeDatabase db = new FakeDatabase();
        db.away = true;
        DatabaseClock clock = new DatabaseClock(db.dataSource());
        IllegalStateException e = assertThrows(IllegalStateException.class, clock::now);
        assertTrue(e.getMessage().contains("Could not read the database's clock"));
    }
}
