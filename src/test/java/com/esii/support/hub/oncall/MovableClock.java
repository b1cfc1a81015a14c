package com.esii.support.hub.oncall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.inject.Singleton;

/**
 * The hub's clock in every test application (it takes the place of util.ClockProducer's default bean): the real
 * time, unless a test sets it to a chosen instant, from which it runs on at the pace of the wall clock (so that
 * Quartz's delays still pass). A test that moves it puts it back after each test ({@link #reset()}).
 */
@Singleton
public class MovableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    public void set(Instant now) {
        offset = Duration.between(Instant.now(), now);
    }

    /** Time passes by {@code d} at once (then runs on at the wall clock's pace). */
    public void advance(Duration d) {
        offset = offset.plus(d);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), offset);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
