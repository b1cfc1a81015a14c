package com.esii.support.hub.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * The external systems every {@code @QuarkusTest} runs against (global test resources): PostgreSQL and the
 * mail server. The demo profile test turns them off and brings its own.
 */
@org.junit.jupiter.api.Tag("app") // a running hub: the full suite, not the quick lane (-Pquick)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
@QuarkusTestResource(WireMockResource.class)
@QuarkusTestResource(TestSettings.class)
public class HubTestResources {

    /**
     * Each request comes from its own client address (unless the test sets one), so that the throttling of the
     * public endpoints only trips in the test about it.
     */
    private static final io.restassured.filter.Filter DISTINCT_CLIENTS = (request, response, ctx) -> {
        if (!request.getHeaders().hasHeaderWithName("X-Forwarded-For")) {
            java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
            request.header("X-Forwarded-For", "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255));
        }
        return ctx.next(request, response);
    };

    /** Every request sent to the simulated Jira during the test validated against Atlassian's contracts. */
    @org.junit.jupiter.api.AfterEach
    void jiraRequestsFollowedTheContracts() {
        java.util.List<String> violations = JiraContracts.drain();
        org.junit.jupiter.api.Assertions.assertTrue(violations.isEmpty(),
                "Requests to Jira that break Atlassian's contracts: " + violations);
    }

    @org.junit.jupiter.api.BeforeEach
    void distinctClients() {
        io.restassured.RestAssured.replaceFiltersWith(DISTINCT_CLIENTS);
    }
}
