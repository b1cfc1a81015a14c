package com.esii.support.hub.oncall;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.OutboxStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * A page webhook has no read API: a page posted again after its answer was lost (or after a replica died before
 * recording it) carries the same correlation, {@code Idempotency-Key} and {@code dedup_key}, on which the paging
 * service deduplicates; another page carries another.
 */
class PageWebhookTest {

    static final String HOOK = "/hooks/page";
    static final ObjectMapper JSON = new ObjectMapper();
    static WireMockServer server;

    @BeforeAll
    static void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static PageWebhook webhook() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(OnCallConfig.class)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValue("hub.oncall.webhook-url", "http://127.0.0.1:" + server.port() + HOOK)
                .withDefaultValue("hub.oncall.webhook-timeout", "5s")
                .build();
        return new PageWebhook(config.getConfigMapping(OnCallConfig.class), JSON);
    }

    static OutboxRow row(long id, String ticket, int page) throws Exception {
        String payload = JSON.writeValueAsString(Map.of("ticket", ticket, "page", page, "text", "Blocking anomaly"));
        return new OutboxRow(id, PageWebhook.TYPE, "page-hook:" + ticket, 1L, payload, OutboxStatus.PENDING, 1,
                OffsetDateTime.now(), null, OffsetDateTime.now(), null, 1);
    }

    @Test
    void aPageSentAgainAfterItsAnswerWasLostCarriesTheSameKey() throws Exception {
        server.resetAll();
        // the first POST reaches the service, whose answer is lost (connection reset); the second is answered
        server.stubFor(post(urlPathEqualTo(HOOK)).inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("up"));
        server.stubFor(post(urlPathEqualTo(HOOK)).inScenario("lost").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(204)));
        PageWebhook webhook = webhook();
        OutboxRow row = row(41, "SUP-2026-000123", 1);

        assertThrows(Exception.class, () -> webhook.send(row));
        webhook.send(row);

        List<LoggedRequest> sent = server.findAll(postRequestedFor(urlPathEqualTo(HOOK)));
        assertEquals(2, sent.size());
        String key = PageWebhook.dedupKey("SUP-2026-000123", 41);
        for (LoggedRequest r : sent) {
            assertEquals(key, r.getHeader("Idempotency-Key"));
            JsonNode body = JSON.readTree(r.getBodyAsString());
            assertEquals(key, body.path("dedup_key").asText());
            assertEquals("SUP-2026-000123", body.path("ticket").asText());
            assertEquals(1, body.path("page").asInt());
        }
    }

    @Test
    void anotherPageCarriesAnotherKey() throws Exception {
        server.resetAll();
        server.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(204)));
        PageWebhook webhook = webhook();
        webhook.send(row(41, "SUP-2026-000123", 1));
        webhook.send(row(42, "SUP-2026-000123", 2));
        List<LoggedRequest> sent = server.findAll(postRequestedFor(urlPathEqualTo(HOOK)));
        assertEquals(2, sent.size());
        assertNotEquals(sent.get(0).getHeader("Idempotency-Key"), sent.get(1).getHeader("Idempotency-Key"));
    }
}
