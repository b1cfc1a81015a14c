package com.esii.support.hub.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.WireMockResource;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The hub and Jira kept in step, end to end: real mails in and out (GreenMail), the simulated JSM and Jira R&D
 * (WireMock serving mocks/mappings/jira), every request checked against Atlassian's contracts.
 */
@QuarkusTest
class JiraFlowTest extends HubTestResources {

    static final String REQUEST = "/rest/servicedeskapi/request";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource ds;

    @Inject
    JiraReconciler reconciler;

    WireMockServer jira;

    @BeforeEach
    void fresh() {
        jira = WireMockResource.server();
        WireMockResource.reset();
    }

    @AfterEach
    void restore() {
        WireMockResource.reset();
    }

    // --- helpers --------------------------------------------------------------------------------------------

    String openByApi(String email, String accessCode) {
        return openByApi(email, accessCode, null);
    }

    /**
     * A ticket whose text ends with this (null: the sample's text only). The request's description is the customer's
     * text: a stub aimed at one creation matches something the customer wrote.
     */
    String openByApi(String email, String accessCode, String signature) {
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        if (signature != null) {
            body.put("description", body.get("description") + "\n-- \n" + signature);
        }
        if (accessCode != null) {
            body.put("accessCode", accessCode);
        }
        return given().contentType(ContentType.JSON).body(body).when().post("/api/tickets").then().statusCode(201)
                .extract().path("number");
    }

    String awaitKey(String number) {
        await().atMost(Duration.ofSeconds(20)).until(() -> key(number) != null);
        return key(number);
    }

