package com.esii.support.hub;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.TestHandlers;
import com.esii.support.hub.sla.Calendars;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class HealthAndMetricsTest extends HubTestResources {

    @Inject
    DataSource ds;
    @Inject
    Outbox outbox;
    @Inject
    Calendars calendars;

    @Test
    void livenessAndReadinessAnswer() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("Database connections health check"))
                // not ready before it is warm (its check says so, UP here): the detector, a sample triage, every
                // edge's step, none failed
                .body("checks.find { it.name == 'warm-up' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'warm-up' }.data.steps", allOf(containsString("language detector"),
                        containsString("triage"), containsString("mail parser"),
                        containsString("acknowledgement mail"), containsString("ERP client"),
                        containsString("Jira client")))
                .body("checks.find { it.name == 'warm-up' }.data.failed", equalTo(""));
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

    // ---- what the alert rules of k8s/monitoring/ read ----

    @Test
    void theReplicaThatLeadsTheMailPollerSaysSo() {
        // one replica here: it takes the lease at its first poll
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> metric("hub_cluster_leader{lease=\"mail-poller\"}") == 1.0);
    }

    @Test
    void theAgeOfTheOldestPendingOutboxRowIsAGauge() {
        // A row written two hours ago whose target is away, put off so that the relay leaves it alone meanwhile.
        long id = QuarkusTransaction.requiringNew().call(() -> {
            long row = outbox.enqueue(TestHandlers.Unavailable.TYPE, "test:oldest-" + UUID.randomUUID(), null, Map.of(),
                    OffsetDateTime.now().minusHours(2));
            Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", OffsetDateTime.now().plusYears(1), row);
            return row;
        });
        try {
            // read from the database at most every two seconds
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> metric("hub_outbox_oldest_pending_seconds") >= Duration.ofHours(2).toSeconds() - 60);
        } finally {
            QuarkusTransaction.requiringNew().run(() -> Db.update(ds, "UPDATE outbox SET status = 'SKIPPED' WHERE id = ?", id));
        }
    }

    @Test
    void theDesksCalendarAndTheTicketsPastTheirTakeChargeDeadlineAreMetrics() {
        boolean openBefore = calendars.desk().isOpen(Instant.now());
        double open = metric("hub_support_desk_open");
        boolean openAfter = calendars.desk().isOpen(Instant.now());
        assertTrue(open == (openBefore ? 1 : 0) || open == (openAfter ? 1 : 0), "desk open: " + open);

        String number = given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("breach")))
                .when().post("/api/tickets").then().statusCode(201).extract().path("number");
        long ticket = Db.count(ds, "SELECT id FROM ticket WHERE number = ?", number);
        // the counts are read from the database at most every hub.oncall.desk-metrics-refresh (300 ms in the tests)
        double breaches = metric("hub_take_charge_breaches_total");
        double breached = metric("hub_take_charge_breached_tickets");
        assertTrue(breaches >= 0 && breached >= 0, breaches + " " + breached);
        // The watchdog's record of a breach (the watchdog itself is tested in oncall/)
        Db.update(ds, "INSERT INTO ticket_event (ticket_id, type, detail, source, at) VALUES (?, 'deadline-breached',"
                + " 'take-charge deadline breached', 'watchdog', ?)", ticket, OffsetDateTime.now());
        Awaitility.await().atMost(Duration.ofSeconds(25)).until(() -> metric("hub_take_charge_breaches_total") == breaches + 1
                && metric("hub_take_charge_breached_tickets") == breached + 1);
        // Taken in charge: no longer a ticket to alert about, still a breach
        Db.update(ds, "UPDATE ticket SET taken_in_charge_at = ? WHERE id = ?", OffsetDateTime.now(), ticket);
        Awaitility.await().atMost(Duration.ofSeconds(25)).until(() -> metric("hub_take_charge_breached_tickets") == breached);
        assertEquals(breaches + 1, metric("hub_take_charge_breaches_total"));
    }

    @Test
    void theTimeOfThePhoneSystemsLastLineIsAGauge() throws Exception {
        // the test apps listen for SMDR (PhoneChannelTest.PhoneOn); a line that is no record counts as one heard
        int port = ConfigProvider.getConfig().getValue("hub.phone.port", Integer.class);
        long before = Instant.now().getEpochSecond() - 1;
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("HealthAndMetricsTest: not an SMDR record\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> metric("hub_phone_last_record_timestamp_seconds") >= before);
        }
    }

    /** A sample's value from /q/metrics ({@code name{labels}} as written there), -1 when it is not there. */
    private static double metric(String sample) {
        return given().when().get("/q/metrics").asString().lines().filter(l -> l.startsWith(sample + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }
}
