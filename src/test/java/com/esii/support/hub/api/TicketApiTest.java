package com.esii.support.hub.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class TicketApiTest extends HubTestResources {

    @Inject
    DataSource ds;

    static Map<String, Object> ticket(String email) {
        return Samples.ticket(email);
    }

    static String unique(String name) {
        return Samples.unique(name);
    }

    @Test
    void aTicketCreatedThroughTheApiIsStoredAndAcknowledgedInTheCustomersLanguage() throws Exception {
        String email = unique("api");
        Response r = given().contentType(ContentType.JSON).header("Accept-Language", "en-GB,en;q=0.9,fr;q=0.5")
                .body(ticket(email))
                .when().post("/api/tickets")
                .then().statusCode(201)
                .header("Location", matchesPattern("/api/tickets/SUP-\\d{4}-\\d{6}"))
                .body("number", matchesPattern("SUP-\\d{4}-\\d{6}"))
                .body("status", equalTo("new"))
                .body("language", equalTo("en"))
                .body("accessToken", notNullValue())
                .extract().response();
        String number = r.path("number");
        String token = r.path("accessToken");

        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE number = ? AND customer_email = ?", number, email));
        assertEquals("BLOCKING", Db.string(ds, "SELECT criticality FROM ticket WHERE number = ?", number));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_message m JOIN ticket t ON t.id = m.ticket_id"
                + " WHERE t.number = ? AND m.direction = 'IN' AND m.raw_id IS NOT NULL", number));

        MimeMessage ack = Mailboxes.await(email, 1).get(0);
        assertEquals("[" + number + "] The tracker stopped", ack.getSubject());
        assertEquals("auto-replied", ack.getHeader("Auto-Submitted", null));
        assertEquals("en", ack.getHeader("Content-Language", null));
        String body = Mailboxes.text(ack);
        assertTrue(body.contains("We have received your request"), body);
        assertTrue(body.contains("/status/" + number + "?token=" + token), body);

        given().header("Authorization", "Bearer " + token).when().get("/api/tickets/" + number)
                .then().statusCode(200).body("number", equalTo(number)).body("status", equalTo("new"))
                .body("subject", equalTo("The tracker stopped"));
        given().queryParam("token", token).when().get("/api/tickets/" + number).then().statusCode(200);
    }

    @Test
    void aTicketIsTriagedAndTheAnswerSaysWhy() {
        Map<String, Object> body = new java.util.HashMap<>(ticket(unique("triage")));
        body.remove("impact");
        body.remove("kind");
        body.put("subject", "Server down");
        body.put("description", "Our tracking server is down since 9am.");
        String token = given().contentType(ContentType.JSON).body(body).when().post("/api/tickets")
                .then().statusCode(201)
                .body("impact", equalTo("blocking"))
                .body("kind", equalTo("problem"))
                .body("contract", equalTo("not-maintained")) // customer.example is no customer of the ERP's
                .body("priority", equalTo(3))
                .body("triage.impactRule", equalTo("blocking-en"))
                .body("triage.kindRule", equalTo("default"))
                .extract().path("accessToken");
        assertNotNull(token);
        Map<String, Object> chosen = new java.util.HashMap<>(ticket(unique("triage-form")));
        chosen.put("impact", "minor");
        chosen.put("kind", "question");
        given().contentType(ContentType.JSON).body(chosen).when().post("/api/tickets")
                .then().statusCode(201)
                .body("impact", equalTo("minor")).body("kind", equalTo("question")).body("priority", equalTo(5))
                .body("triage.impactRule", equalTo("form")).body("triage.kindRule", equalTo("form"));
    }

    @Test
    void theLanguageFieldWinsOverAcceptLanguage() throws Exception {
        String email = unique("es");
        Map<String, Object> body = new java.util.HashMap<>(ticket(email));
        body.put("language", "es");
        given().contentType(ContentType.JSON).header("Accept-Language", "fr").body(body)
                .when().post("/api/tickets").then().statusCode(201).body("language", equalTo("es"));
        String text = Mailboxes.text(Mailboxes.await(email, 1).get(0));
        assertTrue(text.contains("Hemos recibido su solicitud"), text);
    }

    @Test
    void frenchIsTheDefaultLanguage() throws Exception {
        String email = unique("fr");
        given().contentType(ContentType.JSON).body(ticket(email))
                .when().post("/api/tickets").then().statusCode(201).body("language", equalTo("fr"));
        String text = Mailboxes.text(Mailboxes.await(email, 1).get(0));
        assertTrue(text.contains("Nous avons bien reçu votre demande"), text);
    }

    @Test
    void aStatusWithoutItsTokenRevealsNothing() {
        String email = unique("token");
        Response r = given().contentType(ContentType.JSON).body(ticket(email)).when().post("/api/tickets");
        String number = r.path("number");
        String missing = given().when().get("/api/tickets/" + number).then().statusCode(404)
                .contentType("application/problem+json").extract().asString();
        String wrong = given().header("Authorization", "Bearer not-the-token").when().get("/api/tickets/" + number)
                .then().statusCode(404).extract().asString();
        String unknown = given().header("Authorization", "Bearer not-the-token").when()
                .get("/api/tickets/SUP-1999-999999").then().statusCode(404).extract().asString();
        assertEquals(missing, wrong);
        assertEquals(missing, unknown);
        assertTrue(!missing.contains(email) && !missing.contains("tracker"), missing);
    }

    @Test
    void customerInputCannotInjectMailHeaders() throws Exception {
        String email = unique("inject");
        Map<String, Object> body = new java.util.HashMap<>(ticket(email));
        body.put("name", "Eve\r\nBcc: victim@elsewhere.example");
        body.put("subject", "Hello\r\nBcc: victim@elsewhere.example\r\nX-Injected: yes");
        given().contentType(ContentType.JSON).body(body).when().post("/api/tickets").then().statusCode(201);
        MimeMessage ack = Mailboxes.await(email, 1).get(0);
        assertNull(ack.getHeader("Bcc"));
        assertNull(ack.getHeader("X-Injected"));
        assertEquals(1, ack.getAllRecipients().length);
        assertTrue(Mailboxes.to("victim@elsewhere.example").isEmpty());
        assertTrue(ack.getSubject().contains("Hello Bcc: victim@elsewhere.example X-Injected: yes"), ack.getSubject());
    }

    @Test
    void theOpenApiDocumentDescribesTheTicketApi() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/tickets'.post.operationId", equalTo("createTicket"))
                .body("paths.'/api/tickets/{number}'.get.operationId", equalTo("getTicket"))
                .body("components.schemas.Ticket.properties.deadlines.properties.takeChargeBy.format", equalTo("date-time"))
                .body("components.schemas.Ticket.properties.quoteRequired.type", equalTo("boolean"));
    }

    @Test
    void aFloodFromOneAddressIsThrottled() {
        long before = Db.count(ds, "SELECT count(*) FROM ticket");
        int throttled = 0;
        String retryAfter = null;
        for (int i = 0; i < 400 && throttled == 0; i++) {
            Response r = given().header("X-Forwarded-For", "203.0.113.77").contentType(ContentType.JSON).body("{}")
                    .when().post("/api/tickets");
            if (r.statusCode() == 429) {
                throttled++;
                retryAfter = r.header("Retry-After");
                assertEquals("application/problem+json", r.contentType());
            } else {
                assertEquals(400, r.statusCode());
            }
        }
        assertEquals(1, throttled, "the flood was never throttled");
        assertTrue(Integer.parseInt(retryAfter) >= 1);
        // Another address is not affected.
        given().header("X-Forwarded-For", "203.0.113.78").contentType(ContentType.JSON).body("{}")
                .when().post("/api/tickets").then().statusCode(400);
        assertEquals(before, Db.count(ds, "SELECT count(*) FROM ticket"));
    }

    @Test
    void problemsNameEachBadFieldAtOnce() {
        given().contentType(ContentType.JSON).body(Map.of("name", "X", "email", "nope", "subject", " ",
                "description", "d", "impact", "urgent"))
                .when().post("/api/tickets").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("invalid-params.name", hasItem("email"))
                .body("invalid-params.name", hasItem("subject"))
                .body("invalid-params.name", hasItem("impact"))
                .body("detail", containsString("3 fields"));
    }
}
