package com.esii.support.hub.testing.sim;

import java.util.Map;

import com.esii.support.hub.testing.JiraContracts;
import com.esii.support.hub.testing.WireMockResource;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The {@link Simulator} for a {@code @QuarkusTest}, as {@code hub.jira.url} and {@code hub.erp.url}: Jira through
 * a service account's OAuth 2.0 credential and Atlassian's gateway, the ERP with the credentials and short timeouts
 * of {@link WireMockResource}. Not a global resource: a test class takes it through
 * {@link SimulatorProfile}, which replaces WireMock by the simulator.
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    private static volatile Simulator simulator;
    public static final String JIRA_CLIENT_ID = "hub-service-account-client";
    public static final String JIRA_CLIENT_SECRET = "hub-service-account-secret-" + java.util.UUID.randomUUID();
    public static final String SERVICE_ACCOUNT = "support-hub-bot@serviceaccount.atlassian.com";
    /** The support team's address (hub.oncall.team-email): where a poor rating alerts the desk. */
    public static final String TEAM = "support-desk@esii.example";
    /** The classic scopes docs/operations.md tells IT to give the service account. */
    public static final java.util.Set<String> SCOPES = java.util.Set.of("read:jira-work", "write:jira-work",
            "read:jira-user", "read:servicedesk-request", "write:servicedesk-request", "manage:servicedesk-customer");

    /** The simulator of the running Quarkus application. */
    public static Simulator simulator() {
        return simulator;
    }

    @Override
    public Map<String, String> start() {
        simulator = Simulator.start(JiraContracts.simulatorCheck())
                .jiraCredentials(WireMockResource.JIRA_EMAIL, WireMockResource.JIRA_TOKEN)
                .atlassianServiceAccount(JIRA_CLIENT_ID, JIRA_CLIENT_SECRET, SERVICE_ACCOUNT, SCOPES)
                .erpCredentials(WireMockResource.ERP_USER, WireMockResource.ERP_PASSWORD);
        String url = simulator.url();
        return Map.ofEntries(
                Map.entry("hub.jira.url", url),
                // Jira Cloud as Atlassian wants integrations today: a service account's OAuth 2.0 credential, the
                // calls through the gateway (the simulator's /ex/jira/<cloud id>, the cloud id read from the site)
                Map.entry("hub.jira.auth", "oauth2"),
                Map.entry("hub.jira.gateway-url", url),
                Map.entry("hub.jira.oauth2.token-url", simulator.atlassianTokenUrl()),
                Map.entry("hub.jira.oauth2.client-id", JIRA_CLIENT_ID),
                Map.entry("hub.jira.oauth2.client-secret", JIRA_CLIENT_SECRET),
                Map.entry("hub.jira.email", SERVICE_ACCOUNT),
                Map.entry("hub.jira.webhook-secret", WireMockResource.WEBHOOK_SECRET),
                Map.entry("hub.jira.timeout", "1s"),
                Map.entry("hub.jira.lost-answer-wait", "1s"),
                Map.entry("hub.erp.record-lookup-action", "HUB_ACTIVITE_LIRE"),
                Map.entry("hub.jira.reconcile-interval", "1h"),
                Map.entry("hub.jira.reconcile-page-size", "2"),
                Map.entry("hub.erp.url", url),
                Map.entry("hub.erp.user", WireMockResource.ERP_USER),
                Map.entry("hub.erp.password", WireMockResource.ERP_PASSWORD),
                Map.entry("hub.erp.timeout", "700ms"),
                Map.entry("hub.erp.pause-after-failure", "300ms"),
                // the simulated ERP's first customer lets its colleagues write into each other's tickets
                Map.entry("hub.mail.customer-domains", "C0001=clinique-saint-roch.fr"),
                Map.entry("hub.oncall.team-email", TEAM));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
