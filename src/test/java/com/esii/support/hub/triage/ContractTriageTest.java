package com.esii.support.hub.triage;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.erp.ContractDirectory;
import com.esii.support.hub.sla.BusinessCalendar;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;
import com.esii.support.hub.testing.WireMockResource;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The contract comes from the ERP (WireMock serving mocks/mappings/erp): by access code, else address, else
 * domain; cached; "unknown" with provisional deadlines while the ERP fails, and triaged again once it answers.
 */
@QuarkusTest
class ContractTriageTest extends HubTestResources {

    static final BusinessCalendar DESK = BusinessCalendar.supportDesk();
    static final String EXECUTE = "/api/v1/WebService/Execute";

    @Inject
    ContractDirectory contracts;

    @Inject
    DataSource ds;

    WireMockServer erp;

    @BeforeEach
    void freshErp() {
        erp = WireMockResource.server();
        WireMockResource.reset();
        contracts.forgetAll();
    }

    @AfterEach
    void restoreErp() {
        WireMockResource.reset();
    }

    static Map<String, Object> ticket(String email, String accessCode) {
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        if (accessCode != null) {
            body.put("accessCode", accessCode);
        }
        return body;
    }

    static JsonPath create(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/tickets")
                .then().statusCode(201).extract().jsonPath();
    }

    static JsonPath staffView(String number) {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .when().get("/admin/tickets/" + number).then().statusCode(200).extract().jsonPath();
    }

    static OffsetDateTime time(JsonPath j, String path) {
        String s = j.getString(path);
        return s == null ? null : OffsetDateTime.parse(s);
    }

    static int executeCalls(String value) {
        return erp().findAll(postRequestedFor(urlPathEqualTo(EXECUTE))
                .withRequestBody(containing("\\\"value\\\":\\\"" + value + "\\\""))).size();
    }

    static WireMockServer erp() {
        return WireMockResource.server();
    }

    @Test
    void aMaintainedCustomerIsFoundByAccessCodeAndGetsTheFourHourDeadline() {
        JsonPath t = create(ticket(Samples.unique("maint"), "4711-2026"));
        assertEquals("maintained", t.getString("contract"));
        assertEquals(1, t.getInt("priority"), "a maintained customer's blocking anomaly comes first");
        assertTrue(t.getString("triage.contractReason").contains("access-code 4711-2026 → C0001"),
                t.getString("triage.contractReason"));
        OffsetDateTime created = time(t, "createdAt");
        assertEquals(DESK.plus(created.toInstant(), Duration.ofHours(4)), time(t, "deadlines.takeChargeBy").toInstant());
        assertNull(t.get("deadlines.provisional"));
        assertEquals(Boolean.FALSE, (Object) t.get("quoteRequired"));
        JsonPath staff = staffView(t.getString("number"));
        assertEquals("C0001", staff.getString("customerCode"));
        assertEquals(Boolean.TRUE, (Object) staff.get("onCall"));
        assertEquals("triaged", staff.getString("history[0].type"));
        erp.verify(postRequestedFor(urlPathEqualTo(EXECUTE)).withHeader("Authorization", equalTo("Bearer demo-erp-token")));
    }

    @Test
    void withoutAccessCodeTheSenderThenTheDomainIdentifiesTheCustomer() {
        JsonPath t = create(ticket("anne.leroy@logistique-durand.fr", null));
        assertEquals("maintained", t.getString("contract"));
        assertTrue(t.getString("triage.contractReason").contains("domain logistique-durand.fr → C0002"));
        JsonPath staff = staffView(t.getString("number"));
        assertEquals(Boolean.TRUE, (Object) staff.get("hosted"));
        assertEquals(1, executeCalls("anne.leroy@logistique-durand.fr"), "the address is asked before the domain");
    }

    @Test
    void aCustomerWithoutMaintenanceGetsNoDeadlineAndALowerPriority() {
        JsonPath t = create(ticket("paul@atelier-martin.fr", null));
        assertEquals("not-maintained", t.getString("contract"));
        assertEquals(3, t.getInt("priority"));
        assertNull(t.get("deadlines.takeChargeBy"));
    }

    @Test
    void anUnknownCustomerHasNoContractAndAWebmailDomainIsNeverAskedFor() {
        JsonPath t = create(ticket("someone.unknown@gmail.com", null));
        assertEquals("not-maintained", t.getString("contract"));
        assertTrue(t.getString("triage.contractReason").contains("no customer in the ERP for email someone.unknown@gmail.com"),
                t.getString("triage.contractReason"));
        assertEquals(1, executeCalls("someone.unknown@gmail.com"));
        assertEquals(0, executeCalls("gmail.com"), "a webmail domain says nothing about the customer");
    }

    @Test
    void answersAreCachedSoTheErpIsAskedOncePerCustomer() {
        create(ticket(Samples.unique("cache-a"), "4711-2026"));
        create(ticket(Samples.unique("cache-b"), "4711-2026"));
        create(ticket(Samples.unique("cache-c"), "4711-2026"));
        assertEquals(1, executeCalls("4711-2026"));
        contracts.forgetAll();
        create(ticket(Samples.unique("cache-d"), "4711-2026"));
        assertEquals(2, executeCalls("4711-2026"), "forgotten answers are asked again");
    }

    @Test
    void erp500LeavesTheContractUnknownWithProvisionalDeadlinesThenTheTicketIsTriagedAgain() {
        erp.stubFor(post(urlPathEqualTo(EXECUTE)).atPriority(1).willReturn(aResponse().withStatus(500)));
        JsonPath t = create(ticket(Samples.unique("erp500"), "4711-2026"));
        assertUnknownThenRetriaged(t);
    }