    String key(String number) {
        return Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number);
    }

    String status(String number) {
        return Db.string(ds, "SELECT status FROM ticket WHERE number = ?", number);
    }

    static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WireMockResource.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    static int webhook(String body, String identifier) throws Exception {
        return given().contentType(ContentType.JSON).header("X-Hub-Signature", sign(body))
                .header("X-Atlassian-Webhook-Identifier", identifier).body(body)
                .when().post("/webhooks/jira").then().extract().statusCode();
    }

    static String event(String type, String key) {
        return "{\"timestamp\":" + System.currentTimeMillis() + ",\"webhookEvent\":\"" + type
                + "\",\"issue\":{\"id\":\"1\",\"key\":\"" + key + "\"}}";
    }

    /** JSM request {@code key} as Jira shows it now. */
    void stubRequest(String key, String status, String category, String resolution, List<String> labels) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("summary", "[SUP] stubbed");
        fields.put("project", Map.of("key", "SD"));
        fields.put("status", Map.of("name", status, "statusCategory", Map.of("key", category)));
        fields.put("labels", labels);
        fields.put("updated", "2026-11-26T10:15:00.000+0100");
        if (resolution != null) {
            fields.put("resolution", Map.of("name", resolution));
            fields.put("resolutiondate", "2026-11-26T10:15:00.000+0100");
        }
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/" + key)).atPriority(1)
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(json(Map.of("id", "1", "key", key, "fields", fields)))));
    }

    void stubComments(String key, List<Map<String, Object>> comments) {
        jira.stubFor(get(urlPathEqualTo(REQUEST + "/" + key + "/comment")).atPriority(1)
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(json(Map.of(
                        "size", comments.size(), "start", 0, "limit", 100, "isLastPage", true, "values", comments)))));
    }

    static Map<String, Object> comment(String id, boolean isPublic, String author, String body) {
        return Map.of("id", id, "public", isPublic, "body", body,
                "author", Map.of("displayName", author, "emailAddress", author.toLowerCase().replace(' ', '.') + "@esii.example"));
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<LoggedRequest> created(String number) {
        return jira.findAll(postRequestedFor(urlPathEqualTo(REQUEST)).withRequestBody(containing(number)));
    }

    static String text(MimeMessage m) throws Exception {
        return com.esii.support.hub.testing.Mailboxes.text(m);
    }

    // --- hub → Jira ------------------------------------------------------------------------------------------

    @Test
    void aMailBecomesAJsmRequestWithItsTriageThenStaffsPublicCommentIsMailedBackAndTheInternalOneIsNot()
            throws Exception {
        String email = "paul-" + UUID.randomUUID().toString().substring(0, 6) + "@clinique-saint-roch.fr";
        MailClient.send(MailClient.message(email, "Imprimante en panne", "Plus rien ne fonctionne depuis ce matin."));
        await().atMost(Duration.ofSeconds(20)).until(
                () -> Db.string(ds, "SELECT number FROM ticket WHERE customer_email = ?", email) != null);
        String number = Db.string(ds, "SELECT number FROM ticket WHERE customer_email = ?", email);
        String key = awaitKey(number);

        LoggedRequest create = created(number).get(0);
        var body = JSON.readTree(create.getBodyAsString());
        assertEquals("1", body.path("serviceDeskId").asText());
        assertEquals("10", body.path("requestTypeId").asText(), "an anomaly goes to the problem request type");
        assertEquals("[" + number + "] Imprimante en panne", body.path("requestFieldValues").path("summary").asText());
        String description = body.path("requestFieldValues").path("description").asText();
        // the customer reads the description on the portal: their words only
        assertEquals("Plus rien ne fonctionne depuis ce matin.", description);
        // the triage, for staff only: an internal comment, in the desk's language (French by default), with its marker
        await().atMost(Duration.ofSeconds(20)).until(() -> !jira.findAll(postRequestedFor(
                urlPathEqualTo("/rest/servicedeskapi/request/" + key + "/comment"))
                .withRequestBody(matchingJsonPath("$.public", equalTo("false")))
                .withRequestBody(containing("Contrat : sous maintenance"))
                .withRequestBody(containing("criticit\u00e9 : bloquante (r\u00e8gle blocking-fr)"))
                .withRequestBody(containing("(ref. " + number + "/"))).isEmpty());
        assertEquals("Highest", body.path("requestFieldValues").path("priority").path("name").asText());
        assertTrue(body.path("raiseOnBehalfOf").asText().startsWith("qm:"), "raised on behalf of the customer");
        jira.verify(postRequestedFor(urlPathEqualTo("/rest/servicedeskapi/customer"))
                .withRequestBody(matchingJsonPath("$.email", equalTo(email))));

        stubRequest(key, "In Progress", "indeterminate", null, List.of());
        stubComments(key, List.of(comment("9001", true, "Marie Agent", "Nous regardons votre imprimante."),
                comment("9002", false, "Marie Agent", "note interne: client sensible")));
        assertEquals(204, webhook(event("comment_created", key), "wh-" + number));
        List<MimeMessage> mails = Mailboxes.await(email, 2);
        MimeMessage reply = mails.stream().filter(m -> {
            try {
                return text(m).contains("Nous regardons");
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElseThrow();
        assertTrue(reply.getSubject().contains("[" + number + "]"), reply.getSubject());
        assertTrue(text(reply).contains("Marie Agent"), text(reply));
        assertNotNull(reply.getHeader("In-Reply-To"), "threaded to the customer's ticket");
        for (MimeMessage m : mails) {
            assertFalse(text(m).contains("note interne"), "an internal comment never reaches the customer");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "IN_PROGRESS".equals(status(number)));

        // the same delivery again, and another delivery about the same comment: nothing twice
        assertEquals(204, webhook(event("comment_created", key), "wh-" + number));
        assertEquals(204, webhook(event("comment_updated", key), "wh2-" + number));
        Quiet.outbox(ds, number, key);
        assertEquals(2, Mailboxes.to(email).size(), "one acknowledgement and one answer");
        assertEquals(1, created(number).size(), "one JSM request");
    }

    /** The JSM request is created by route jsm-create-request, whose exchanges Camel counts by route id. */
    /**
     * A customer's JSM account, once known, is remembered by the replica (issue 29: each request asked the database
     * again): their next request is raised on behalf of the same account with neither JSM nor the table asked (the
     * table's row is removed here to show it).
     */
    @Test
    void aKnownCustomersAccountIsRememberedForTheirNextRequest() throws Exception {
        String email = "anne-" + UUID.randomUUID().toString().substring(0, 6) + "@clinique-saint-roch.fr";
        String first = given().contentType(ContentType.JSON).body(Samples.ticket(email)).when().post("/api/tickets")
                .then().statusCode(201).extract().path("number");
        awaitKey(first);
        String account = Db.string(ds, "SELECT account_id FROM jira_customer WHERE email = ?", email);
        assertTrue(account != null && account.startsWith("qm:"), account);
        Db.update(ds, "DELETE FROM jira_customer WHERE email = ?", email);

        String second = given().contentType(ContentType.JSON).body(Samples.ticket(email))
                .when().post("/api/tickets").then().statusCode(201).extract().path("number");
        awaitKey(second);
        assertEquals(account, JSON.readTree(created(second).get(0).getBodyAsString()).path("raiseOnBehalfOf").asText(),
                "raised on behalf of the same account");
        assertEquals(1, jira.findAll(postRequestedFor(urlPathEqualTo("/rest/servicedeskapi/customer"))
                .withRequestBody(matchingJsonPath("$.email", equalTo(email)))).size(), "JSM asked once");
    }

    @Test
    void theRequestsCreationIsCountedUnderItsRouteInTheMetrics() {
        String number = openByApi("metrics-" + UUID.randomUUID().toString().substring(0, 8) + "@customer.example",
                null);
        awaitKey(number);
        await().atMost(Duration.ofSeconds(10)).until(() -> routeExchanges(JsmRequests.ROUTE) >= 1);
    }

    /** {@code camel_exchanges_total} of one route, as /q/metrics shows it (0 when absent). */
    static double routeExchanges(String routeId) {
        return given().when().get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("camel_exchanges_total{") && l.contains("routeId=\"" + routeId + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aWebhookWithABadSignatureIsRefusedAndDoesNothing() {
        long before = Db.count(ds, "SELECT COUNT(*) FROM outbox WHERE type = 'jira-sync'");
        String body = event("comment_created", "SD-1");
        given().contentType(ContentType.JSON).header("X-Hub-Signature", "sha256=" + "0".repeat(64))
                .header("X-Atlassian-Webhook-Identifier", "bad-1").body(body)
                .when().post("/webhooks/jira").then().statusCode(401);
        given().contentType(ContentType.JSON).body(body).when().post("/webhooks/jira").then().statusCode(401);
        assertEquals(before, Db.count(ds, "SELECT COUNT(*) FROM outbox WHERE type = 'jira-sync'"));
        assertEquals(0, Db.count(ds, "SELECT COUNT(*) FROM jira_webhook WHERE identifier = 'bad-1'"));
    }

    @Test
    void aLostWebhookIsCaughtByTheReconciliationThenAReplyWithinTheWindowReopens() throws Exception {
        String email = Samples.unique("lost");
        String number = openByApi(email, null);
        String key = awaitKey(number);
        stubRequest(key, "Resolved", "done", "Done", List.of());
        stubComments(key, List.of(comment("9101", true, "Luc Agent", "Le correctif de configuration est appliqué.")));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).atPriority(1).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody(json(Map.of("issues", List.of(Map.of("id", "1", "key", key,
                        "fields", Map.of("updated", "2026-11-26T10:15:00.000+0100"))), "isLast", true)))));
        assertTrue(reconciler.reconcile() >= 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "RESOLVED".equals(status(number)));
        List<MimeMessage> mails = Mailboxes.await(email, 3);
        assertTrue(mails.stream().anyMatch(m -> {
            try {
                return text(m).contains("Votre demande " + number + " est résolue."); // Done adds nothing (issue 26)
            } catch (Exception e) {
                return false;
            }
        }), "the closing mail, with the resolution");
        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/search/jql"))
                .withRequestBody(matchingJsonPath("$.jql", containing("updated >= -"))));

        // the customer answers within the reopen window: the request is reopened in JSM
        MailClient.send(MailClient.message(email, "Re: [" + number + "] The tracker stopped", "Still broken here."));
        await().atMost(Duration.ofSeconds(20)).until(() -> !jira.findAll(postRequestedFor(
                urlPathEqualTo("/rest/api/3/issue/" + key + "/transitions"))).isEmpty());
        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/" + key + "/transitions"))
                .withRequestBody(equalToJson("{\"transition\":{\"id\":\"31\"}}")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !"RESOLVED".equals(status(number)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !jira.findAll(postRequestedFor(
                urlPathEqualTo(REQUEST + "/" + key + "/comment")).withRequestBody(containing("Still broken"))).isEmpty());
    }

    // --- robustness ------------------------------------------------------------------------------------------

    @Test
    void jiraDownForAWhileThenEverythingArrivesInOrder() throws Exception {
        jira.stubFor(post(urlPathEqualTo(REQUEST)).atPriority(1).willReturn(aResponse().withStatus(503)));
        jira.stubFor(post(urlPathEqualTo("/rest/servicedeskapi/customer")).atPriority(1)
                .willReturn(aResponse().withStatus(500)));
        String email = Samples.unique("down");
        MailClient.send(MailClient.message(email, "Scanner HS", "Le scanner ne démarre plus."));
        await().atMost(Duration.ofSeconds(20)).until(
                () -> Db.string(ds, "SELECT number FROM ticket WHERE customer_email = ?", email) != null);
        String number = Db.string(ds, "SELECT number FROM ticket WHERE customer_email = ?", email);
        Mailboxes.await(email, 1); // the customer has the number although Jira is down
        MailClient.send(MailClient.message(email, "Re: [" + number + "] Scanner HS", "Voici le journal."));
        // the request's creation tried again and again while Jira is away (and the reply's comment queued behind it)
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds, "SELECT COALESCE(MAX(attempts), 0) FROM outbox"
                + " WHERE lane = ? AND type = 'jira-create'", "jira:" + number) >= 3 && Db.count(ds, "SELECT COUNT(*)"
                + " FROM outbox WHERE lane = ? AND status = 'PENDING'", "jira:" + number) >= 2);
        assertEquals(null, key(number));
        assertTrue(Db.count(ds, "SELECT COUNT(*) FROM outbox WHERE lane = ? AND status = 'PENDING'", "jira:" + number) >= 2);
        assertEquals(0, Db.count(ds, "SELECT COUNT(*) FROM outbox WHERE lane = ? AND status = 'DEAD'", "jira:" + number));

        WireMockResource.reset(); // Jira is back
        String key = awaitKey(number);
        await().atMost(Duration.ofSeconds(20)).until(() -> !jira.findAll(postRequestedFor(
                urlPathEqualTo(REQUEST + "/" + key + "/comment"))).isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> jira.findAll(postRequestedFor(
                urlPathEqualTo(REQUEST + "/" + key + "/comment"))).size() >= 2);
        LoggedRequest create = created(number).get(0);
        List<LoggedRequest> comments = jira.findAll(postRequestedFor(urlPathEqualTo(REQUEST + "/" + key + "/comment")));
        comments.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        // the triage note first (queued with the request), then the customer's reply, in the lane's order
        assertTrue(comments.get(0).getBodyAsString().contains("\"public\":false"), comments.get(0).getBodyAsString());
        LoggedRequest comment = comments.get(1);
        assertTrue(create.getLoggedDate().before(comment.getLoggedDate()) || create.getLoggedDate().equals(comment.getLoggedDate()));
        assertTrue(comment.getBodyAsString().contains("Voici le journal"));
        assertEquals(1, created(number).size(), "one request once Jira is back");
    }

    @Test
    void aTimeoutAfterTheCreateStillMakesOneRequest() {
        String email = Samples.unique("timeout");
        jira.stubFor(post(urlPathEqualTo(REQUEST)).atPriority(1).withRequestBody(containing(email))
                .inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(201).withFixedDelay(2_500).withHeader("Content-Type", "application/json")
                        .withBody("{\"issueId\":\"777777\",\"issueKey\":\"SD-777777\"}"))
                .willSetStateTo("created"));
        String number = openByApi(email, null, email); // the description names the address the stub matches
        // Jira did create it: the search by the hub number finds it
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).atPriority(1).withRequestBody(containing(number))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(json(Map.of(
                        "issues", List.of(Map.of("id", "777777", "key", "SD-777777",
                                "fields", Map.of("summary", "[" + number + "] The tracker stopped"))),
                        "isLast", true)))));
        assertEquals("SD-777777", awaitKey(number));
        assertEquals(1, created(number).size(), "created once, found afterwards");
        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/search/jql")).withRequestBody(containing(number)));
    }

    @Test
    void a429IsRetriedAfterItsRetryAfter() {
        String email = Samples.unique("busy");
        jira.stubFor(post(urlPathEqualTo(REQUEST)).atPriority(1).withRequestBody(containing(email))
                .inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")
                        .withHeader("RateLimit-Reason", "jira-burst-based"))
                .willSetStateTo("calm"));
        String number = openByApi(email, null, email); // the description names the address the stub matches
        awaitKey(number);
        List<LoggedRequest> tries = created(number);
        assertEquals(2, tries.size());
        tries.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        long gap = tries.get(1).getLoggedDate().getTime() - tries.get(0).getLoggedDate().getTime();
        assertTrue(gap >= 1_900, "waited the Retry-After, not the short backoff: " + gap + " ms");
    }

    @Test
    void aRefusalGoesDeadWithJirasMessage() {
        String email = Samples.unique("refused");
        jira.stubFor(post(urlPathEqualTo(REQUEST)).atPriority(1).withRequestBody(containing(email))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"errorMessages\":[],\"errors\":{\"priority\":\"Field 'priority' cannot be set.\"}}")));
        String number = openByApi(email, null, email); // the description names the address the stub matches
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds,
                "SELECT COUNT(*) FROM outbox WHERE type = 'jira-create' AND status = 'DEAD' AND lane = ?", "jira:" + number) == 1);
        String error = Db.string(ds, "SELECT last_error FROM outbox WHERE type = 'jira-create' AND lane = ?", "jira:" + number);
        assertTrue(error.contains("Field 'priority' cannot be set."), error);
        assertEquals(1, created(number).size(), "a refusal is not retried");
    }

    // --- escalation to R&D -----------------------------------------------------------------------------------

    @Test
    void anEscalationMakesALinkedBugAndRdsWorkaroundFixAndResolutionReachTheCustomer() throws Exception {
        String email = Samples.unique("escal");
        String number = openByApi(email, "4711-2026");
        String key = awaitKey(number);
        stubRequest(key, "In Progress", "indeterminate", null, List.of("escalate-n2"));
        assertEquals(204, webhook(event("jira:issue_updated", key), "esc-" + number));
        await().atMost(Duration.ofSeconds(20)).until(
                () -> Db.string(ds, "SELECT rd_key FROM ticket WHERE number = ?", number) != null);
        String bug = Db.string(ds, "SELECT rd_key FROM ticket WHERE number = ?", number);
        LoggedRequest create = jira.findAll(postRequestedFor(urlPathEqualTo("/rest/api/3/issue"))
                .withRequestBody(containing(number))).get(0);
        var fields = JSON.readTree(create.getBodyAsString()).path("fields");
        assertEquals("DEV", fields.path("project").path("key").asText());
        assertEquals("Bug", fields.path("issuetype").path("name").asText());
        assertEquals("doc", fields.path("description").path("type").asText(), "Cloud descriptions are ADF");
        assertTrue(fields.path("labels").toString().contains(number));
        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/issueLink"))
                .withRequestBody(matchingJsonPath("$.inwardIssue.key", equalTo(key)))
                .withRequestBody(matchingJsonPath("$.outwardIssue.key", equalTo(bug))));

        // R&D: a workaround comment, then the fix released, then the bug resolved
        Map<String, Object> adf = Map.of("type", "doc", "version", 1, "content", List.of(Map.of("type", "paragraph",
                "content", List.of(Map.of("type", "text", "text", "Workaround: redémarrez le service Tracker.")))));
        Map<String, Object> bugFields = Map.of("project", Map.of("key", "DEV"),
                "status", Map.of("name", "Done", "statusCategory", Map.of("key", "done")),
                "resolution", Map.of("name", "Fixed"),
                "fixVersions", List.of(Map.of("id", "10001", "name", "4.2.1", "released", true)),
                "comment", Map.of("comments", List.of(Map.of("id", "5001", "body", adf))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/" + bug)).atPriority(1).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody(json(Map.of("id", "2", "key", bug, "fields", bugFields)))));
        assertEquals(204, webhook(event("jira:issue_updated", bug), "bug-" + number));
        List<MimeMessage> mails = Mailboxes.await(email, 3);
        String all = "";
        for (MimeMessage m : mails) {
            all += text(m);
        }
        assertTrue(all.contains("redémarrez le service Tracker"), all);
        assertTrue(all.contains("version 4.2.1"), all);
        await().atMost(Duration.ofSeconds(20)).until(() -> !jira.findAll(postRequestedFor(
                urlPathEqualTo("/rest/api/3/issue/" + key + "/transitions"))).isEmpty());
        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/" + key + "/transitions"))
                .withRequestBody(equalToJson("{\"transition\":{\"id\":\"21\"}}")));
        await().atMost(Duration.ofSeconds(10)).until(() -> jira.findAll(postRequestedFor(
                urlPathEqualTo(REQUEST + "/" + key + "/comment")).withRequestBody(matchingJsonPath("$.public", equalTo("true")))).size() >= 2);
        // the same news again: nothing twice
        assertEquals(204, webhook(event("jira:issue_updated", bug), "bug2-" + number));
        Quiet.outbox(ds, number, key, bug);
        assertEquals(3, Mailboxes.to(email).size());
    }

    // --- support's work recorded in Jira -----------------------------------------------------------------------

    @Test
    void worklogsAndLabelsInJiraBecomeErpRecordsOnce() throws Exception {
        String number = openByApi(Samples.unique("worklog"), "4711-2026");
        String key = awaitKey(number);
        stubRequest(key, "In Progress", "indeterminate", null, List.of("on-site", "workshop-repair"));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/" + key + "/worklog")).atPriority(1).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(json(Map.of("startAt", 0, "maxResults", 100,
                        "total", 2, "worklogs", List.of(
                                Map.of("id", "7001", "timeSpentSeconds", 5400, "author", Map.of("displayName", "Luc")),
                                Map.of("id", "7002", "timeSpentSeconds", 900, "author", Map.of("displayName", "Marie"))))))));
        assertEquals(204, webhook(event("jira:issue_updated", key), "wl-" + number));
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds, "SELECT COUNT(*) FROM erp_record r JOIN ticket t"
                + " ON t.id = r.ticket_id WHERE t.number = ? AND r.activity = 'time-spent'", number) == 2);
        assertEquals(105, Db.count(ds, "SELECT SUM(r.minutes) FROM erp_record r JOIN ticket t ON t.id = r.ticket_id"
                + " WHERE t.number = ? AND r.activity = 'time-spent'", number), "90 + 15 minutes");
        assertEquals(1, Db.count(ds, "SELECT COUNT(*) FROM erp_record r JOIN ticket t ON t.id = r.ticket_id"
                + " WHERE t.number = ? AND r.activity = 'intervention-decided'", number), "label on-site");
        assertEquals(1, Db.count(ds, "SELECT COUNT(*) FROM erp_record r JOIN ticket t ON t.id = r.ticket_id"
                + " WHERE t.number = ? AND r.activity = 'workshop-repair'", number), "label workshop-repair");
        assertEquals("intervention", Db.string(ds, "SELECT on_site_kind FROM ticket WHERE number = ?", number));
        String all = "SELECT COUNT(*) FROM erp_record r JOIN ticket t ON t.id = r.ticket_id WHERE t.number = ?";
        assertEquals(6, Db.count(ds, all, number), "opened, taken in charge, 2 worklogs, intervention, workshop");
        // the same news again: nothing twice
        assertEquals(204, webhook(event("jira:issue_updated", key), "wl2-" + number));
        Quiet.outbox(ds, number, key);
        assertEquals(6, Db.count(ds, all, number));
    }

    // --- requests opened on the portal -----------------------------------------------------------------------

    @Test
    void aRequestOpenedOnThePortalBecomesAHubTicketAndTheCustomerIsAnswered() throws Exception {
        String email = Samples.unique("portal");
        String key = "SD-" + (400000 + (int) (Math.random() * 90000));
        Map<String, Object> fields = Map.of("summary", "Écran noir au démarrage",
                "project", Map.of("key", "SD"),
                "status", Map.of("name", "Waiting for support", "statusCategory", Map.of("key", "new")),
                "labels", List.of(),
                "reporter", Map.of("displayName", "Inès Portail", "emailAddress", email),
                "description", Map.of("type", "doc", "version", 1, "content", List.of(Map.of("type", "paragraph",
                        "content", List.of(Map.of("type", "text", "text", "L'écran reste noir, plus rien ne fonctionne."))))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/" + key)).atPriority(1).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(json(Map.of("id", "9", "key", key, "fields", fields)))));
        assertEquals(204, webhook(event("jira:issue_created", key), "portal-" + key));
        await().atMost(Duration.ofSeconds(20)).until(
                () -> Db.string(ds, "SELECT number FROM ticket WHERE jsm_key = ?", key) != null);
        String number = Db.string(ds, "SELECT number FROM ticket WHERE jsm_key = ?", key);
        assertEquals("PORTAL", Db.string(ds, "SELECT channel FROM ticket WHERE number = ?", number));
        assertEquals("BLOCKING", Db.string(ds, "SELECT criticality FROM ticket WHERE number = ?", number));
        MimeMessage ack = Mailboxes.await(email, 1).get(0);
        assertTrue(ack.getSubject().contains(number) && ack.getSubject().contains("Écran noir"), ack.getSubject());
        await().atMost(Duration.ofSeconds(20)).until(() -> !jira.findAll(postRequestedFor(
                urlPathEqualTo(REQUEST + "/" + key + "/comment")).withRequestBody(containing(number))).isEmpty());
        jira.verify(postRequestedFor(urlPathEqualTo(REQUEST + "/" + key + "/comment"))
                .withRequestBody(matchingJsonPath("$.public", equalTo("false"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> !jira.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlPathEqualTo("/rest/api/3/issue/" + key))
                        .withRequestBody(matchingJsonPath("$.fields.summary", equalTo("[" + number + "] Écran noir au démarrage"))))
                .isEmpty());
        // the same request seen again (reconciliation): still one ticket
        assertEquals(204, webhook(event("jira:issue_updated", key), "portal2-" + key));
        Quiet.outbox(ds, number, key);
        assertEquals(1, Db.count(ds, "SELECT COUNT(*) FROM ticket WHERE jsm_key = ?", key));
        assertEquals(0, created(number).size(), "a portal request is not created again in JSM");
    }
}
