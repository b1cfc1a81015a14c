package com.esii.support.hub.admin;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.outbox.OutboxStatus;
import com.esii.support.hub.outbox.TestHandlers;
import com.esii.support.hub.testing.AdminRequests;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;
import com.esii.support.hub.ticket.TicketLedger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The admin home and the outbox's pages (issue 26.9): the dead rows with their error and ticket, the confirmation of
 * a replay or a skip, the form posted to the JSON API's action and the result shown; a row no longer dead; a form
 * from another site.
 */
@QuarkusTest
class OutboxPagesTest extends HubTestResources {

    @Inject
    Outbox outbox;
    @Inject
    OutboxRelay relay;
    @Inject
    TicketLedger ledger;
    @Inject
    DataSource ds;

    /** A ticket of its own, and a row of it that its target refuses: dead at the first attempt. */
    long[] deadRowOfATicket() {
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("outbox-page")))
                .when().post("/api/tickets").then().statusCode(201).extract().path("number");
        long ticket = ledger.findByNumber(number).orElseThrow().id();
        long id = QuarkusTransaction.requiringNew().call(() -> outbox.enqueue(TestHandlers.Refused.TYPE,
                "test:page-" + UUID.randomUUID(), ticket, Map.of(), OffsetDateTime.now()));
        relay.wake();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> outbox.find(id).orElseThrow().status() == OutboxStatus.DEAD);
        return new long[] { ticket, id };
    }

    @Test
    void theHomeSaysHowManyDeadRowsWait() {
        deadRowOfATicket();
        // another test's row may die meanwhile: the count only grows while the page is made
        long before = outbox.countByStatus().get(OutboxStatus.DEAD);
        Document home = AdminRequests.page("/admin?lang=en");
        long after = outbox.countByStatus().get(OutboxStatus.DEAD);
        String said = home.select("#dead-rows").text();
        assertTrue(said.matches("\\d+ dead outbox row\\(s\\) wait for an operator: replay or skip them\\."), said);
        long shown = Long.parseLong(said.substring(0, said.indexOf(' ')));
        assertTrue(before <= shown && shown <= after && shown > 0, said + " (" + before + ", " + after + ")");
        assertEquals("/admin/outbox?state=dead&lang=en", home.select("#dead-rows a").attr("href"));
    }

    @Test
    void aDeadRowIsReplayedFromItsConfirmation() {
        long[] t = deadRowOfATicket();
        long id = t[1];
        String number = ledger.findById(t[0]).orElseThrow().number();

        Document list = AdminRequests.page("/admin/outbox?lang=en");
        Element row = list.selectFirst("#row-" + id);
        assertTrue(row != null, "the dead rows are the default: " + list.select("table").text());
        assertEquals(TestHandlers.Refused.TYPE, row.child(1).text());
        assertEquals(number, row.select("a[href=/admin/tickets/" + number + "?lang=en]").text());
        assertTrue(row.text().contains("400 Bad Request"), "its last error: " + row.text());
        assertEquals("page", list.select("#state-dead").attr("aria-current"));
        assertEquals("/admin/outbox/" + id + "/replay?lang=en", row.select("#replay-" + id).attr("href"));

        Document confirm = AdminRequests.page("/admin/outbox/" + id + "/replay?lang=en");
        assertEquals("Replay row " + id + "?", confirm.select("h1").text());
        assertTrue(confirm.select("#row").text().contains("400 Bad Request"));
        Element form = confirm.selectFirst("form[method=post]");
        assertEquals("/admin/outbox/" + id + "/replay?lang=en", form.attr("action"));
        assertEquals("/admin/outbox?state=dead&lang=en", confirm.select("#cancel").attr("href"));
        assertEquals(1, outbox.find(id).orElseThrow().attempts(), "looking changes nothing");

        Response posted = AdminRequests.postForm(form.attr("action"));
        assertEquals(303, posted.statusCode(), posted.asString());
        String location = posted.header("Location");
        assertTrue(location.endsWith("/admin/outbox?state=dead&done=replayed&row=" + id + "&lang=en"), location);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event WHERE ticket_id = ? AND type = ?"
                + " AND source = 'admin'", t[0], "outbox-replayed"), "written in the ticket's history");
        Document after = AdminRequests.page(location.substring(location.indexOf("/admin")));
        assertEquals("Row " + id + " replayed: it is back in the queue.", after.select("#result[role=status]").text());
        // the target refuses it again: dead again, after a second attempt
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outbox.find(id).orElseThrow().status()
                == OutboxStatus.DEAD && outbox.find(id).orElseThrow().claims() == 2);
    }

    @Test
    void aDeadRowIsSkippedAndARowNoLongerDeadIsSaidSo() {
        long[] t = deadRowOfATicket();
        long id = t[1];
        Document confirm = AdminRequests.page("/admin/outbox/" + id + "/skip");
        assertEquals("Abandonner la ligne " + id + " ?", confirm.select("h1").text(), "the desk's language");
        Response posted = AdminRequests.postForm(confirm.selectFirst("form").attr("action"));
        assertEquals(303, posted.statusCode());
        assertTrue(posted.header("Location").endsWith("/admin/outbox?state=dead&done=skipped&row=" + id));
        assertEquals(OutboxStatus.SKIPPED, outbox.find(id).orElseThrow().status());
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event WHERE ticket_id = ? AND type = ?", t[0],
                "outbox-skipped"));
        Document skipped = AdminRequests.page("/admin/outbox?state=skipped");
        assertEquals("skipped", skipped.selectFirst("#row-" + id).attr("data-state"));
        assertTrue(skipped.select("#row-" + id + " a[href*=/replay]").isEmpty(), "a skipped row has no action");

        // the same form again (a second tab, the Back button): nothing done, and said
        Response again = AdminRequests.postForm("/admin/outbox/" + id + "/replay");
        assertEquals(303, again.statusCode());
        String location = again.header("Location");
        assertTrue(location.endsWith("failed=replay&row=" + id), location);
        assertEquals(OutboxStatus.SKIPPED, outbox.find(id).orElseThrow().status());
        Document failed = AdminRequests.page(location.substring(location.indexOf("/admin")));
        assertTrue(failed.select("#result[role=alert]").text().startsWith("La ligne " + id + " n'a pas été rejouée"),
                failed.select("#result").text());
        Document gone = AdminRequests.page("/admin/outbox/" + id + "/replay", 404);
        assertTrue(gone.select("[role=alert]").text().contains("" + id), gone.text());
        AdminRequests.page("/admin/outbox/999999999/skip", 404);
    }

    @Test
    void aFormFromAnotherSiteChangesNothingAndJsonClientsStillGetJson() {
        long id = deadRowOfATicket()[1];
        Response crossSite = AdminRequests.browser().contentType("application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example").header("Sec-Fetch-Site", "cross-site").body("").when()
                .post("/admin/outbox/" + id + "/skip");
        assertEquals(403, crossSite.statusCode());
        assertEquals(OutboxStatus.DEAD, outbox.find(id).orElseThrow().status());
        // a JSON client of the same action: JSON as before
        Response json = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .header("X-Requested-By", "curl").when().post("/admin/outbox/" + id + "/skip");
        assertEquals(200, json.statusCode());
        assertEquals("skipped", json.jsonPath().getString("status"));
        Response missing = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .header("X-Requested-By", "curl").when().post("/admin/outbox/" + id + "/skip");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.contentType().startsWith("application/problem+json"));
    }

    @Test
    void anUnknownStateShowsTheDeadRowsAndTheTabsCountEachState() {
        Document d = AdminRequests.page("/admin/outbox?state=nonsense&page=x");
        assertEquals("page", d.select("#state-dead").attr("aria-current"));
        // only an operator makes a row skipped: the count cannot move under the test
        assertEquals(String.valueOf(outbox.countByStatus().get(OutboxStatus.SKIPPED)),
                d.select("#state-skipped .count").text());
        assertEquals("/admin/outbox?state=pending", d.select("#state-pending").attr("href"));
    }
}
