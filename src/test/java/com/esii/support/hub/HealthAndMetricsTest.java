package com.esii.support.hub;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class HealthAndMetricsTest extends HubTestResources {

    @Test
    void livenessAndReadinessAnswer() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("Database connections health check"));
    }

    @Test
    void ticketsCreatedAreCountedByChannel() {
        given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("metrics")))
                .when().post("/api/tickets").then().statusCode(201);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("hub_tickets_created_total{channel=\"api\"}"))
                .body(containsString("hub_outbox_rows{state=\"pending\"}"))
                .body(containsString("hub_outbox_rows{state=\"dead\"}"));
    }

    @Test
    void theMonthsSupportFiguresAreGauges() {
        given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("gauge")))
                .when().post("/api/tickets").then().statusCode(201);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("hub_support_month\\{figure=\"tickets\"\\} ([0-9.E]+)").matcher(metrics);
        org.junit.jupiter.api.Assertions.assertTrue(m.find(), "the tickets of the month are published");
        org.junit.jupiter.api.Assertions.assertTrue(Double.parseDouble(m.group(1)) >= 1.0, m.group(0));
        org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("hub_support_month{figure=\"workshop_repairs\"}"));
    }
}
