package com.esii.support.hub.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;
import com.esii.support.hub.testing.WireMockResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Support activity recorded in the ERP (WireMock serving mocks/mappings/erp): every record type end to end, in
 * order per ticket, each once; the ERP failing, slow and down for long; dead records and their replay; and the
 * brochure's figures on a known data set.
 */
@QuarkusTest
class ErpRecordsTest extends HubTestResources {

    static final String EXECUTE = "/api/v1/WebService/Execute";
    static final ObjectMapper JSON = new ObjectMapper();
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Inject
    DataSource ds;

    @Inject
    ContractDirectory contracts;
    @Inject
    ErpRecords records;
    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    WireMockServer erp;

    @BeforeEach
    void fresh() {
        erp = WireMockResource.server();
        WireMockResource.reset();
        contracts.forgetAll();
    }

    @AfterEach
    void restore() {
        WireMockResource.reset();
    }

    static String open(String email, String accessCode) {
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        if (accessCode != null) {
            body.put("accessCode", accessCode);
        }
        return given().contentType(ContentType.JSON).body(body).when().post("/api/tickets").then().statusCode(201)
                .extract().path("number");
    }

    static void step(String number, String type, String onSite, OffsetDateTime at) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        if (onSite != null) {
            body.put("onSite", onSite);
        }
        if (at != null) {
            body.put("at", at.toString());
        }
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).contentType(ContentType.JSON).body(body)
                .when().post("/admin/tickets/" + number + "/steps").then().statusCode(200);
    }

    /** The records the ERP received for a ticket, in arrival order, as their {@code param} documents. */
    List<JsonNode> received(String number) throws Exception {
        List<LoggedRequest> requests = new ArrayList<>(erp.findAll(postRequestedFor(urlPathEqualTo(EXECUTE))
                .withRequestBody(containing("HUB_ACTIVITE_SUPPORT")).withRequestBody(containing(number))));
        requests.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        List<JsonNode> out = new ArrayList<>();
        for (LoggedRequest r : requests) {
            out.add(JSON.readTree(JSON.readTree(r.getBodyAsString()).path("param").asText()));
        }
        return out;
    }

    List<String> activities(String number) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode p : received(number)) {
            out.add(p.path("activity").asText());
        }
        return out;
    }

    /**
     * A record's outbox row names it by its key and the record knows its row, both written once (issue 29: the row
     * used to name the record's id, which the record then had to be told back); a row written before, naming the
     * record by its id (a rolling upgrade), is sent all the same.
     */
    @Test
    void aRecordAndItsOutboxRowNameEachOtherAndARowNamingItsRecordByIdIsSentToo() throws Exception {
        String number = open(Samples.unique("journal-key"), "4711-2026");
        await().atMost(Duration.ofSeconds(20)).until(() -> activities(number).contains("opened"));
        String key = number + "/opened/1";
        assertTrue(Db.string(ds, "SELECT o.payload FROM erp_record r JOIN outbox o ON o.id = r.outbox_id"
                + " WHERE r.idem_key = ?", key).contains(key), "the record's row names it by its key");
        // as a replica of the previous version wrote them: the record first, then its row naming the record's id
        long ticketId = Db.count(ds, "SELECT id FROM ticket WHERE number = ?", number);
        String oldKey = number + "/taken-in-charge/1";
        Db.update(ds, "INSERT INTO erp_record (idem_key, ticket_id, activity, occurred_at, created_at)"
                + " VALUES (?, ?, 'taken-in-charge', ?, ?)", oldKey, ticketId, OffsetDateTime.now(), OffsetDateTime.now());
        long recordId = Db.count(ds, "SELECT id FROM erp_record WHERE idem_key = ?", oldKey);
        Db.update(ds, "INSERT INTO outbox (type, lane, ticket_id, payload, status, attempts, next_attempt_at,"
                + " created_at) VALUES ('erp-record', ?, ?, ?, 'PENDING', 0, CURRENT_TIMESTAMP, ?)", "erp:" + number,
                ticketId, "{\"record\":" + recordId + "}", OffsetDateTime.now());
        await().atMost(Duration.ofSeconds(20)).until(() -> activities(number).contains("taken-in-charge"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Db.string(ds,
                "SELECT sent_at FROM erp_record WHERE idem_key = ?", oldKey) != null);
        assertEquals(List.of("opened", "taken-in-charge"), activities(number));
    }

    /**
     * A record's row carries the record as written (issue 29): its first claim sends that, without reading the
     * record back; a later claim (here: a replica died after claiming it) reads the record, as before. Both are
     * marked sent. (The row and its record differ here only to show which one was sent: the hub writes them alike.)
     */
    @Test
    void aRowsFirstClaimSendsTheRecordItCarriesALaterClaimReadsIt() throws Exception {
        String number = open(Samples.unique("journal-carried"), "4711-2026");
        await().atMost(Duration.ofSeconds(20)).until(() -> activities(number).contains("opened"));
        assertTrue(Db.string(ds, "SELECT o.payload FROM erp_record r JOIN outbox o ON o.id = r.outbox_id"
                + " WHERE r.idem_key = ?", number + "/opened/1").contains("\"written\":{"), "the row carries it");
        long ticketId = Db.count(ds, "SELECT id FROM ticket WHERE number = ?", number);
        String first = number + "/time-spent/1";
        String later = number + "/time-spent/2";
        for (String key : List.of(first, later)) {
            Db.update(ds, "INSERT INTO erp_record (idem_key, ticket_id, activity, detail, occurred_at, created_at)"
                    + " VALUES (?, ?, 'time-spent', 'as the record says', ?, ?)", key, ticketId, OffsetDateTime.now(),
                    OffsetDateTime.now());
        }
        String written = "\"written\":{\"ticketId\":" + ticketId + ",\"activity\":\"time-spent\","
                + "\"quoteRequired\":false,\"detail\":\"as its row says\",\"occurredAt\":\"2026-12-05T10:00:00Z\"}";
        // the second row was claimed once by a replica that died (its lease long over)
        Db.update(ds, "INSERT INTO outbox (type, lane, ticket_id, payload, status, attempts, claims, next_attempt_at,"
                + " created_at) VALUES ('erp-record', ?, ?, ?, 'PENDING', 0, 0, CURRENT_TIMESTAMP, ?), ('erp-record', ?,"
                + " ?, ?, 'PENDING', 1, 1, CURRENT_TIMESTAMP, ?)", "erp:" + number, ticketId,
                "{\"key\":\"" + first + "\"," + written + "}", OffsetDateTime.now(), "erp:" + number + "-later", ticketId,
                "{\"key\":\"" + later + "\"," + written + "}", OffsetDateTime.now());
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds, "SELECT count(*) FROM erp_record"
                + " WHERE idem_key IN (?, ?) AND sent_at IS NOT NULL", first, later) == 2);
        Map<String, String> details = new HashMap<>();
        for (JsonNode p : received(number)) {
            details.put(p.path("key").asText(), p.path("detail").asText());
        }
        assertEquals("as its row says", details.get(first), "a first claim sends what its row carries");
        assertEquals("as the record says", details.get(later), "a later claim reads the record");
    }

    @Test
    void everyActivityOfATicketIsRecordedOnceAndInOrder() throws Exception {
        String number = open(Samples.unique("journal"), "4711-2026");
        step(number, "taken-in-charge", null, null);
        step(number, "on-site-decided", "intervention", null);
        step(number, "on-site-done", null, null);
        step(number, "on-site-decided", "exchange", null);
        step(number, "on-site-done", null, null);
        step(number, "workshop-repaired", null, null);
        step(number, "resolved", null, null);
        List<String> expected = List.of("opened", "taken-in-charge", "intervention-decided", "intervention-done",
                "exchange-decided", "exchange-done", "workshop-repair", "closed");
        await().atMost(Duration.ofSeconds(20)).until(() -> activities(number).size() >= expected.size());
        assertEquals(expected, activities(number), "each once, in the order they happened");
        JsonNode opened = received(number).get(0);
        assertEquals(number + "/opened/1", opened.path("key").asText());
        assertEquals("C0001", opened.path("customer").asText());
        assertEquals("api", opened.path("channel").asText());
        assertEquals("problem", opened.path("kind").asText());
        assertEquals("blocking", opened.path("criticality").asText());
        assertEquals("maintained", opened.path("contract").asText());
        assertEquals(number + "/intervention-decided/1", received(number).get(2).path("key").asText());
        assertFalse(received(number).get(2).path("quoteRequired").asBoolean());
        // each marked sent once the ERP answered (just after it received the last one: waited for, not assumed)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(0, Db.count(ds, "SELECT COUNT(*)"
                + " FROM erp_record r JOIN ticket t ON t.id = r.ticket_id WHERE t.number = ? AND r.sent_at IS NULL",
                number)));
        // the admin sees them as sent
        JsonPath sent = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .when().get("/admin/erp/records?state=sent&limit=1000").then().statusCode(200).extract().jsonPath();
        assertTrue(sent.getList("records.key").contains(number + "/closed/1"));
    }

    @Test
    void anActivityIsCountedOnceItsTransactionCommittedOnly() {
        // a batch of mails rolled back and taken again mail by mail journals its activities twice: counted once
        String activity = "counted-" + System.nanoTime();
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
                    records.recordForCustomer("rolled-back/" + activity, "C0001", activity, null, null, now, now);
                    throw new IllegalStateException("rolled back, as a batch of mails whose mail failed");
                }));
        assertEquals(0.0, counted(activity), "rolled back: not counted");
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> records.recordForCustomer(
                "committed/" + activity, "C0001", activity, null, null, now, now));
        assertEquals(1.0, counted(activity));
    }

    private double counted(String activity) {
        io.micrometer.core.instrument.Counter c = metrics.find("hub.support.activities").tag("activity", activity)
                .counter();
        return c == null ? 0.0 : c.count();
    }

    @Test
    void anInterventionForACustomerWithoutMaintenanceCarriesQuoteRequired() throws Exception {
        String number = open("r-" + System.nanoTime() + "@atelier-martin.fr", null);
        step(number, "on-site-decided", "exchange", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> activities(number).contains("exchange-decided"));
        JsonNode decided = received(number).get(1);
        assertTrue(decided.path("quoteRequired").asBoolean(), decided.toString());
        assertEquals("C0003", decided.path("customer").asText());
        assertEquals("not-maintained", decided.path("contract").asText());
    }

    @Test
    void theErpDownForLongLosesNothingAndDuplicatesNothing() throws Exception {
        erp.stubFor(post(urlPathEqualTo(EXECUTE)).atPriority(1).withRequestBody(containing("HUB_ACTIVITE_SUPPORT"))
                .willReturn(aResponse().withStatus(503)));
        String number = open(Samples.unique("erp-down"), "4711-2026");
        step(number, "taken-in-charge", null, null);
        // well past the retry budget (hub.outbox.max-attempts = 5 in tests): still waiting, never dead
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(ds, "SELECT MAX(attempts) FROM outbox WHERE lane = ?",
                "erp:" + number) > 6);
        assertEquals(0, Db.count(ds, "SELECT COUNT(*) FROM outbox WHERE lane = ? AND status = 'DEAD'", "erp:" + number));
        WireMockResource.reset(); // back
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(ds, "SELECT COUNT(*) FROM erp_record r JOIN ticket t"
                + " ON t.id = r.ticket_id WHERE t.number = ? AND r.sent_at IS NOT NULL", number) == 2);
        assertEquals(List.of("opened", "taken-in-charge"), activities(number).stream().distinct().toList());
        long accepted = erp.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(EXECUTE)
                && e.getRequest().getBodyAsString().contains(number) && e.getResponse().getStatus() == 200).count();
        assertEquals(2, accepted, "each record taken once");
    }

    @Test
    void aTimeoutAfterTheErpTookARecordResendsTheSameKey() throws Exception {
        String number = open(Samples.unique("erp-slow"), "4711-2026");
        await().atMost(Duration.ofSeconds(20)).until(() -> activities(number).contains("opened"));
        erp.stubFor(post(urlPathEqualTo(EXECUTE)).atPriority(1).withRequestBody(containing("taken-in-charge"))
                .inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFixedDelay(1_500).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":0,\"result\":\"{}\"}"))
                .willSetStateTo("fast"));
        step(number, "taken-in-charge", null, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds, "SELECT COUNT(*) FROM erp_record r JOIN ticket t"
                + " ON t.id = r.ticket_id WHERE t.number = ? AND r.activity = 'taken-in-charge' AND r.sent_at IS NOT NULL",
                number) == 1);
        List<String> keys = new ArrayList<>();
        for (JsonNode p : received(number)) {
            if ("taken-in-charge".equals(p.path("activity").asText())) {
                keys.add(p.path("key").asText());
            }
        }
        assertEquals(List.of(number + "/taken-in-charge/1", number + "/taken-in-charge/1"), keys,
                "sent again after the timeout, with the same key for the ERP to recognise");
    }

    @Test
    void aRefusedRecordGoesDeadAndIsReplayedOnceFixed() throws Exception {
        erp.stubFor(post(urlPathEqualTo(EXECUTE)).atPriority(1).withRequestBody(containing("workshop-repair"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":12,\"txterr\":\"Article inconnu\",\"result\":\"\"}")));
        String number = open(Samples.unique("erp-refused"), "4711-2026");
        step(number, "workshop-repaired", null, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().preemptive()
                .basic("admin", TestSettings.ADMIN_PASSWORD).when().get("/admin/erp/records?state=dead&limit=1000")
                .then().extract().jsonPath().getList("records.key").contains(number + "/workshop-repair/1"));
        JsonPath dead = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .when().get("/admin/erp/records?state=dead&limit=1000").then().extract().jsonPath();
        int i = dead.getList("records.key").indexOf(number + "/workshop-repair/1");
        assertTrue(dead.getString("records[" + i + "].lastError").contains("Article inconnu"));
        long id = dead.getLong("records[" + i + "].id");
        WireMockResource.reset(); // the ERP's data is fixed
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).header("X-Requested-By", "test")
                .when().post("/admin/erp/records/" + id + "/replay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds,
                "SELECT COUNT(*) FROM erp_record WHERE id = ? AND sent_at IS NOT NULL", id) == 1);
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).header("X-Requested-By", "test")
                .when().post("/admin/erp/records/" + id + "/replay").then().statusCode(404);
        given().when().get("/admin/erp/records").then().statusCode(401);
    }

    @Test
    void theBrochuresFiguresComeFromTheLedgerOnAKnownDataSet() {
        OffsetDateTime day = OffsetDateTime.parse("2025-03-11T09:00:00+01:00");
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String n = open(Samples.unique("figures"), "4711-2026");
            numbers.add(n);
            Db.count(ds, "SELECT COUNT(*) FROM ticket WHERE number = ?", n);
            update("UPDATE ticket SET created_at = ? WHERE number = ?", day, n);
            update("UPDATE erp_record SET occurred_at = ? WHERE ticket_id = (SELECT id FROM ticket WHERE number = ?)", day, n);
        }
        step(numbers.get(0), "taken-in-charge", null, day.plusMinutes(20));
        step(numbers.get(1), "taken-in-charge", null, day.plusMinutes(30));
        step(numbers.get(0), "on-site-decided", "intervention", day.plusHours(1));
        step(numbers.get(0), "on-site-done", null, day.plusHours(5));
        step(numbers.get(1), "on-site-decided", "exchange", day.plusHours(1));
        step(numbers.get(1), "on-site-done", null, day.plusHours(6));
        step(numbers.get(2), "workshop-repaired", null, day.plusHours(2));
        JsonPath stats = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .when().get("/api/stats?from=2025-03-11&to=2025-03-11").then().statusCode(200).extract().jsonPath();
        assertEquals(3, stats.getInt("support.tickets"));
        assertEquals(2, stats.getInt("support.takenInCharge"));
        assertEquals(25.0, stats.getDouble("support.averageTakeChargeMinutes"), 0.01);
        assertEquals(1, stats.getInt("support.onSiteInterventions"));
        assertEquals(1, stats.getInt("support.exchanges"));
        assertEquals(1, stats.getInt("support.workshopRepairs"));
        assertEquals(3, stats.getInt("tickets.total"));
    }

    @Test
    void aHostedSystemsMonthlyAvailabilityIsMeasuredAgainstTheCommitment() {
        YearMonth month = YearMonth.now(PARIS).minusMonths(1);
        OffsetDateTime start = month.atDay(3).atTime(10, 0).atZone(PARIS).toOffsetDateTime();
        String first = open("ops-" + System.nanoTime() + "@logistique-durand.fr", null);
        String second = open("ops2-" + System.nanoTime() + "@logistique-durand.fr", null);
        String minor = open("ops3-" + System.nanoTime() + "@logistique-durand.fr", null);
        update("UPDATE ticket SET created_at = ? WHERE number = ?", start, first);
        update("UPDATE ticket SET created_at = ? WHERE number = ?", start.plusHours(1), second);
        update("UPDATE ticket SET created_at = ?, criticality = 'MINOR' WHERE number = ?", start, minor);
        step(first, "service-restored", null, start.plusHours(3)); // 10:00-13:00
        step(second, "resolved", null, start.plusHours(4)); // 11:00-14:00: overlaps, the union is 10:00-14:00
        step(minor, "resolved", null, start.plusHours(30)); // not blocking: no downtime
        JsonPath a = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .when().get("/api/stats/availability?month=" + month).then().statusCode(200).extract().jsonPath();
        long minutes = Duration.between(month.atDay(1).atStartOfDay(PARIS), month.plusMonths(1).atDay(1).atStartOfDay(PARIS))
                .toMinutes();
        assertEquals(minutes, a.getLong("minutesInMonth"));
        int c = a.getList("customers.customer").indexOf("C0002");
        assertTrue(c >= 0, a.prettify());
        assertEquals(240, a.getLong("customers[" + c + "].downtimeMinutes"));
        long budget = Math.round(minutes * 0.4 / 100);
        assertEquals(budget, a.getLong("customers[" + c + "].budgetMinutes"));
        assertEquals(budget - 240, a.getLong("customers[" + c + "].remainingBudgetMinutes"));
        assertEquals(Math.round((1 - 240.0 / minutes) * 1_000_000) / 10_000.0, a.getDouble("customers[" + c + "].availabilityPercent"), 1e-9);
        assertEquals(budget >= 240, a.getBoolean("customers[" + c + "].commitmentMet"));
        assertEquals(2, a.getList("customers[" + c + "].incidents").size());
    }

    private void update(String sql, Object... args) {
        try (var c = ds.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
