package com.esii.support.hub.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Settings that make failures visible quickly in tests (short backoff), nothing else. */
public class TestSettings implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_PASSWORD = "test-admin-password";

    @Override
    public Map<String, String> start() {
        return Map.of(
                "hub.outbox.backoff-initial", "200ms",
                "hub.outbox.backoff-max", "1s",
                "hub.outbox.max-attempts", "5",
                "hub.outbox.poll-interval-ms", "200",
                "hub.rate-limit.per-minute", "600",
                "hub.rate-limit.burst", "50",
                "hub.admin.password", ADMIN_PASSWORD,
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
    }

    @Override
    public void stop() {
    }
}