    @Test
    void erpTimeoutLeavesTheContractUnknownThenTheTicketIsTriagedAgain() {
        erp.stubFor(post(urlPathEqualTo(EXECUTE)).atPriority(1)
                .willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));
        long start = System.nanoTime();
        JsonPath t = create(ticket(Samples.unique("erp-timeout"), "4711-2026"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 1_900, "intake gave up on the ERP at its timeout, not the ERP's delay: " + tookMs + " ms");
        assertUnknownThenRetriaged(t);
    }

    private void assertUnknownThenRetriaged(JsonPath t) {
        String number = t.getString("number");
        assertEquals("unknown", t.getString("contract"));
        assertEquals(Boolean.TRUE, (Object) t.get("deadlines.provisional"));
        assertEquals(2, t.getInt("priority"), "unknown contract: between maintained and not");
        assertTrue(t.getString("triage.contractReason").startsWith("ERP unavailable"), t.getString("triage.contractReason"));
        OffsetDateTime created = time(t, "createdAt");
        assertEquals(DESK.plus(created.toInstant(), Duration.ofHours(4)), time(t, "deadlines.takeChargeBy").toInstant(),
                "held to a maintained customer's deadline meanwhile");
        // still down: the re-triage waits and is not given up
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(
                () -> "unknown".equals(staffView(number).getString("ticket.contract")));
        assertTrue(Db.count(ds, "SELECT COUNT(*) FROM outbox WHERE type = 'contract-retriage' AND status = 'PENDING'"
                + " AND ticket_id = (SELECT id FROM ticket WHERE number = ?)", number) == 1);
        WireMockResource.reset(); // the ERP is back
        await().atMost(Duration.ofSeconds(15)).until(
                () -> "maintained".equals(staffView(number).getString("ticket.contract")));
        JsonPath staff = staffView(number);
        assertEquals(1, staff.getInt("ticket.priority"));
        assertEquals("C0001", staff.getString("customerCode"));
        assertNull(staff.get("ticket.deadlines.provisional"));
        List<String> types = new java.util.ArrayList<>(staff.getList("history.type"));
        types.removeIf(type -> !type.endsWith("triaged")); // the triage only (not Jira's or on-call's events)
        assertEquals(List.of("triaged", "retriaged"), types);
        assertTrue(staff.getString("history.find { it.type == 'retriaged' }.detail").contains("contract maintained"));
    }

    @Test
    void anExpiredTokenIsRenewedOnA401() {
        erp.stubFor(post(urlPathEqualTo(EXECUTE)).atPriority(1).withRequestBody(containing("HUB_CONTRAT_SUPPORT"))
                .inScenario("token")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(401))
                .willSetStateTo("renewed"));
        int loginsBefore = erp.findAll(postRequestedFor(urlPathEqualTo("/api/v1/Authent/Auth"))).size();
        JsonPath t = create(ticket(Samples.unique("token"), "4711-2026"));
        assertEquals("maintained", t.getString("contract"));
        int logins = erp.findAll(postRequestedFor(urlPathEqualTo("/api/v1/Authent/Auth"))).size() - loginsBefore;
        assertTrue(logins == 1 || logins == 2, "one login on the 401 (plus the first one of the run): " + logins);
        // the login carried the configured user and password, the retried call the new token
        erp.verify(postRequestedFor(urlPathEqualTo("/api/v1/Authent/Auth"))
                .withRequestBody(matchingJsonPath("$.user", equalTo(WireMockResource.ERP_USER)))
                .withRequestBody(matchingJsonPath("$.password", equalTo(WireMockResource.ERP_PASSWORD))));
        assertEquals(2, erp.findAll(postRequestedFor(urlPathEqualTo(EXECUTE)).withRequestBody(containing("HUB_CONTRAT_SUPPORT"))
                .withHeader("Authorization", equalTo("Bearer demo-erp-token"))).size(), "refused once, then accepted");
    }

    @Test
    void aRefusedLoginLeavesTheContractUnknownAndNeverLeaksThePassword() {
        erp.stubFor(post(urlPathEqualTo(EXECUTE)).atPriority(1).willReturn(aResponse().withStatus(401)));
        erp.stubFor(post(urlPathEqualTo("/api/v1/Authent/Auth")).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":1,\"txterr\":\"Utilisateur ou mot de passe incorrect\",\"access_token\":\"\"}")));
        JsonPath t = create(ticket(Samples.unique("login"), "4711-2026"));
        assertEquals("unknown", t.getString("contract"));
        String reason = t.getString("triage.contractReason");
        assertTrue(reason.contains("incorrect"), reason);
        assertTrue(!reason.contains(WireMockResource.ERP_PASSWORD), "no secret in a reason");
        assertTrue(staffView(t.getString("number")).getString("ticket.contract") != null);
    }

    @Test
    void theDeadlineAndPriorityAreShownOnTheStatusAnswerToo() {
        JsonPath t = create(ticket(Samples.unique("status"), "4711-2026"));
        given().header("Authorization", "Bearer " + t.getString("accessToken"))
                .when().get("/api/tickets/" + t.getString("number"))
                .then().statusCode(200)
                .body("contract", org.hamcrest.Matchers.equalTo("maintained"))
                .body("deadlines.takeChargeBy", notNullValue())
                .body("deadlines.pausedSince", nullValue())
                .body("triage.contractReason", containsString("C0001"));
    }
}
