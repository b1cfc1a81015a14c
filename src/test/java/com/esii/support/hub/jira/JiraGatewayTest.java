package com.esii.support.hub.jira;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.outbox.TargetUnavailable;
import com.esii.support.hub.testing.sim.Simulator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * A scoped API token (Basic authentication) is taken only through Atlassian's gateway: with {@code hub.jira.gateway}
 * the hub finds the site's cloud id and calls {@code /ex/jira/<cloud id>}; without, Jira refuses it, and the refusal
 * is the credentials' (the row waits), not the row's.
 */
class JiraGatewayTest {

    final Simulator sim = Simulator.start((m, t, h, b) -> List.of()).jiraCredentials("bot@example.com", "scoped-token")
            .scopedApiTokens(true);

    @AfterEach
    void stop() {
        sim.close();
    }

    JiraClient client(Map<String, String> more) {
        SmallRyeConfigBuilder b = new SmallRyeConfigBuilder().withMapping(JiraConfig.class)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValue("hub.jira.url", sim.url())
                .withDefaultValue("hub.jira.email", "bot@example.com")
                .withDefaultValue("hub.jira.token", "scoped-token")
                .withDefaultValue("hub.jira.gateway-url", sim.url());
        more.forEach(b::withDefaultValue);
        return new JiraClient(b.build().getConfigMapping(JiraConfig.class), new ObjectMapper());
    }

    @Test
    void aScopedTokenGoesThroughTheGatewayForTheSitesCloudId() {
        JiraClient client = client(Map.of("hub.jira.gateway", "true"));
        assertEquals(sim.url() + "/ex/jira/" + Simulator.CLOUD_ID, client.apiBase(), "cloud id read from the site");
        assertTrue(client.get("/rest/servicedeskapi/info", Map.of()).isObject());
        assertEquals(1, sim.gatewayCalls());
        assertEquals(0, sim.siteCalls());
    }

    @Test
    void aCloudIdSetIsUsedAsItIs() {
        JiraClient client = client(Map.of("hub.jira.gateway", "true", "hub.jira.cloud-id", "another-site"));
        assertEquals(sim.url() + "/ex/jira/another-site", client.apiBase());
    }

    @Test
    void straightAtTheSiteTheScopedTokenIsRefusedAndTheRowWaits() {
        JiraClient client = client(Map.of());
        TargetUnavailable e = assertThrows(TargetUnavailable.class,
                () -> client.get("/rest/servicedeskapi/info", Map.of()));
        assertTrue(e.getMessage().contains("hub.jira.auth"), e.getMessage());
    }
}
