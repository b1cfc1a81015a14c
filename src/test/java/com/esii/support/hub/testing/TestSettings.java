package com.esii.support.hub.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Settings that make failures visible quickly in tests (short backoff), nothing else. */
public class TestSettings implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_PASSWORD = "test-admin-password";

    /** Where mail over hub.mail.max-size is spooled: one directory per test JVM. */
    public static final java.nio.file.Path SPOOL_DIRECTORY = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
            "hub-test-spool-" + ProcessHandle.current().pid());

    static {
        // the hub deletes each spooled mail once it is stored: the directory is left empty
        Runtime.getRuntime().addShutdownHook(new Thread(() -> SPOOL_DIRECTORY.toFile().delete()));
    }

    @Override
    public Map<String, String> start() {
        return Map.ofEntries(
                Map.entry("hub.outbox.backoff-initial", "200ms"),
                Map.entry("hub.outbox.backoff-max", "1s"),
                Map.entry("hub.outbox.max-attempts", "5"),
                Map.entry("hub.outbox.alert-after", "3s"),
                Map.entry("hub.outbox.poll-interval-ms", "200"),
                Map.entry("hub.oncall.desk-metrics-refresh", "300ms"),
                Map.entry("hub.rate-limit.per-minute", "600"),
                Map.entry("hub.rate-limit.burst", "50"),
                Map.entry("hub.admin.password", ADMIN_PASSWORD),
                // 10 failed admin logins at once, then one every 2.4 hours: no attempt comes back during a test
                Map.entry("hub.admin.failed-login-window", "24h"),
                Map.entry("quarkus.log.category.\"com.atlassian.oai\".level", "WARN"),
                Map.entry("hub.mail.max-size", String.valueOf(2 * 1024 * 1024)),
                // this test JVM's own: MailSpoolFullTest fills it up
                Map.entry("hub.mail.spool-directory", SPOOL_DIRECTORY.toString()),
                Map.entry("quarkus.http.proxy.proxy-address-forwarding", "true"),
                Map.entry("quarkus.http.proxy.allow-x-forwarded", "true"),
                Map.entry("quarkus.http.proxy.trusted-proxies", "127.0.0.1"));
    }

    @Override
    public void stop() {
    }
}
