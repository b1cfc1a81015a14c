package com.esii.support.hub.api;

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

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.AdminRequests;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The tickets' pages (issue 26.9): the list newest first with its filters (part of the number, part of the customer,
 * the status) and its pages, a ticket's page (facts, description, history, messages, outbox rows), what a customer
 * typed shown as text, an unknown ticket; the JSON of {@code /admin/tickets/{number}} unchanged.
 */
@QuarkusTest
class TicketPagesTest extends HubTestResources {

    static final String SUBJECT = "<script>alert('subject')</script> Printer & scanner";

    @Inject
    DataSource ds;

    static String open(String email, String subject) {
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        body.put("subject", subject);
        body.put("description", "Line one\n<b>not bold</b>\n<script>alert('description')</script>");
        return given().contentType(ContentType.JSON).body(body).when().post("/api/tickets").then().statusCode(201)
                .extract().path("number");
    }

    @Test
    void theListFindsTicketsByNumberCustomerAndStatusNewestFirst() {
        String email = Samples.unique("Ticket-Page");
        String first = open(email, "First of two");
        String second = open(email, "Second of two");
        String customer = email.substring(0, email.indexOf('@')).toUpperCase(); // any case

        Document byCustomer = AdminRequests.page("/admin/tickets?customer=" + customer + "&lang=en");
        assertEquals(1, AdminRequests.assertTablesNamed(byCustomer), "the list's region, named by its caption");
        assertEquals(List.of(second, first), byCustomer.select("#tickets tbody tr").eachAttr("data-number"),
                "newest first");
        assertEquals(customer, byCustomer.select("#customer").val(), "the filter stays in the form");
        assertEquals("/admin/tickets/" + first + "?lang=en",
                byCustomer.select("tr[data-number=" + first + "] a").attr("href"));

        Document byNumber = AdminRequests.page("/admin/tickets?number=" + second.substring(4));
        assertEquals(List.of(second), byNumber.select("#tickets tbody tr").eachAttr("data-number"));

        step(first, "taken-in-charge");
        Document taken = AdminRequests.page("/admin/tickets?customer=" + customer + "&status=in-progress&lang=en");
        assertEquals(List.of(first), taken.select("#tickets tbody tr").eachAttr("data-number"));
        assertEquals("In progress", taken.select("tr[data-number=" + first + "] td").get(4).text());
        assertEquals("in-progress", taken.select("#status option[selected]").val());
        Document waiting = AdminRequests.page("/admin/tickets?customer=" + customer + "&status=waiting-on-customer"
                + "&lang=en");
        assertEquals("No ticket matches these filters.", waiting.select("#no-tickets").text());

        // a customer's % or _ is a character, not a wildcard
        Document percent = AdminRequests.page("/admin/tickets?customer=%25&lang=en");
        assertTrue(percent.select("#tickets tbody tr").isEmpty(), percent.select("#tickets").text());
        Document underscore = AdminRequests.page("/admin/tickets?number=SUP_2026");
        assertTrue(underscore.select("#tickets tbody tr").isEmpty());
        // an unknown status: every status
        assertEquals(2, AdminRequests.page("/admin/tickets?customer=" + customer + "&status=nonsense")
                .select("#tickets tbody tr").size());
    }

