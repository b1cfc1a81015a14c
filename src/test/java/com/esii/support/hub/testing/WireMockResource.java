package com.esii.support.hub.testing;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock serving {@code mocks/} (the simulated ERP, JSM and Jira R&D) on a free port, for every
 * {@code @QuarkusTest}. Tests add their own stubs (failures, delays) and call {@link #reset()} afterwards, which
 * brings back the mappings of {@code mocks/} and forgets the requests seen.
 */
public class WireMockResource implements QuarkusTestResourceLifecycleManager {

    public static final String ERP_USER = "hub-api@example.com";
    public static final String ERP_PASSWORD = "test-erp-password";
    public static final String JIRA_EMAIL = "hub-bot@example.com";
    public static final String JIRA_TOKEN = "test-jira-api-token";
    public static final String WEBHOOK_SECRET = "test-webhook-secret";

    private static WireMockServer server;

    public static synchronized WireMockServer server() {
        return server;
    }

    /**
     * Removes the stubs tests added (one by one: the mappings of {@code mocks/} are never absent, not even for a
     * moment, so that the hub's background work never meets an empty simulator), the scenarios' states and the
     * requests seen.
     */
    public static synchronized void reset() {
        for (com.github.tomakehurst.wiremock.stubbing.StubMapping m : server.getStubMappings()) {
            if (!defaults.contains(m.getId())) {
                server.removeStub(m);
            }
        }
        server.resetScenarios();
        server.resetRequests();
    }

    private static java.util.Set<java.util.UUID> defaults = java.util.Set.of();

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(FreePorts.next())
                .usingFilesUnderClasspath("mocks").containerThreads(20).jettyAcceptors(1));
        JiraContracts.load(); // before the hub's first request: reading the contracts takes a few seconds
        server.addMockServiceRequestListener((request, response) -> JiraContracts.check(request));
        server.start();
        defaults = server.getStubMappings().stream().map(com.github.tomakehurst.wiremock.stubbing.StubMapping::getId)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        String url = "http://127.0.0.1:" + server.port();
        return Map.ofEntries(
                Map.entry("hub.jira.url", url),
                Map.entry("hub.jira.email", JIRA_EMAIL),
                Map.entry("hub.jira.token", JIRA_TOKEN),
                Map.entry("hub.jira.webhook-secret", WEBHOOK_SECRET),
                Map.entry("hub.jira.timeout", "1s"),
                Map.entry("hub.jira.lost-answer-wait", "1s"),
                Map.entry("hub.jira.reconcile-interval", "1h"),
                Map.entry("hub.erp.url", url),
                Map.entry("hub.erp.user", ERP_USER),
                Map.entry("hub.erp.password", ERP_PASSWORD),
                Map.entry("hub.erp.timeout", "700ms"),
                Map.entry("hub.erp.pause-after-failure", "300ms"));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
