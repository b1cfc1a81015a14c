package com.esii.support.hub.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.outbox.RetryLater;
import com.esii.support.hub.outbox.TargetUnavailable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The Jira client on its own: both flavours, the outbox's signals, timestamps and rich text. */
class JiraClientTest {

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

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    static JiraClient client(String flavour) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(JiraConfig.class)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValue("hub.jira.url", "http://127.0.0.1:" + server.port())
                .withDefaultValue("hub.jira.flavour", flavour)
                .withDefaultValue("hub.jira.email", "bot@example.com")
                .withDefaultValue("hub.jira.token", "pat-secret")
                // short, but not so short that a cold first request on a busy machine misses it ("/slow" is 3 s)
                .withDefaultValue("hub.jira.timeout", "1500ms")
                .build();
        return new JiraClient(config.getConfigMapping(JiraConfig.class), new ObjectMapper());
    }

    @Test
    void dataCenterUsesABearerTokenApiV2AndPlainTextBodies() {
        JiraClient dc = client("datacenter");
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"1\",\"key\":\"DEV-1\"}")));
        assertEquals("/rest/api/2", dc.api());
        dc.post(dc.api() + "/issue/DEV-1/comment", Map.of("body", dc.richText("Hello\n\nWorld")));
        server.verify(postRequestedFor(urlPathEqualTo("/rest/api/2/issue/DEV-1/comment"))
                .withHeader("Authorization", equalTo("Bearer pat-secret"))
                .withRequestBody(equalTo("{\"body\":\"Hello\\n\\nWorld\"}")));
        // Data Center searches with startAt paging on /rest/api/2/search
        server.stubFor(any(urlPathEqualTo("/rest/api/2/search")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"startAt\":0,\"maxResults\":100,\"total\":1,\"issues\":[{\"key\":\"DEV-1\"}]}")));
        List<com.esii.support.hub.jira.dto.Issue> found = JiraSearch.search(dc, "project = DEV", List.of("summary"), 10);
        assertEquals(1, found.size());
    }

    @Test
    void cloudUsesBasicEmailAndTokenAndAdf() {
        JiraClient cloud = client("cloud");
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{}")));
        JsonNode adf = cloud.richText("Line one\nline two\n\nSecond paragraph");
        assertEquals("doc", adf.path("type").asText());
        assertEquals(2, adf.path("content").size());
        assertEquals("hardBreak", adf.path("content").get(0).path("content").get(1).path("type").asText());
        assertEquals("Line one\nline two\n\nSecond paragraph", JiraClient.plainText(adf));
        cloud.post("/rest/api/3/issue", Map.of("fields", Map.of()));
        server.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/issue")).withHeader("Authorization",
                equalTo("Basic " + java.util.Base64.getEncoder().encodeToString("bot@example.com:pat-secret".getBytes()))));
    }

    @Test
    void failuresBecomeTheOutboxsSignals() {
        JiraClient c = client("cloud");
        server.stubFor(any(urlPathEqualTo("/429")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));
        RetryLater later = assertThrows(RetryLater.class, () -> c.get("/429", Map.of()));
        assertEquals(Duration.ofSeconds(7), later.after());
        server.stubFor(any(urlPathEqualTo("/503")).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "3")));
        assertEquals(Duration.ofSeconds(3), assertThrows(RetryLater.class, () -> c.get("/503", Map.of())).after());
        server.stubFor(any(urlPathEqualTo("/500")).willReturn(aResponse().withStatus(500)));
        assertThrows(TargetUnavailable.class, () -> c.get("/500", Map.of()));
        server.stubFor(any(urlPathEqualTo("/slow")).willReturn(aResponse().withFixedDelay(3_000)));
        assertThrows(TargetUnavailable.class, () -> c.get("/slow", Map.of()));
        server.stubFor(any(urlPathEqualTo("/400")).willReturn(aResponse().withStatus(400)
                .withBody("{\"errorMessages\":[\"Issue type is required.\"],\"errors\":{\"summary\":\"Summary is too long\"}}")));
        PermanentFailure refused = assertThrows(PermanentFailure.class, () -> c.post("/400", Map.of()));
        assertTrue(refused.getMessage().contains("Issue type is required.; summary: Summary is too long"),
                refused.getMessage());
        assertTrue(!refused.getMessage().contains("pat-secret"));
        server.stubFor(any(urlPathEqualTo("/404")).willReturn(aResponse().withStatus(404)));
        assertThrows(JiraClient.NotFound.class, () -> c.get("/404", Map.of()));
        JiraClient dead = new JiraClient(new SmallRyeConfigBuilder().withMapping(JiraConfig.class)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValue("hub.jira.url", "http://127.0.0.1:1").withDefaultValue("hub.jira.timeout", "500ms").build()
                .getConfigMapping(JiraConfig.class), new ObjectMapper());
        assertThrows(TargetUnavailable.class, () -> dead.get("/x", Map.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2021-01-18T23:45:00.000+0000 | 2021-01-18T23:45Z",
            "2019-01-30T15:51:33.199+0300 | 2019-01-30T12:51:33.199Z",
            "2015-10-08T14:42:00+0700 | 2015-10-08T07:42Z",
            "2026-03-29T02:30:00.000+02:00 | 2026-03-29T00:30Z",
    })
    void jiraTimestampsAreRead(String text, String utc) {
        assertEquals(OffsetDateTime.parse(utc).toInstant(), JiraTime.parse(text).toInstant());
    }

    @Test
    void jsmDatesAndWebhookTimestampsAreRead() throws Exception {
        ObjectMapper m = new ObjectMapper();
        assertEquals(1444290120000L, JiraTime.of(m.readTree("{\"iso8601\":\"2015-10-08T14:42:00+0700\",\"epochMillis\":1444290120000}"))
                .toInstant().toEpochMilli());
        assertEquals(1512034084304L, JiraTime.of(m.readTree("1512034084304")).toInstant().toEpochMilli());
    }
}
