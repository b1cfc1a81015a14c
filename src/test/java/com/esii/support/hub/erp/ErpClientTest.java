package com.esii.support.hub.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.smallrye.config.SmallRyeConfigBuilder;

/** Divalto's token: kept for its life less a minute, renewed before it ends and on a 401; a dead ERP is paused. */
class ErpClientTest {

    static WireMockServer server;

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-26T09:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    MovableClock clock;
    ErpClient erp;

    @BeforeAll
    static void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void fresh() {
        server.resetAll();
        stubs();
        clock = new MovableClock();
        erp = new ErpClient(config(server.port()), new ObjectMapper(), clock);
    }

    /** The ERP's settings at their defaults, with an ERP on {@code port} of this machine (5 s timeout). */
    static ErpConfig config(int port) {
        return new SmallRyeConfigBuilder().withMapping(ErpConfig.class)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValue("hub.erp.url", "http://127.0.0.1:" + port)
                .withDefaultValue("hub.erp.user", "api@example.com")
                .withDefaultValue("hub.erp.password", "erp-secret")
                .withDefaultValue("hub.erp.timeout", "5s")
                .build().getConfigMapping(ErpConfig.class);
    }

    static void stubs() {
        server.stubFor(post(urlPathEqualTo("/api/v1/Authent/Auth")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":0,\"access_token\":\"token-{{randomValue length=6 type='NUMERIC'}}\"}")
                .withTransformers("response-template")));
        server.stubFor(post(urlPathEqualTo("/api/v1/WebService/Execute")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"error\":0,\"result\":\"{\\\"ok\\\":true}\"}")));
    }

    int logins() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/api/v1/Authent/Auth"))).size();
    }

    @Test
    void theTokenIsKeptForItsLifeAndRenewedBeforeItEnds() {
        assertTrue(erp.execute("A", Map.of()).path("ok").asBoolean());
        erp.execute("A", Map.of());
        assertEquals(1, logins(), "one login for both calls");
        clock.now = clock.now.plus(Duration.ofMinutes(43));
        erp.execute("A", Map.of());
        assertEquals(1, logins(), "still valid after 43 minutes");
        clock.now = clock.now.plus(Duration.ofMinutes(1).plusSeconds(1));
        erp.execute("A", Map.of());
        assertEquals(2, logins(), "renewed a minute before the 45 minutes");
        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/Authent/Auth"))
                .withRequestBody(equalTo("{\"user\":\"api@example.com\",\"password\":\"erp-secret\",\"infos\":\"\"}")));
    }

    @Test
    void aRefusedTokenIsRenewedOnceAndTheCallRetried() {
        erp.execute("A", Map.of());
        server.stubFor(post(urlPathEqualTo("/api/v1/WebService/Execute")).atPriority(1).inScenario("expired")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(401)).willSetStateTo("ok"));
        assertTrue(erp.execute("A", Map.of()).path("ok").asBoolean());
        assertEquals(2, logins());
    }

    @Test
    void aFailingErpIsPausedThenAskedAgain() {
        server.stubFor(post(urlPathEqualTo("/api/v1/WebService/Execute")).atPriority(1).willReturn(aResponse().withStatus(500)));
        assertThrows(ErpUnavailableException.class, () -> erp.execute("A", Map.of()));
        int calls = server.getAllServeEvents().size();
        ErpUnavailableException paused = assertThrows(ErpUnavailableException.class, () -> erp.execute("A", Map.of()));
        assertTrue(paused.getMessage().contains("not asked until"), paused.getMessage());
        assertEquals(calls, server.getAllServeEvents().size(), "not asked during the pause");
        server.resetMappings();
        stubs();
        clock.now = clock.now.plus(Duration.ofSeconds(31));
        assertTrue(erp.execute("A", Map.of()).path("ok").asBoolean());
    }

    @Test
    void anErpErrorIsARefusalWithItsText() {
        server.stubFor(post(urlPathEqualTo("/api/v1/WebService/Execute")).atPriority(1).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"error\":3,\"txterr\":\"Action inconnue\"}")));
        ErpRefusedException e = assertThrows(ErpRefusedException.class, () -> erp.execute("A", Map.of()));
        assertTrue(e.getMessage().contains("Action inconnue"));
        assertTrue(!e.getMessage().contains("erp-secret"));
    }
}