    @Test
    void theListComesInPagesOfFifty() {
        // the suite has opened more than fifty tickets before; if not, open what is missing
        int shown = AdminRequests.page("/admin/tickets?lang=en").select("#tickets tbody tr").size();
        for (int i = shown; i <= 50; i++) {
            open(Samples.unique("ticket-pages"), "Filler " + i);
        }
        // pages by offset: a ticket opened between two loads (a mail read meanwhile) shifts them; look again then
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Document first = AdminRequests.page("/admin/tickets?lang=en");
            Document second = AdminRequests.page("/admin/tickets?lang=en&page=2");
            List<String> one = first.select("#tickets tbody tr").eachAttr("data-number");
            if (!one.equals(AdminRequests.page("/admin/tickets?lang=en").select("#tickets tbody tr")
                    .eachAttr("data-number"))) {
                return false;
            }
            assertEquals(50, one.size());
            assertTrue(first.select("a[rel=prev]").isEmpty());
            assertEquals("/admin/tickets?lang=en&page=2", first.select("a[rel=next]").attr("href"));
            assertEquals("/admin/tickets?lang=en&page=1", second.select("a[rel=prev]").attr("href"));
            assertEquals("Page 2", second.select("nav.pager [aria-current=page]").text());
            List<String> two = second.select("#tickets tbody tr").eachAttr("data-number");
            assertFalse(two.isEmpty());
            for (String n : two) {
                assertFalse(one.contains(n), n + " on both pages");
            }
            return true;
        });
    }

    @Test
    void aTicketsPageShowsItsFactsHistoryMessagesAndOutboxRowsAsText() {
        String email = Samples.unique("ticket-page");
        String number = open(email, SUBJECT);
        Quiet.outbox(ds, number);

        Response raw = AdminRequests.browser().when().get("/admin/tickets/" + number + "?lang=en");
        assertEquals(200, raw.statusCode());
        String html = raw.asString();
        assertFalse(html.contains("<script>alert("), "what the customer typed is text, not markup");
        assertTrue(html.contains("&lt;script&gt;alert("), "escaped");
        AdminRequests.noInlineCode(html, number);

        Document page = AdminRequests.page("/admin/tickets/" + number + "?lang=en");
        assertEquals(SUBJECT, page.select("#subject").text());
        assertEquals("New", page.select("#fact-status").text());
        assertTrue(page.select("#fact-customer").text().contains(email));
        assertEquals("Line one\n<b>not bold</b>\n<script>alert('description')</script>",
                page.select("#description").first().wholeText());
        assertTrue(page.select("#history tr[data-type=triaged]").size() == 1, page.select("#history").text());
        assertTrue(page.select("#messages li h3").eachText().stream().anyMatch(h -> h.startsWith("From the customer")),
                page.select("#messages").text());
        assertTrue(page.select("#messages li h3").eachText().stream().anyMatch(h -> h.startsWith("Mail of the hub")),
                "the acknowledgement: " + page.select("#messages").text());
        List<String> types = page.select("#outbox tbody tr td:nth-child(2)").eachText();
        assertTrue(types.contains("mail-ack") && types.contains("jira-create"), types.toString());
        assertTrue(page.select("#outbox tr[data-state=done]").size() >= 2);

        step(number, "taken-in-charge");
        Document taken = AdminRequests.page("/admin/tickets/" + number);
        assertEquals("En cours", taken.select("#fact-status").text(), "the desk's language");
        assertTrue(taken.select("#history tr[data-type=taken-in-charge]").size() == 1);
        assertFalse(taken.select("#fact-taken-in-charge").text().isBlank());
    }

    @Test
    void anUnknownTicketIsSaidSoAndJsonClientsStillGetJson() {
        Document missing = AdminRequests.page("/admin/tickets/SUP-1999-000001?lang=en", 404);
        assertEquals("SUP-1999-000001 is not a ticket of this hub.", missing.select("[role=alert]").text());
        assertEquals("/admin/tickets?lang=en", missing.select("main a").attr("href"));
        Document injected = AdminRequests.page("/admin/tickets/%3Cscript%3Ex%3C%2Fscript%3E", 404);
        assertTrue(injected.select("[role=alert]").text().startsWith("<script>x</script>"), injected.text());

        String number = open(Samples.unique("ticket-json"), "JSON still");
        Response json = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                .get("/admin/tickets/" + number);
        assertEquals(200, json.statusCode());
        assertTrue(json.contentType().startsWith("application/json"));
        assertEquals(number, json.jsonPath().getString("ticket.number"));
        assertEquals(404, given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                .get("/admin/tickets/SUP-1999-000001").statusCode());
    }

    static void step(String number, String type) {
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("type", type)).when().post("/admin/tickets/" + number + "/steps").then().statusCode(200);
    }
}
