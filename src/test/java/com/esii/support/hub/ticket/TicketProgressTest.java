package com.esii.support.hub.ticket;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.sla.BusinessCalendar;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * Support's steps on a ticket (reported through the admin API until Jira reports them): the status, the
 * contractual clock and the history move together; a customer's mail ends a pause.
 */
@QuarkusTest
class TicketProgressTest extends HubTestResources {

    static final BusinessCalendar DESK = BusinessCalendar.supportDesk();

    static JsonPath create(String email, String accessCode) {
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        if (accessCode != null) {
            body.put("accessCode", accessCode);
        }
        return given().contentType(ContentType.JSON).body(body).when().post("/api/tickets")
                .then().statusCode(201).extract().jsonPath();
    }

    static ValidatableResponse step(String number, String type, OffsetDateTime at, String onSite) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        if (at != null) {
            body.put("at", at.toString());
        }
        if (onSite != null) {
            body.put("onSite", onSite);
        }
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(body).when().post("/admin/tickets/" + number + "/steps").then();
    }

    static JsonPath staff(String number) {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .when().get("/admin/tickets/" + number).then().statusCode(200).extract().jsonPath();
    }

    /**
     * The ticket's triage and support's steps in its history (without what other parts add: the JSM request's
     * creation, on-call paging out of hours...).
     */
    static List<String> steps(String number) {
        java.util.Set<String> kept = new java.util.HashSet<>(List.of("triaged"));
        for (Step s : Step.values()) {
            kept.add(s.code());
        }
        List<String> types = new java.util.ArrayList<>(staff(number).getList("history.type"));
        types.removeIf(t -> !kept.contains(t));
        return types;
    }

    static OffsetDateTime time(JsonPath j, String path) {
        return OffsetDateTime.parse(j.getString(path));
    }

    @Test
    void waitingOnTheCustomerStopsTheClockAndTheDeadlineMovesByThePause() {
        JsonPath t = create(Samples.unique("pause"), "4711-2026");
        String number = t.getString("number");
        OffsetDateTime created = time(t, "createdAt");
        OffsetDateTime due = time(t, "deadlines.takeChargeBy");
        OffsetDateTime waiting = created.plusMinutes(1);
        OffsetDateTime resumed = created.plusDays(4).plusHours(2); // covers business time whatever the day it runs;
        step(number, "waiting-on-customer", waiting, null).statusCode(200)
                .body("ticket.status", equalTo("waiting_on_customer"))
                .body("ticket.deadlines.pausedSince", notNullValue());
        JsonPath after = step(number, "resumed", resumed, null).statusCode(200)
                .body("ticket.status", equalTo("new"))
                .body("ticket.deadlines.pausedSince", nullValue())
                .extract().jsonPath();
        Duration paused = DESK.between(waiting.toInstant(), resumed.toInstant());
        assertTrue(paused.toMinutes() > 0, "the pause covered business time");
        assertEquals(DESK.plus(due.toInstant(), paused), time(after, "ticket.deadlines.takeChargeBy").toInstant());
        JsonPath taken = step(number, "taken-in-charge", null, null).statusCode(200)
                .body("ticket.status", equalTo("in_progress")).extract().jsonPath();
        assertTrue(taken.getString("ticket.deadlines.takenInChargeAt") != null);
        List<String> history = steps(number);
        assertEquals(List.of("triaged", "waiting-on-customer", "resumed", "taken-in-charge"), history);
    }

    @Test
    void anOnSiteInterventionForAMaintainedCustomerIsDueWithinSixteenBusinessHours() {
        String number = create(Samples.unique("onsite"), "4711-2026").getString("number");
        OffsetDateTime decided = OffsetDateTime.now().withNano(0);
        JsonPath j = step(number, "on-site-decided", decided, "exchange").statusCode(200)
                .body("ticket.deadlines.onSite", equalTo("exchange"))
                .body("ticket.quoteRequired", equalTo(false))
                .extract().jsonPath();
        assertEquals(DESK.plus(decided.toInstant(), Duration.ofHours(16)),
                time(j, "ticket.deadlines.onSiteBy").toInstant());
        step(number, "on-site-decided", null, "intervention").statusCode(409)
                .body("detail", containsString("already decided"));
        step(number, "on-site-done", null, null).statusCode(200)
                .body("ticket.deadlines.onSiteDoneAt", notNullValue());
        step(number, "resolved", null, null).statusCode(200).body("ticket.status", equalTo("resolved"));
    }

    @Test
    void anInterventionForACustomerWithoutMaintenanceWaitsForAnAcceptedQuote() {
        String number = create("claire-" + Samples.unique("q").substring(0, 10).replace('@', '-') + "@atelier-martin.fr",
                null).getString("number");
        step(number, "on-site-decided", null, "intervention").statusCode(200)
                .body("ticket.contract", equalTo("not-maintained"))
                .body("ticket.quoteRequired", equalTo(true))
                .body("ticket.deadlines.onSiteBy", nullValue())
                .body("history.detail", org.hamcrest.Matchers.hasItem(containsString("quote required")));
        step(number, "on-site-done", null, null).statusCode(409).body("detail", containsString("quote required"));
        step(number, "quote-accepted", null, null).statusCode(200)
                .body("ticket.deadlines.onSiteBy", nullValue());
        step(number, "on-site-done", null, null).statusCode(200);
        String maintained = create(Samples.unique("noquote"), "4711-2026").getString("number");
        step(maintained, "quote-accepted", null, null).statusCode(409).body("detail", containsString("no quote"));
    }

    @Test
    void badStepsAreRefusedWithAReason() {
        String number = create(Samples.unique("bad-step"), null).getString("number");
        step(number, "teleported", null, null).statusCode(400).body("title", equalTo("Unknown step"));
        step(number, "on-site-decided", null, "helicopter").statusCode(409).body("detail", containsString("onSite"));
        step(number, "on-site-done", null, null).statusCode(409);
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("type", "resolved", "at", "yesterday")).when().post("/admin/tickets/" + number + "/steps")
                .then().statusCode(400).body("title", equalTo("Bad time"));
        step("SUP-2026-999999", "resolved", null, null).statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("type", "resolved"))
                .when().post("/admin/tickets/" + number + "/steps").then().statusCode(401);
        assertEquals(List.of("triaged"), steps(number), "nothing refused was recorded");
    }

    @Test
    void aCustomersReplyByMailEndsThePause() throws Exception {
        String email = Samples.unique("reply");
        JsonPath t = create(email, "4711-2026");
        String number = t.getString("number");
        step(number, "taken-in-charge", null, null).statusCode(200);
        step(number, "waiting-on-customer", null, null).statusCode(200);
        MailClient.send(MailClient.message(email, "Re: [" + number + "] The tracker stopped",
                "Here is the log you asked for."));
        await().atMost(Duration.ofSeconds(15)).until(() -> "in_progress".equals(staff(number).getString("ticket.status")));
        JsonPath s = staff(number);
        assertEquals("resumed", s.getString("history[-1].type"));
        assertEquals("customer", s.getString("history[-1].source"));
        assertTrue(s.get("ticket.deadlines.pausedSince") == null);
    }
}
