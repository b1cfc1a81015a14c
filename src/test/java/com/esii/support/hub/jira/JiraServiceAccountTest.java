package com.esii.support.hub.jira;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.sim.Simulator;
import com.esii.support.hub.testing.sim.SimulatorProfile;
import com.esii.support.hub.testing.sim.SimulatorResource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Jira Cloud through a service account (the simulator profile's settings): the OAuth 2.0 client-credentials token
 * from Atlassian's endpoint, every call through the gateway for the cloud id the site gave, tokens renewed as they
 * expire, and a token lacking a scope refused as Jira refuses it, the row waiting until the scope is granted.
 */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class JiraServiceAccountTest extends HubTestResources {

    @Inject
    DataSource ds;

    Simulator sim;

    @BeforeEach
    void fresh() {
        sim = SimulatorResource.simulator();
        sim.reset();
    }

    @AfterEach
    void restore() {
        sim.atlassianServiceAccount(SimulatorResource.JIRA_CLIENT_ID, SimulatorResource.JIRA_CLIENT_SECRET,
                SimulatorResource.SERVICE_ACCOUNT, SimulatorResource.SCOPES);
        sim.tokenLifetime(Duration.ofHours(1));
    }

    @Test
    void everyCallGoesThroughTheGatewayWithRenewedTokensOfTheServiceAccount() {
        sim.tokenLifetime(Duration.ofSeconds(2)); // renewed after one second
        // the token the hub holds is refused from now on: Jira's 401 makes it ask a new one at once
        sim.expireTokens("atlassian");
        long tokens = sim.tokensIssued("atlassian");
        long gateway = sim.gatewayCalls();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String number = SimulatedJiraFlowTest.open(Samples.unique("sa-" + i), null);
            keys.add(awaitKey(number));
            await().pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3)).until(() -> true);
        }
        assertEquals(3, keys.size());
        assertTrue(sim.gatewayCalls() > gateway);
        assertEquals(0, sim.siteCalls(), "no API call straight at the site");
        assertTrue(sim.tokensIssued("atlassian") - tokens >= 2, "tokens renewed as they expired");
    }

    @Test
    void aTokenLackingAScopeIsRefusedAndTheRequestWaitsUntilTheScopeIsGranted() {
        // the admin removed write:servicedesk-request from the service account; its next token lacks it
        Set<String> fewer = new HashSet<>(SimulatorResource.SCOPES);
        fewer.remove("write:servicedesk-request");
        sim.atlassianServiceAccount(SimulatorResource.JIRA_CLIENT_ID, SimulatorResource.JIRA_CLIENT_SECRET,
                SimulatorResource.SERVICE_ACCOUNT, fewer);
        sim.expireTokens("atlassian"); // the token the hub holds, with the scope, is refused from now on
        String number = SimulatedJiraFlowTest.open(Samples.unique("sa-scope"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String error = Db.string(ds, "SELECT o.last_error FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                    + " WHERE t.number = ? AND o.type = 'jira-create'", number);
            return error != null && error.contains("scope does not match");
        });
        assertEquals("PENDING", Db.string(ds, "SELECT o.status FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                + " WHERE t.number = ? AND o.type = 'jira-create'", number), "waits, never dead");

        // granted again: the next token carries it, and the request is made once
        sim.atlassianServiceAccount(SimulatorResource.JIRA_CLIENT_ID, SimulatorResource.JIRA_CLIENT_SECRET,
                SimulatorResource.SERVICE_ACCOUNT, SimulatorResource.SCOPES);
        String key = awaitKey(number);
        assertEquals(1, sim.requests().stream().filter(r -> r.summary().contains(number)).count());
        assertTrue(sim.request(key).summary().contains(number));
    }

    String awaitKey(String number) {
        await().atMost(Duration.ofSeconds(30)).until(() -> key(number) != null);
        return key(number);
    }

    String key(String number) {
        return Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number);
    }
}
