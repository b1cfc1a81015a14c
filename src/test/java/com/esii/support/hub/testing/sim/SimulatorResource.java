package com.esii.support.hub.testing.sim;

import java.util.Map;

import com.esii.support.hub.testing.JiraContracts;
import com.esii.support.hub.testing.WireMockResource;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The {@link Simulator} for a {@code @QuarkusTest}, as {@code hub.jira.url} and {@code hub.erp.url}, with the same
 * credentials and short timeouts as {@link WireMockResource}. Not a global resource: a test class takes it through
 * {@link SimulatorProfile}, which replaces WireMock by the simulator.
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    private static volatile Simulator simulator;

    /** The simulator of the running Quarkus application. */
    public static Simulator simulator() {
        return simulator;
    }

    @Override
    public Map<String, String> start() {
        simulator = Simulator.start(JiraContracts.simulatorCheck())
                .jiraCredentials(WireMockResource.JIRA_EMAIL, WireMockResource.JIRA_TOKEN)
                .erpCredentials(WireMockResource.ERP_USER, WireMockResource.ERP_PASSWORD);
        String url = simulator.url();
        return Map.ofEntries(
                Map.entry("hub.jira.url", url),
                Map.entry("hub.jira.email", WireMockResource.JIRA_EMAIL),
                Map.entry("hub.jira.token", WireMockResource.JIRA_TOKEN),
                Map.entry("hub.jira.webhook-secret", WireMockResource.WEBHOOK_SECRET),
                Map.entry("hub.jira.timeout", "1s"),
                Map.entry("hub.jira.lost-answer-wait", "3s"),
                Map.entry("hub.erp.record-lookup-action", "HUB_ACTIVITE_LIRE"),
                Map.entry("hub.jira.reconcile-interval", "1h"),
                Map.entry("hub.jira.reconcile-page-size", "2"),
                Map.entry("hub.erp.url", url),
                Map.entry("hub.erp.user", WireMockResource.ERP_USER),
                Map.entry("hub.erp.password", WireMockResource.ERP_PASSWORD),
                Map.entry("hub.erp.timeout", "700ms"),
                Map.entry("hub.erp.pause-after-failure", "300ms"),
                // the simulated ERP's first customer lets its colleagues write into each other's tickets
                Map.entry("hub.mail.customer-domains", "C0001=clinique-saint-roch.fr"));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
