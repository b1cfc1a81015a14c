package com.esii.support.hub.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address: {@code burst} requests at once, refilled at {@code perMinute} per minute
 * (or {@code count} per period). Per replica; behind a load balancer each replica holds its own buckets.
 */
public class RateLimiter {

    private static final int MAX_CLIENTS = 100_000;

    private final double capacity;
    private final double refillPerNano;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    public RateLimiter(int perMinute, int burst, LongSupplier nanoTime) {
        this(Math.max(1, burst), Math.max(1, perMinute) / 60e9, nanoTime);
    }

    private RateLimiter(double capacity, double refillPerNano, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.refillPerNano = refillPerNano;
        this.nanoTime = nanoTime;
    }

    /** {@code count} at once, coming back at {@code count} per {@code period}. */
    public static RateLimiter perPeriod(int count, java.time.Duration period, LongSupplier nanoTime) {
        int n = Math.max(1, count);
        return new RateLimiter(n, n / (double) Math.max(1, period.toNanos()), nanoTime);
    }

    /** Seconds until {@code client} may take one (0: now), without taking it. */
    public long waitFor(String client) {
        Bucket b = buckets.get(client);
        if (b == null) {
            return 0;
        }
        synchronized (b) {
            double tokens = refilled(b, nanoTime.getAsLong());
            return tokens >= 1 ? 0 : seconds(tokens);
        }
    }

    /** Takes one token for {@code client}; returns 0 when allowed, else the seconds to wait. */
    public long acquire(String client) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_CLIENTS) {
            buckets.entrySet().removeIf(e -> refilled(e.getValue(), now) >= capacity);
        }
        Bucket b = buckets.computeIfAbsent(client, k -> new Bucket(capacity, now));
        synchronized (b) {
            b.tokens = refilled(b, now);
            b.at = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return seconds(b.tokens);
        }
    }

    private long seconds(double tokens) {
        return Math.max(1, (long) Math.ceil((1 - tokens) / refillPerNano / 1e9));
    }

    private double refilled(Bucket b, long now) {
        return Math.min(capacity, b.tokens + (now - b.at) * refillPerNano);
    }
}
