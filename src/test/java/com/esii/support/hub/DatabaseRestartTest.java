package com.esii.support.hub;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.email.MailboxWatch;
import com.esii.support.hub.testing.BrowserForm;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.PostgresResource;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * PostgreSQL restarted under the hub (issue 25, item 4): the very test server stopped and started again on the same
 * port and data directory. An operator's restart takes about 30 s; the test keeps it down as long as it takes to send
 * mail and requests, the hub's behaviour being the same whatever the length.
 */
@QuarkusTest
class DatabaseRestartTest extends HubTestResources {

    @Inject
    DataSource ds;
    @Inject
    MailboxWatch watch;

    @Test
    void whileTheDatabaseRestartsTheHubIsNotReadyAnswers503AndKeepsTheMailThenResumesByItself() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(watch::isIdling);
        List<String> customers = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String webCustomer = Samples.unique("web-while-down");
        String apiCustomer = Samples.unique("api-while-down");
        long sweepFailuresBefore = logLines("Outbox sweep failed on");
        long sweepRecoveriesBefore = logLines("Outbox sweep works again");
        PostgresResource.stopServer();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> given().when().get("/q/health/ready").then().statusCode(503));
            for (int i = 0; i < 3; i++) {
                String c = Samples.unique("mail-while-down");
                customers.add(c);
                ids.add(MailClient.send(MailClient.message(c, "Database away " + i, "Nothing works, please help."))
                        .getMessageID());
            }
            // The API: a problem, 503, with Retry-After; never a 500
            given().contentType(ContentType.JSON).body(Samples.ticket(apiCustomer))
                    .when().post("/api/tickets").then().statusCode(503)
                    .header("Retry-After", notNullValue())
                    .contentType("application/problem+json")
                    .body("status", equalTo(503))
                    .body(not(containsString("Exception")));
            // The form: the page in the visitor's language, saying to try again shortly, with what was typed
            new BrowserForm().field("name", "Ann Smith").field("email", webCustomer).field("company", "Town hall")
                    .field("subject", "Kiosk frozen").field("description", "The kiosk shows a frozen screen.")
                    .field("impact", "major").field("kind", "problem").field("lang", "en")
                    .field("formKey", java.util.UUID.randomUUID().toString()).field("website", "")
                    .into(given()).when().post("/").then().statusCode(503)
                    .header("Retry-After", notNullValue())
                    .contentType(containsString("text/html"))
                    .body(containsString("Please try again in a few moments"))
                    .body(containsString("value=\"Kiosk frozen\""))
                    .body(containsString("The kiosk shows a frozen screen.</textarea>"))
                    .body(not(containsString("Exception")));
            // Any other page: a page in the visitor's language, 503 with Retry-After
            given().header("Accept", "text/html").header("Accept-Language", "es")
                    .when().get("/status/SUP-000001?token=abc").then().statusCode(503)
                    .header("Retry-After", notNullValue())
                    .body(containsString("Vuelva a intentarlo en unos instantes"))
                    .body(not(containsString("Exception")));
            // the mail waits in the mailbox
            for (String id : ids) {
                assertFalse(MailClient.seen(id), "a mail flagged while the database was away");
            }
        } finally {
            PostgresResource.restart();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when().get("/q/health/ready").then().statusCode(200));
        // the outbox's sweeps failed all along: said once, then that they work again
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logLines("Outbox sweep works again") > sweepRecoveriesBefore);
        assertEquals(1, logLines("Outbox sweep failed on") - sweepFailuresBefore);
        // every mail read once the database is back, each answered once
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> customers.stream()
                .allMatch(c -> Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", c) >= 1));
        for (String id : ids) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> MailClient.seen(id));
        }
        for (String c : customers) {
            Mailboxes.await(c, 1);
        }
        // the refused requests created nothing; sent again, they work
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email IN (?, ?)", webCustomer,
                apiCustomer));
        given().contentType(ContentType.JSON).body(Samples.ticket(apiCustomer))
                .when().post("/api/tickets").then().statusCode(201);
        Quiet.outbox(ds);
        for (String c : customers) {
            assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", c), c);
            assertEquals(1, Db.count(ds, "SELECT count(*) FROM mail_receipt WHERE sender = ?", c), c);
            assertEquals(1, Mailboxes.to(c).size(), c);
        }
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", apiCustomer));
    }

    private static long logLines(String text) throws Exception {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("target/quarkus.log"))) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }
}
