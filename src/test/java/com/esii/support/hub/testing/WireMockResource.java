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

    private static WireMockServer server;

    public static synchronized WireMockServer server() {
        return server;
    }

    public static void reset() {
        server().resetToDefaultMappings();
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(FreePorts.next())
                .usingFilesUnderClasspath("mocks").containerThreads(20).jettyAcceptors(1));
        server.start();
        return Map.of(
                "hub.erp.url", "http://127.0.0.1:" + server.port(),
                "hub.erp.user", ERP_USER,
                "hub.erp.password", ERP_PASSWORD,
                "hub.erp.timeout", "700ms",
                "hub.erp.pause-after-failure", "300ms");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
