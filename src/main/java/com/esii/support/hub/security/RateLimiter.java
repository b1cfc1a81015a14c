package com.esii.support.hub.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address: {@code burst} requests at once, refilled at {@code perMinute} per minute.
 * Per replica; behind a load balancer each replica holds its own buckets.
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
        this.capacity = Math.max(1, burst);
        this.refillPerNano = Math.max(1, perMinute) / 60e9;
        this.nanoTime = nanoTime;
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
            return (long) Math.ceil((1 - b.tokens) / refillPerNano / 1e9);
        }
    }

    private double refilled(Bucket b, long now) {
        return Math.min(capacity, b.tokens + (now - b.at) * refillPerNano);
    }
}
