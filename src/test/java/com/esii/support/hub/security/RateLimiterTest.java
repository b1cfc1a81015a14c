package com.esii.support.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void allowsABurstThenRefillsAtTheRate() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(60, 3, now::get); // one a second, three at once
        assertEquals(0, limiter.acquire("a"));
        assertEquals(0, limiter.acquire("a"));
        assertEquals(0, limiter.acquire("a"));
        long wait = limiter.acquire("a");
        assertEquals(1, wait);
        assertEquals(0, limiter.acquire("b"), "another client has its own bucket");
        now.addAndGet(1_000_000_000L);
        assertEquals(0, limiter.acquire("a"));
        assertTrue(limiter.acquire("a") > 0);
    }

    @Test
    void countsPerPeriodAndTellsTheWaitWithoutTakingOne() {
        AtomicLong now = new AtomicLong();
        RateLimiter failures = RateLimiter.perPeriod(3, java.time.Duration.ofMinutes(3), now::get); // 3, then 1 a minute
        assertEquals(0, failures.waitFor("a"), "a client never seen may go");
        for (int i = 0; i < 3; i++) {
            assertEquals(0, failures.waitFor("a"));
            assertEquals(0, failures.acquire("a"));
        }
        assertEquals(60, failures.waitFor("a"));
        assertEquals(60, failures.waitFor("a"), "asking takes nothing");
        now.addAndGet(30_000_000_000L);
        assertEquals(30, failures.waitFor("a"));
        now.addAndGet(30_000_000_000L);
        assertEquals(0, failures.waitFor("a"));
        assertEquals(0, failures.acquire("a"));
        assertEquals(60, failures.waitFor("a"));
        assertEquals(0, failures.waitFor("b"));
    }
}
