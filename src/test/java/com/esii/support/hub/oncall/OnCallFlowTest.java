package com.esii.support.hub.oncall;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.mail.AcknowledgementMail;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;
import com.esii.support.hub.testing.WireMockResource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The rota API, the take-charge watchdog and out-of-hours paging end to end, on the real Quartz (clustered JDBC
 * store on PostgreSQL), with the hub's clock moved to chosen instants: mails read back from GreenMail, the page
 * webhook and the internal JSM comments from WireMock.
 */
@QuarkusTest
@TestProfile(OnCallFlowTest.Profile.class)
class OnCallFlowTest extends HubTestResources {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final String TEAM = "support-team@example.com";
    static final String MANAGER = "support-manager@example.com";
    static final String HOOK = "/hooks/page";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hub.oncall.team-email", TEAM,
                    "hub.oncall.manager-email", MANAGER,
                    "hub.oncall.webhook-url", "${hub.jira.url}" + HOOK,
                    "hub.oncall.webhook-token", "test-page-token",
                    "hub.oncall.link-key", "test-link-key",
                    "hub.oncall.ack-timeout", "3s",
                    // a first page waits this long for its JSM request (10 s by default): Jira down, it goes without
                    "hub.oncall.request-wait", "5s",
                    "hub.oncall.max-pages", "3",
                    // staff's texts in English here (French by default): the comments, mails and pages below say so
                    "hub.desk.language", "en");
        }
    }

    @Inject
    MovableClock clock;
    @Inject
    TicketJobs jobs;
    @Inject
    DataSource ds;
    @Inject
    AckLinks links;
    @Inject
    Outbox outbox;
    @Inject
    OutboxRelay relay;
    @Inject
    ObjectMapper json;

    String alice;
    String bob;

    static Instant paris(String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    @BeforeEach
    void rota() {
        WireMockResource.reset();
        WireMockResource.server().stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(204)));
        // Two technicians of our own (fresh addresses each test); weeks from 2026-01-05 alternate alice, bob.
        alice = Samples.unique("alice");
        bob = Samples.unique("bob");
        admin().body(Map.of("name", "Alice Martin", "email", alice, "phone", "+33 6 00 00 00 01"))
                .put("/admin/oncall/technicians/alice").then().statusCode(200);
        admin().body(Map.of("name", "Bob Durand", "email", bob, "phone", "+33 6 00 00 00 02"))
                .put("/admin/oncall/technicians/bob").then().statusCode(200);
        admin().body(Map.of("startsOn", "2026-01-05", "members", List.of("alice", "bob")))
                .put("/admin/oncall/rotations/main").then().statusCode(200);
    }

    @AfterEach
    void realTime() {
        clock.reset();
        WireMockResource.reset();
    }

    static String create(String email, String accessCode, String impact, String kind, String language) {
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        if (accessCode != null) {
            body.put("accessCode", accessCode);
        }
        body.put("impact", impact);
        body.put("kind", kind);
        body.put("language", language);
        return given().contentType(ContentType.JSON).body(body).post("/api/tickets").then().statusCode(201)
                .extract().path("number");
    }

    List<String> history(String number) {
        return admin().get("/admin/tickets/" + number).then().statusCode(200).extract().jsonPath()
                .getList("history.type", String.class);
    }

    static String text(MimeMessage m) {
        try {
            return com.esii.support.hub.testing.Mailboxes.text(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long pages(DataSource ds, String number) {
        return Db.count(ds, "SELECT count(*) FROM oncall_page p JOIN ticket t ON t.id = p.ticket_id WHERE t.number = ?",
                number);
    }

    /** hub.desk.language is en here: the staff pages follow it; {@code ?lang=} still chooses another. */
    @Test
    void staffPagesSpeakTheDesksLanguage() {
        String dashboard = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .get("/admin/dashboard").then().statusCode(200).extract().asString();
        assertTrue(dashboard.contains("<html lang=\"en\""), dashboard);
        String french = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .get("/admin/dashboard?lang=fr").then().statusCode(200).extract().asString();
        assertTrue(french.contains("<html lang=\"fr\""), french);
        given().get("/oncall/ack/SUP-2026-999999?page=1&sig=x").then().statusCode(404)
                .header("Cache-Control", "no-store")
                .body(containsString("<html lang=\"en\">"), containsString("<title>Unknown page</title>"),
                        containsString("<p>This link is not valid.</p>"),
                        containsString("<meta name=\"robots\" content=\"noindex\">"));
    }

    @Test
    void theRotaIsEditedByAdminsAndSaysWhoIsOnCall() {
        given().get("/api/oncall/now").then().statusCode(401);
        admin().body(Map.of("startsOn", "2026-01-06", "members", List.of("alice", "nobody")))
                .put("/admin/oncall/rotations/bad").then().statusCode(400)
                .body("invalid-params.name", org.hamcrest.Matchers.hasItems("startsOn", "members"));
        // Week 10 from 2026-01-05 (Monday 2026-03-16) is alice's; bob swaps in for Saturday.
        admin().body(Map.of("from", "2026-03-21T00:00:00+01:00", "to", "2026-03-22T00:00:00+01:00",
                "technician", "bob", "reason", "swap with alice")).post("/admin/oncall/overrides").then().statusCode(201);

        clock.set(paris("2026-03-17T12:00"));
        admin().get("/api/oncall/now").then().statusCode(200).body("deskOpen", org.hamcrest.Matchers.equalTo(true))
                .body("onCall", org.hamcrest.Matchers.nullValue());
        clock.set(paris("2026-03-17T21:00"));
        admin().get("/api/oncall/now").then().statusCode(200).body("deskOpen", org.hamcrest.Matchers.equalTo(false))
                .body("onCall.reason", org.hamcrest.Matchers.equalTo("night")).body("onCall.technician.code", org.hamcrest.Matchers.equalTo("alice"))
                .body("onCall.technician.phone", org.hamcrest.Matchers.equalTo("+33 6 00 00 00 01")).body("onCall.backup.code", org.hamcrest.Matchers.equalTo("bob"))
                .body("onCall.from", org.hamcrest.Matchers.equalTo("2026-03-17T18:30:00+01:00")).body("onCall.to", org.hamcrest.Matchers.equalTo("2026-03-18T08:00:00+01:00"));

        admin().queryParam("from", "2026-03-20").queryParam("to", "2026-03-23").get("/api/oncall").then()
                .statusCode(200)
                .body("duties", hasSize(4))
                .body("duties.reason", org.hamcrest.Matchers.equalTo(List.of("night", "night", "weekend", "weekend")))
                .body("duties.technician.code", org.hamcrest.Matchers.equalTo(List.of("alice", "alice", "bob", "alice")))
                .body("duties[2].from", org.hamcrest.Matchers.equalTo("2026-03-21T00:00:00+01:00"))
                .body("duties[2].override", org.hamcrest.Matchers.notNullValue());
        admin().queryParam("from", "2026-01-01").queryParam("to", "2026-12-31").get("/api/oncall").then()
                .statusCode(400);
        admin().get("/admin/oncall").then().statusCode(200).body("rotations.name", org.hamcrest.Matchers.hasItem("main"));
    }

    @Test
    void theWatchdogWarnsAtHalfAndThreeQuartersAndEscalatesTheBreachInBusinessTime() {
        // Monday 2026-03-02 09:00: a maintained customer (no on-call option); taken in charge by 13:00.
        clock.set(paris("2026-03-02T09:00"));
        String number = create(Samples.unique("watch").replace("@", ".") + "@logistique-durand.fr", null, "major",
                "problem", "fr");
        assertEquals(paris("2026-03-02T11:00").getEpochSecond(),
                jobs.nextRun(DeadlineWatchdog.GROUP, number).orElseThrow().getEpochSecond(), 2, "first check at 50 %");

        clock.set(paris("2026-03-02T10:59"));
        jobs.runNow(DeadlineWatchdog.GROUP, number);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jobs.nextRun(DeadlineWatchdog.GROUP, number)
                .map(t -> Math.abs(t.getEpochSecond() - paris("2026-03-02T11:00").getEpochSecond()) <= 2).orElse(false));
        assertFalse(history(number).contains("deadline-warning-50"), "nothing before its time");

        clock.set(paris("2026-03-02T11:00:30"));
        jobs.runNow(DeadlineWatchdog.GROUP, number);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> history(number).contains("deadline-warning-50"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jobs.nextRun(DeadlineWatchdog.GROUP, number)
                .map(t -> Math.abs(t.getEpochSecond() - paris("2026-03-02T12:00").getEpochSecond()) <= 2).orElse(false));

        clock.set(paris("2026-03-02T13:00:30"));
        jobs.runNow(DeadlineWatchdog.GROUP, number);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> history(number).contains("deadline-breached"));
        List<String> h = history(number);
        assertEquals(1, h.stream().filter("deadline-warning-50"::equals).count());
        assertEquals(1, h.stream().filter("deadline-warning-75"::equals).count());
        assertTrue(h.indexOf("deadline-warning-75") < h.indexOf("deadline-breached"));
        assertTrue(jobs.nextRun(DeadlineWatchdog.GROUP, number).isEmpty(), "nothing left to watch");

        // The team got the two warnings and the breach; the manager the breach; Jira three internal comments.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Mailboxes.to(TEAM).stream()
                .filter(m -> subject(m).contains(number)).count() == 3);
        List<MimeMessage> manager = Mailboxes.to(MANAGER).stream().filter(m -> subject(m).contains(number)).toList();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Mailboxes.to(MANAGER).stream()
                .filter(m -> subject(m).contains(number)).count() == 1);
        assertTrue(Mailboxes.to(MANAGER).stream().filter(m -> subject(m).contains(number))
                .allMatch(m -> subject(m).startsWith("[BREACH]")), manager.toString());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> WireMockResource.server()
                .findAll(postRequestedFor(urlPathMatching("/rest/servicedeskapi/request/[^/]+/comment"))
                        .withRequestBody(containing("Watchdog: "))
                        .withRequestBody(matchingJsonPath("$.public", equalTo("false")))).size() == 3);
    }

    @Test
    void aTicketTakenInChargeIsNoLongerWatched() {
        clock.set(paris("2026-03-03T09:00"));
        String number = create(Samples.unique("taken").replace("@", ".") + "@logistique-durand.fr", null, "major",
                "problem", "fr");
        admin().body(Map.of("type", "taken-in-charge")).post("/admin/tickets/" + number + "/steps").then().statusCode(200);
        clock.set(paris("2026-03-03T14:00"));
        jobs.runNow(DeadlineWatchdog.GROUP, number);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jobs.nextRun(DeadlineWatchdog.GROUP, number).isEmpty());
        assertFalse(history(number).stream().anyMatch(t -> t.startsWith("deadline-")));
    }

    @Test
    void aBlockingAnomalyOutOfHoursPagesTheOnCallTechnicianThenEscalatesUntilAcknowledged() throws Exception {
        // Saturday 2026-03-14 22:00, week 9 from 2026-01-05: bob is on call, alice backs him up.
        clock.set(paris("2026-03-14T22:00"));
        String customer = Samples.unique("night");
        String number = create(customer, "4711-2026", "blocking", "problem", "en");

        MimeMessage page1 = Mailboxes.await(bob, 1).get(0);
        assertTrue(subject(page1).startsWith("[ON-CALL] [" + number + "]"), subject(page1));
        assertTrue(text(page1).contains("/oncall/ack/" + number + "?page=1&sig="), text(page1));
        // The first page is queued with the ticket, before its JSM request: it waits for the request (at most
        // hub.oncall.request-wait) so that it names it with the link staff open (issue 26, point 5).
        String key = Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number);
        String agentUrl = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("hub.jira.url",
                String.class) + "/browse/" + key;
        assertTrue(text(page1).contains("JSM request: " + key + " (" + agentUrl + ")"), text(page1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> WireMockResource.server()
                .findAll(postRequestedFor(urlPathEqualTo(HOOK)).withRequestBody(containing(number))).size() == 1);
        WireMockResource.server().verify(postRequestedFor(urlPathEqualTo(HOOK))
                .withHeader("Authorization", equalTo("Bearer test-page-token"))
                .withHeader("Idempotency-Key", matching("page:" + Pattern.quote(number) + "/\\d+"))
                .withRequestBody(matchingJsonPath("$.dedup_key", matching("page:" + Pattern.quote(number) + "/\\d+")))
                .withRequestBody(matchingJsonPath("$.ticket", equalTo(number)))
                .withRequestBody(matchingJsonPath("$.page", equalTo("1")))
                .withRequestBody(matchingJsonPath("$.level", equalTo("on-call")))
                .withRequestBody(matchingJsonPath("$.to.phone", equalTo("+33 6 00 00 00 02"))));
        // The customer has the on-call option: no "taken in charge on Monday" in their acknowledgement, but the page
        // sent and the contractual deadline of this ticket.
        String ack = text(Mailboxes.await(customer, 1).get(0));
        assertFalse(ack.contains("outside the support desk's opening hours"), ack);
        assertTrue(ack.contains("the on-call engineer has been alerted"), ack);
        assertTrue(ack.contains("by Monday 16 March 2026 at 12:00 (Paris time)"), ack);
        // the opening knew it for good: the acknowledgement's row says so, and its mail asked no more (issue 29)
        assertTrue(ackPayload(number).contains("\"paged\":true"), ackPayload(number));

        // Not acknowledged within 3 s: the backup is paged.
        MimeMessage page2 = Mailboxes.await(alice, 1).get(0);
        assertTrue(text(page2).contains("On-call page 2 (backup)"), text(page2));
        assertEquals(2, pages(ds, number));
        // the second page names it too, in the mail and in the webhook's JSON
        assertTrue(text(page2).contains("JSM request: " + key + " (" + agentUrl + ")"), text(page2));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> WireMockResource.server()
                .findAll(postRequestedFor(urlPathEqualTo(HOOK)).withRequestBody(containing(number))).size() == 2);
        WireMockResource.server().verify(postRequestedFor(urlPathEqualTo(HOOK))
                .withRequestBody(matchingJsonPath("$.ticket", equalTo(number)))
                .withRequestBody(matchingJsonPath("$.page", equalTo("2")))
                .withRequestBody(matchingJsonPath("$.request.key", equalTo(key)))
                .withRequestBody(matchingJsonPath("$.request.url", equalTo(agentUrl))));

        // Alice acknowledges with the link of her page: opening it only shows a button; the POST acknowledges.
        Matcher m = Pattern.compile("/oncall/ack/" + Pattern.quote(number) + "\\?page=2&sig=([A-Za-z0-9_-]+)")
                .matcher(text(page2));
        assertTrue(m.find());
        String sig = m.group(1);
        given().queryParam("page", 2).queryParam("sig", sig + "x").get("/oncall/ack/" + number).then().statusCode(404);
        given().queryParam("page", 2).queryParam("sig", sig).get("/oncall/ack/" + number).then().statusCode(200)
                .header("Cache-Control", "no-store").contentType(containsString("text/html"))
                .body(containsString("<form method=\"post\""),
                        containsString("<input type=\"hidden\" name=\"page\" value=\"2\">"),
                        containsString("<input type=\"hidden\" name=\"sig\" value=\"" + sig + "\">"),
                        containsString("<meta name=\"robots\" content=\"noindex\">"),
                        containsString("<meta charset=\"utf-8\">"), containsString("<button type=\"submit\">"));
        given().formParam("page", 2).formParam("sig", sig).post("/oncall/ack/" + number).then().statusCode(200)
                .body(containsString("acknowledged"));
        given().formParam("page", 2).formParam("sig", sig).post("/oncall/ack/" + number).then().statusCode(200)
                .body(containsString("already"));

        // No third page (no escalation job is left to send one), and the history says it all.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !jobs.exists(Paging.GROUP, number));
        Quiet.outbox(ds, number);
        assertEquals(2, pages(ds, number));
        assertTrue(Mailboxes.to(MANAGER).stream().noneMatch(x -> subject(x).contains(number)));
        List<String> h = history(number);
        assertEquals(2, h.stream().filter("paged"::equals).count());
        assertTrue(h.contains("page-acknowledged"));
        // (this ticket's request only: another test's ticket may be paged meanwhile)
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> WireMockResource.server()
                .findAll(postRequestedFor(urlPathEqualTo("/rest/servicedeskapi/request/" + key + "/comment"))
                        .withRequestBody(containing("Paging: "))).size() == 3);
    }

    /**
     * The escalation job firing while the page is acknowledged (issue 25): whichever of the two takes the ticket
     * first, the acknowledgement answers 200 (never 500), whatever state the Quartz job is in then (running, just
     * fired, already gone), and no page is sent once the acknowledgement committed. The test holds the ticket's row
     * so that both wait for it, in the order chosen, then lets them go.
     */
    @Test
    void anEscalationFiringWhileThePageIsAcknowledgedNeitherFailsTheAcknowledgementNorPagesAfterIt() throws Exception {
        for (boolean jobFirst : List.of(true, false)) {
            clock.set(paris("2026-03-14T22:00"));
            String number = create(Samples.unique("race"), "4711-2026", "blocking", "problem", "en");
            String link = links.link(number, 1).orElseThrow();
            String sig = link.substring(link.indexOf("&sig=") + 5);
            // The job's own time put an hour away: it runs when the test says (runNow), and only then.
            jobs.runAt(Paging.Job.class, Paging.GROUP, number, clock.instant().plus(Duration.ofHours(1)));
            clock.set(paris("2026-03-14T22:00:10")); // the second page is due
            CompletableFuture<Response> ack;
            try (Connection holder = ds.getConnection()) {
                holder.setAutoCommit(false);
                Db.lock(holder, "SELECT id FROM ticket WHERE number = ? FOR UPDATE", number);
                if (jobFirst) {
                    assertTrue(jobs.runNow(Paging.GROUP, number));
                    awaitWaitingForTheTicket(1);
                }
                ack = CompletableFuture.supplyAsync(() -> given().formParam("page", 1)
                        .formParam("sig", sig).post("/oncall/ack/" + number));
                awaitWaitingForTheTicket(jobFirst ? 2 : 1);
                if (!jobFirst) {
                    assertTrue(jobs.runNow(Paging.GROUP, number));
                    awaitWaitingForTheTicket(2);
                }
                holder.rollback();
            }
            Response answer = ack.get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.asString());
            long paged = pages(ds, number);
            // The job ends (nothing left to page), and no page came after the acknowledgement: every page recorded
            // is acknowledged, and there are as many as when the acknowledgement answered.
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !jobs.exists(Paging.GROUP, number));
            Quiet.outbox(ds, number);
            assertEquals(paged, pages(ds, number), jobFirst ? "job first" : "acknowledgement first");
            assertEquals(0, Db.count(ds, "SELECT count(*) FROM oncall_page p JOIN ticket t ON t.id = p.ticket_id"
                    + " WHERE t.number = ? AND p.acknowledged_at IS NULL", number));
            assertEquals(jobFirst ? 2 : 1, paged, "the job first pages once more before the acknowledgement");
            // Acknowledging again, with the job gone: the same 200.
            given().formParam("page", 1).formParam("sig", sig).post("/oncall/ack/" + number).then().statusCode(200)
                    .body(containsString("already"));
            assertTrue(history(number).contains("page-acknowledged"));
        }
    }

    /** Waits until {@code n} connections wait for a ticket's row (the job's and the acknowledgement's). */
    void awaitWaitingForTheTicket(int n) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Db.count(ds, "SELECT count(*) FROM"
                + " pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'SELECT%FROM ticket WHERE number = $1"
                + " FOR UPDATE'") == n);
    }

    @Test
    void withJiraDownTheFirstPageGoesWithoutItsRequestOnceTheWaitIsOver() throws Exception {
        // JSM refuses every new request: the first page waits for one at most hub.oncall.request-wait (5 s here)
        // from its row's creation, then goes without it.
        WireMockResource.server().stubFor(post(urlPathEqualTo("/rest/servicedeskapi/request")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        clock.set(paris("2026-03-14T22:00"));
        String number = create(Samples.unique("night-jira-down"), "4711-2026", "blocking", "problem", "en");
        MimeMessage page1 = Mailboxes.await(bob, 1).get(0);
        assertTrue(subject(page1).startsWith("[ON-CALL] [" + number + "]"), subject(page1));
        assertTrue(text(page1).contains("/oncall/ack/" + number + "?page=1&sig="), text(page1));
        assertFalse(text(page1).contains("JSM request:"), text(page1));
        assertNull(Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number), "Jira was down meanwhile");
    }

    @Test
    void unacknowledgedPagesClimbThePolicyToTheManagerAndStopAtTheLimitButJiraTakingChargeStopsThem() {
        clock.set(paris("2026-03-14T23:00"));
        String number = create(Samples.unique("escalate"), "4711-2026", "blocking", "problem", "fr");
        // bob (on call), alice (backup), the manager: three pages, the limit; then paging stops.
        Mailboxes.await(bob, 1);
        Mailboxes.await(alice, 1);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Mailboxes.to(MANAGER).stream()
                .anyMatch(x -> subject(x).contains(number)));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> history(number).contains("paging-exhausted"));
        assertEquals(3, pages(ds, number));

        // Another one taken in charge (as Jira reports it) before the timeout: no second page.
        String other = create(Samples.unique("taken-night"), "4711-2026", "blocking", "problem", "fr");
        admin().body(Map.of("type", "taken-in-charge")).post("/admin/tickets/" + other + "/steps").then().statusCode(200);
        // its escalation job ends without paging (a second page would have scheduled it again)
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !jobs.exists(Paging.GROUP, other));
        Quiet.outbox(ds, other);
        assertEquals(1, pages(ds, other));
    }

    @Test
    void customersWithoutTheOnCallOptionAreToldWhenTheirTicketWillBeTakenInCharge() throws Exception {
        clock.set(paris("2026-03-14T22:00"));
        String en = Samples.unique("ooh-en").replace("@", ".") + "@logistique-durand.fr";
        String enNumber = create(en, null, "blocking", "problem", "en");
        String enAck = text(Mailboxes.await(en, 1).get(0));
        assertTrue(enAck.contains(
                "outside the support desk's opening hours: a support engineer will handle it from Monday 16 March 2026 at 08:00"));
        assertFalse(enAck.contains("on-call"), "nobody paged: " + enAck);
        // the contract known at the opening (no re-triage can page later): the row says "not paged" for good
        assertTrue(ackPayload(enNumber).contains("\"paged\":false"), ackPayload(enNumber));
        // and the mail says what its row says, without asking (a row saying "paged" for a ticket without a page:
        // only a test writes one)
        long enId = Db.count(ds, "SELECT id FROM ticket WHERE number = ?", enNumber);
        String told = json.writeValueAsString(new AcknowledgementMail.Payload(enNumber, null,
                "<told." + enNumber + "@test>", null, true));
        QuarkusTransaction.requiringNew().run(() -> outbox.enqueue(AcknowledgementMail.TYPE, "mail:" + enNumber, enId,
                en, told, java.time.OffsetDateTime.now()));
        relay.wake();
        List<MimeMessage> both = Mailboxes.await(en, 2);
        assertTrue(both.stream().anyMatch(m -> text(m).contains("the on-call engineer has been alerted")),
                "the second acknowledgement says what its row says");
        String fr = Samples.unique("ooh-fr").replace("@", ".") + "@logistique-durand.fr";
        create(fr, null, "minor", "question", "fr");
        assertTrue(text(Mailboxes.await(fr, 1).get(0)).contains("prise en charge à partir du lundi 16 mars 2026 à 08h00"));
        String es = Samples.unique("ooh-es");
        create(es, "4711-2026", "minor", "question", "es"); // on-call option, but nothing blocking: no page
        assertTrue(text(Mailboxes.await(es, 1).get(0)).contains("a partir del lunes 16 de marzo de 2026 a las 08:00"));
        // During opening hours nothing is said.
        clock.set(paris("2026-03-16T10:00"));
        String day = Samples.unique("day");
        create(day, null, "minor", "question", "en");
        assertFalse(text(Mailboxes.await(day, 1).get(0)).contains("opening hours:"));
    }

    /** The payload of the ticket's acknowledgement row. */
    String ackPayload(String number) {
        return Db.string(ds, "SELECT payload FROM outbox WHERE type = 'mail-ack' AND ticket_id = (SELECT id FROM ticket"
                + " WHERE number = ?) ORDER BY id LIMIT 1", number);
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
