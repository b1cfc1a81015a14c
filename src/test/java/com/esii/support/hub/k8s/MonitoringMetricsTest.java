package com.esii.support.hub.k8s;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The alert rules and the Grafana dashboard of {@code k8s/monitoring/} read only metrics the hub exposes: every
 * metric name in their PromQL is one /q/metrics of a running hub has.
 */
@QuarkusTest
class MonitoringMetricsTest extends HubTestResources {

    @Test
    void everyMetricTheAlertsAndTheDashboardReadIsOneTheHubExposes() throws Exception {
        Set<String> referenced = Monitoring.referencedMetrics();
        assertTrue(referenced.size() >= 12, referenced.toString());
        // A ticket, so that the counters made at their first use (tickets opened, outbox attempts) are there too.
        given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("monitoring")))
                .when().post("/api/tickets").then().statusCode(201);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Set<String> missing = new TreeSet<>(referenced);
            missing.removeAll(exposed());
            assertEquals(Set.of(), missing, "read by k8s/monitoring/ but not exposed by the hub");
        });
    }

    /** The names of the samples at /q/metrics. */
    private static Set<String> exposed() {
        Set<String> names = new TreeSet<>();
        given().when().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }
}
