package com.esii.support.hub.jira;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.WireMockResource;
import com.esii.support.hub.testing.sim.Simulator;
import com.esii.support.hub.testing.sim.SimulatorProfile;
import com.esii.support.hub.testing.sim.SimulatorResource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The hub and Jira kept in step against the stateful simulator: what the hub did is asserted in what Jira holds
 * (one JSM request per ticket, one bug, one link), staff's side is played in the simulator and reaches the hub by
 * signed webhooks, and faults hit the hub's writes.
 */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class SimulatedJiraFlowTest extends HubTestResources {

    @Inject
    DataSource ds;

    @Inject
    JiraReconciler reconciler;

    Simulator sim;

    @BeforeEach
    void fresh() {
        sim = SimulatorResource.simulator();
        sim.reset();
        sim.webhooksTo("http://localhost:" + RestAssured.port + "/webhooks/jira", WireMockResource.WEBHOOK_SECRET);
    }

    @AfterEach
    void contractsKept() {
        assertEquals(List.of(), sim.contractViolations(), "requests to Jira that break Atlassian's contracts");
    }

    static String open(String email, String accessCode) {
        return open(email, accessCode, null);
    }

    /**
     * A ticket whose text ends with this (null: the sample's text only). The request's description is the customer's
     * text: a fault aimed at one creation names something the customer wrote.
     */
    static String open(String email, String accessCode, String signature) {
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

    static boolean mailed(String email, String text) {
        return Mailboxes.to(email).stream().anyMatch(m -> {
            try {
                return Mailboxes.text(m).contains(text);
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** The hub's internal note of the ticket's triage on its request (the triage the description no longer shows). */
    List<Simulator.JiraComment> triageNotes(String key) {
        return sim.comments(key).stream().filter(c -> c.body().startsWith("Ticket SUP-")).toList();
    }

    void assertOneRequestPerTicket() {
        sim.requestsByHubNumber().forEach((number, keys) -> assertEquals(1, keys.size(),
                "one JSM request per ticket: " + number + " has " + keys));
    }

    /**
     * The first message's files reach the ticket's JSM request, and a ticket without files gets no file step: the
     * request's row says which (known at intake, issue 29: the request's step no longer asks the database); a row
     * written by the previous version, which does not say, reads as "not said" (then asked of the ledger).
     */
    @Test
    void theFirstMessagesFilesReachTheRequestAsItsRowSays() throws Exception {
        Map<String, Object> body = new HashMap<>(Samples.ticket(Samples.unique("sim-files")));
        body.put("attachments", List.of(Map.of("filename", "tracker.log", "contentType", "text/plain", "content",
                java.util.Base64.getEncoder().encodeToString("no fix since 8:02".getBytes()))));
        String number = given().contentType(ContentType.JSON).body(body).when().post("/api/tickets").then()
                .statusCode(201).extract().path("number");
        String plain = open(Samples.unique("sim-no-files"), null);
        String key = awaitKey(number);
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.request(key).attachments().equals(List.of("tracker.log")));
        String create = "SELECT o.payload FROM outbox o JOIN ticket t ON t.id = o.ticket_id WHERE t.number = ?"
                + " AND o.type = 'jira-create'";
        assertTrue(Db.string(ds, create, number).contains("\"files\":true"), Db.string(ds, create, number));
        assertTrue(Db.string(ds, create, plain).contains("\"files\":false"), Db.string(ds, create, plain));
        String plainKey = awaitKey(plain);
        await().atMost(Duration.ofSeconds(20)).until(() -> triageNotes(plainKey).size() == 1);
        assertEquals(List.of(), sim.request(plainKey).attachments());
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                + " WHERE t.number = ? AND o.type = 'jira-comment'", plain), "the triage note only: no file step");
        assertEquals(null, new com.fasterxml.jackson.databind.ObjectMapper().readValue("{\"ticket\":\"" + number
                + "\"}", JiraOutbox.Create.class).files(), "an older row does not say");
        assertOneRequestPerTicket();
    }

    @Test
    void aTicketIsOneJsmRequestOnBehalfOfTheCustomerAndStaffsAnswerReachesThemByWebhook() throws Exception {
        String email = Samples.unique("sim-flow");
        String number = open(email, "4711-2026");
        String key = awaitKey(number);

        Simulator.JsmRequest r = sim.request(key);
        assertEquals("[" + number + "] The tracker stopped", r.summary());
        assertEquals("10", r.requestTypeId());
        assertEquals("Highest", r.priority());
        assertEquals(email, r.reporterEmail(), "raised on behalf of the customer's own JSM account");
        // the description is the customer's (they read it on the portal): the triage is an internal note
        assertEquals("Since this morning the tracker shows nothing.", r.description());
        await().atMost(Duration.ofSeconds(20)).until(() -> triageNotes(key).size() == 1);
        Simulator.JiraComment note = triageNotes(key).get(0);
        assertFalse(note.isPublic(), "the triage is for staff only");
        assertEquals(sim.comments(key).get(0), note, "the first comment on the request");
        assertTrue(note.body().contains("Contrat : sous maintenance"), note.body());
        assertTrue(note.body().contains("code d'accès 4711-2026"), note.body());
        assertTrue(note.body().contains("Client : Jane Doe <" + email + ">, ACME"), note.body());
        assertTrue(note.body().strip().matches("(?s).*\\(ref\\. " + java.util.regex.Pattern.quote(number) + "/\\d+\\)$"),
                "ends with its marker: " + note.body());
        // how the contract was found, in the desk's language too (issue 26)
        assertTrue(note.body().contains("Contrat : sous maintenance (code d'accès 4711-2026 → client C0001)"),
                note.body());
        assertFalse(note.body().contains("access-code") || note.body().contains("maintained)"), note.body());
        assertEquals(List.of(key), sim.requestsByHubNumber().get(number));

        // staff answer publicly and note something internally; then take it in charge
        assertEquals(204, sim.deliver(sim.staffComment(key, "Nous regardons votre traceur.", true)));
        assertEquals(204, sim.deliver(sim.staffComment(key, "note interne : client sensible", false)));
        assertEquals(204, sim.deliver(sim.moveStatus(key, "In Progress")));
        await().atMost(Duration.ofSeconds(20)).until(() -> mailed(email, "Nous regardons votre traceur."));
        await().atMost(Duration.ofSeconds(10)).until(() -> "IN_PROGRESS".equals(status(number)));
        assertFalse(mailed(email, "note interne"), "an internal comment never reaches the customer");

        // the same delivery again: nothing twice
        Simulator.Webhook again = sim.staffComment(key, "Avez-vous redémarré ?", true);
        assertEquals(204, sim.deliver(again));
        assertEquals(204, sim.deliver(again));
        await().atMost(Duration.ofSeconds(20)).until(() -> mailed(email, "Avez-vous redémarré ?"));
        Quiet.outbox(ds, number, key);
        assertEquals(3, Mailboxes.to(email).size(), "the acknowledgement and two answers");
        assertEquals(401, sim.deliver(sim.staffComment(key, "forged", true), "not-the-secret"));
        assertEquals(1, sim.requestsOf(number).size());
        assertOneRequestPerTicket();
    }

    @Test
    void theCustomersOwnCommentOnThePortalIsTheirsAndIsNotMailedBackToThem() {
        String email = Samples.unique("sim-own-comment");
        String number = open(email, "4711-2026");
        String key = awaitKey(number);
        await().atMost(Duration.ofSeconds(20)).until(() -> triageNotes(key).size() == 1);
        assertEquals(204, sim.deliver(sim.moveStatus(key, "Waiting for customer")));
        String waiting = "SELECT COUNT(*) FROM ticket WHERE number = ? AND waiting_since IS NOT NULL";
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds, waiting, number) == 1);
        Quiet.outbox(ds, number, key);
        int commentsBefore = sim.comments(key).size();
        int mailsBefore = Mailboxes.to(email).size();

        assertEquals(204, sim.deliver(sim.customerComment(key, "J'ajoute : le voyant clignote en rouge.")));
        String kept = "SELECT COUNT(*) FROM ticket_message m JOIN ticket t ON t.id = m.ticket_id "
                + "WHERE t.number = ? AND m.body LIKE '%voyant clignote%'";
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds, kept, number) > 0);
        Quiet.outbox(ds, number, key);
        assertEquals(1, Db.count(ds, kept, number), "kept once in the conversation");
        assertEquals("IN", Db.string(ds, "SELECT m.direction FROM ticket_message m JOIN ticket t ON t.id = m.ticket_id "
                + "WHERE t.number = ? AND m.body LIKE '%voyant clignote%'", number), "the customer's message, not staff's");
        assertFalse(mailed(email, "voyant clignote"), "the customer is not sent their own words");
        assertEquals(mailsBefore, Mailboxes.to(email).size(), "no mail for the customer's own comment");
        assertEquals(commentsBefore + 1, sim.comments(key).size(), "not written to the request a second time");
        assertEquals(0, Db.count(ds, waiting, number), "the customer answered: the clock runs again");
        assertEquals(0, Db.count(ds, "SELECT COUNT(*) FROM ticket WHERE number = ? AND taken_in_charge_at IS NOT NULL",
                number), "a customer's comment does not take the request in charge");
    }

    @Test
    void aTimeoutAfterJiraCreatedTheRequestStillMakesOneRequest() {
        String email = Samples.unique("sim-timeout");
        sim.faults().on("POST", "/rest/servicedeskapi/request").withBody(email).timeoutAfterCommit().once();
        String number = open(email, null, email); // the description names the address the fault looks for
        String key = awaitKey(number);
        assertEquals(List.of(key), sim.requestsOf(number).stream().map(Simulator.JsmRequest::key).toList(),
                "created once (the answer was lost), found by its number afterwards");
        assertTrue(sim.received("POST", "/rest/api/3/search/jql") >= 1, "the retry looked it up first");
        assertOneRequestPerTicket();
        await().atMost(Duration.ofSeconds(20)).until(() -> triageNotes(key).size() == 1);
        Quiet.outbox(ds, number, key);
        assertEquals(1, triageNotes(key).size(), "one triage note");
    }

    @Test
    void aTimeoutAfterJiraStoredTheTriageNoteStillMakesOneNote() {
        String email = Samples.unique("sim-note");
        sim.faults().on("POST", "/rest/servicedeskapi/request/*/comment").withBody(email).timeoutAfterCommit().once();
        String number = open(email, "4711-2026");
        String key = awaitKey(number);
        await().atMost(Duration.ofSeconds(30)).until(() -> triageNotes(key).size() == 1);
        Quiet.outbox(ds, number, key);
        assertEquals(1, triageNotes(key).size(), "written once (the answer was lost), found by its marker afterwards");
        assertTrue(sim.received("GET", "/rest/servicedeskapi/request/*/comment") >= 1, "the retry looked it up first");
        assertFalse(sim.request(key).description().contains("4711-2026"), sim.request(key).description());
    }

    @Test
    void aConnectionResetAfterJiraStoredTheCommentStillMakesOneComment() {
        String number = open(Samples.unique("sim-reset"), null);
        String key = awaitKey(number);
        // the hub's internal note after the escalation meets a reset once Jira has stored it
        sim.faults().on("POST", "/rest/servicedeskapi/request/*/comment").resetAfterAnswer().once();
        assertEquals(204, sim.deliver(sim.addLabel(key, "escalate-n2")));
        await().atMost(Duration.ofSeconds(30)).until(() -> sim.comments(key).stream()
                .anyMatch(c -> !c.isPublic() && c.body().startsWith("Transmis à la R&D : ")));
        Quiet.outbox(ds, number, key); // every write about it done: a second bug or note would be there now
        assertEquals(1, sim.bugs().size(), "one bug");
        assertEquals(1, sim.comments(key).stream().filter(c -> c.body().startsWith("Transmis à la R&D")).count(),
                "one note");
    }

    @Test
    void aTimeoutAfterJiraCreatedTheCustomersAccountStillRaisesTheRequestOnTheirBehalf() {
        String email = Samples.unique("sim-account");
        sim.faults().on("POST", "/rest/servicedeskapi/customer").withBody(email).timeoutAfterCommit().once();
        String number = open(email, null);
        String key = awaitKey(number);
        assertEquals(email, sim.request(key).reporterEmail());
    }

    @Test
    void anEscalationMakesOneLinkedBugAndRdsProgressComesBackToTheCustomer() throws Exception {
        String email = Samples.unique("sim-escal");
        String number = open(email, "4711-2026");
        String key = awaitKey(number);
        assertEquals(204, sim.deliver(sim.addLabel(key, "escalate-n2")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.string(ds, "SELECT rd_key FROM ticket WHERE number = ?", number) != null);
        String bug = Db.string(ds, "SELECT rd_key FROM ticket WHERE number = ?", number);
        Simulator.JiraIssue b = sim.issue(bug);
        assertEquals("DEV", b.project());
        assertEquals("Bug", b.type());
        assertTrue(b.labels().contains(number), b.labels().toString());
        // R&D and support staff read the desk's language (hub.desk.language, French by default)
        assertTrue(b.description().contains("Demande de support : " + key), b.description());
        // the link people follow is the site's, though the hub's calls went through the gateway
        assertTrue(b.description().contains("(" + sim.url() + "/browse/" + key + ")"), b.description());
        assertFalse(b.description().contains("/ex/jira/"), b.description());
        assertTrue(b.description().contains("Contrat : sous maintenance"), b.description());
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.comments(key).stream().anyMatch(c -> !c.isPublic()
                && c.body().startsWith("Transmis à la R&D : " + bug + ". Le client est informé du contournement")));
        assertEquals(List.of(new Simulator.IssueLink("Relates", key, bug)), sim.links());

        // R&D: a workaround, then the fix version released, then the bug resolved
        assertEquals(204, sim.deliver(sim.staffComment(bug, "Workaround: redémarrez le service Tracker.", true)));
        await().atMost(Duration.ofSeconds(20)).until(() -> mailed(email, "redémarrez le service Tracker"));
        sim.setFixVersion(bug, "4.2.1");
        assertEquals(204, sim.deliver(sim.releaseVersion("DEV", "4.2.1")));
        await().atMost(Duration.ofSeconds(20)).until(() -> mailed(email, "4.2.1"));
        assertEquals(204, sim.deliver(sim.resolve(bug, "Fixed")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "Resolved".equals(sim.request(key).status()));
        reconciler.reconcile(); // the simulator sends no webhook for the hub's own transition: the search brings it in
        await().atMost(Duration.ofSeconds(20)).until(() -> "RESOLVED".equals(status(number)));
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.comments(key).stream()
                .filter(c -> c.isPublic() && !c.authorEmail().equals("marie.agent@esii.example")).count() >= 2);
        // the customer reads the hub's public comments on the portal: in the ticket's language (hub.default-language
        // here, the API request naming none)
        assertEquals("fr", Db.string(ds, "SELECT language FROM ticket WHERE number = ?", number));
        List<String> hubs = sim.comments(key).stream().filter(c -> c.isPublic()).map(c -> c.body()).toList();
        assertTrue(hubs.stream().anyMatch(c -> c.startsWith("Solution de contournement : redémarrez le service Tracker.")),
                hubs.toString());
        assertTrue(hubs.stream().anyMatch(c -> c.startsWith("Le correctif est livré dans la version 4.2.1 (R&D " + bug
                + ").")), hubs.toString());

        // the same news again, by webhook and by the reconciliation: nothing twice
        assertEquals(204, sim.deliver(sim.addLabel(key, "escalate-n2")));
        reconciler.reconcile();
        Quiet.outbox(ds, number, key, bug);
        assertEquals(1, sim.bugs().size(), "one bug");
        assertEquals(1, sim.links().size(), "one link");
        int mails = Mailboxes.to(email).size();
        assertTrue(mails >= 3, "acknowledgement, workaround, fix (and the closing mail)");
        assertOneRequestPerTicket();
    }

    @Test
    void aLostWebhookIsCaughtByTheReconciliationSearch() {
        String email = Samples.unique("sim-lost");
        String number = open(email, null);
        String key = awaitKey(number);
        sim.staffComment(key, "Le correctif de configuration est appliqué.", true); // webhooks lost
        sim.resolve(key, "Done");
        assertTrue(reconciler.reconcile() >= 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "RESOLVED".equals(status(number)));
        await().atMost(Duration.ofSeconds(20)).until(() -> mailed(email, "Le correctif de configuration est appliqué."));
        List<MimeMessage> mails = Mailboxes.await(email, 3);
        assertEquals(3, mails.size(), "acknowledgement, answer, closing mail");
    }

    @Test
    void aRequestOpenedOnThePortalBecomesAHubTicketNumberedInJira() {
        String email = Samples.unique("sim-portal");
        Simulator.Webhook created = sim.openPortalRequest(email, "Inès Portail", "Écran noir au démarrage",
                "L'écran reste noir, plus rien ne fonctionne.");
        String key = created.issueKey();
        assertEquals(204, sim.deliver(created));
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.string(ds, "SELECT number FROM ticket WHERE jsm_key = ?", key) != null);
        String number = Db.string(ds, "SELECT number FROM ticket WHERE jsm_key = ?", key);
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.request(key).summary().equals("[" + number + "] Écran noir au démarrage"));
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.comments(key).stream()
                .anyMatch(c -> !c.isPublic() && c.body().contains(number)));
        assertEquals(204, sim.deliver(created)); // seen again
        assertEquals(204, sim.deliver(sim.moveStatus(key, "In Progress")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "IN_PROGRESS".equals(status(number)));
        assertEquals(1, Db.count(ds, "SELECT COUNT(*) FROM ticket WHERE jsm_key = ?", key));
        assertEquals(1, sim.requests().stream().filter(r -> r.summary().contains(number)).count(),
                "a portal request is not created again");
    }

    @Test
    void whenJiraTakesLongerThanTheHubsTimeoutToCreateTheRequestTheTicketIsStillOneRequest() {
        String email = Samples.unique("sim-slow");
        // Jira needs 1.5 s and creates the request at the end; the hub gives up after 1 s (hub.jira.timeout)
        sim.faults().on("POST", "/rest/servicedeskapi/request").withBody(email).slow(Duration.ofMillis(1_500)).once();
        String number = open(email, null, email); // the description names the address the fault looks for
        String key = awaitKey(number);
        Quiet.outbox(ds, number, key); // every write about it done: a second request would be there now
        List<String> keys = sim.requestsOf(number).stream().map(Simulator.JsmRequest::key).toList();
        assertEquals(1, keys.size(), "one JSM request for " + number + ": " + keys);
    }

    @Test
    void aReconciliationSearchCutShortMovesItsMarkOnlyAsFarAsItReadAndTheNextReadsTheRest() throws Exception {
        // five portal requests whose webhooks were lost; the simulator's profile reads 2 issues a page
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(sim.openPortalRequest(Samples.unique("sim-cut" + i), "Client " + i, "Panne " + i, "Rien ne va.")
                    .issueKey());
            Thread.sleep(20); // distinct update times
        }
        // Jira fails on the second page of the search
        sim.faults().on("POST", "/rest/api/3/search/jql").withBody("nextPageToken").status(500).once();
        java.time.Instant before = java.time.Instant.now();
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, reconciler::reconcile);
        java.time.Instant mark = java.time.Instant.parse(Db.string(ds,
                "SELECT state_value FROM hub_state WHERE state_name = 'jira.reconciled-at'"));
        assertTrue(mark.isBefore(before), "the mark stops at the last issue read (" + mark + "), not at the search's time");
        assertEquals(sim.issue(keys.get(1)).created().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                mark.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), "the last issue of the first page");
        assertTrue(reconciler.reconcile() >= 5, "the next search reads them all, to the end");
        await().atMost(Duration.ofSeconds(30)).until(() -> keys.stream().allMatch(
                k -> Db.count(ds, "SELECT count(*) FROM ticket WHERE jsm_key = ?", k) == 1));
        assertTrue(java.time.Instant.parse(Db.string(ds,
                "SELECT state_value FROM hub_state WHERE state_name = 'jira.reconciled-at'")).isAfter(before),
                "a search read to its end moves the mark to its own time");
    }
}
