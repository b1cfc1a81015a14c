package com.esii.support.hub.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Each bad input: 400, a problem naming the field, and nothing stored. */
@QuarkusTest
class TicketApiBadInputTest extends HubTestResources {

    @Inject
    DataSource ds;

    static Map<String, Object> with(String field, Object value) {
        Map<String, Object> m = new HashMap<>(TicketApiTest.ticket("bad@customer.example"));
        if (value == null) {
            m.remove(field);
        } else {
            m.put(field, value);
        }
        return m;
    }

    static Map<String, Object> attachment(String filename, int size) {
        return Map.of("filename", filename, "contentType", "application/octet-stream",
                "content", Base64.getEncoder().encodeToString(new byte[size]));
    }

    static Stream<Arguments> badTickets() {
        return Stream.of(
                Arguments.of("missing email", with("email", null), "email"),
                Arguments.of("invalid email", with("email", "jane.doe@"), "email"),
                Arguments.of("email with a header in it", with("email", "jane@example.com\r\nBcc: x@y.example"), "email"),
                Arguments.of("empty subject", with("subject", "   "), "subject"),
                Arguments.of("subject over 255 characters", with("subject", "s".repeat(256)), "subject"),
                Arguments.of("description over the limit", with("description", "d".repeat(20_001)), "description"),
                Arguments.of("unknown impact", with("impact", "urgent"), "impact"),
                Arguments.of("unknown kind", with("kind", "complaint"), "kind"),
                Arguments.of("attachment too large",
                        with("attachments", List.of(attachment("capture.pcap", 10 * 1024 * 1024 + 1))), "attachments[0]"),
                Arguments.of("attachment of a refused type",
                        with("attachments", List.of(attachment("notes.txt", 10), attachment("setup.EXE", 10))),
                        "attachments[1]"),
                Arguments.of("attachment that is not base64",
                        with("attachments", List.of(Map.of("filename", "a.txt", "content", "%%%"))),
                        "attachments[0].content"),
                Arguments.of("unknown field", with("priority", "high"), "priority"),
                Arguments.of("wrong type", with("subject", Map.of("a", 1)), "subject"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTickets")
    void aBadFieldIsNamedAndNothingIsStored(String what, Map<String, Object> body, String field) {
        long tickets = Db.count(ds, "SELECT count(*) FROM ticket");
        long outbox = Db.count(ds, "SELECT count(*) FROM outbox");
        long raw = Db.count(ds, "SELECT count(*) FROM raw_content");
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/tickets")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("invalid-params.name", hasItem(field));
        assertEquals(tickets, Db.count(ds, "SELECT count(*) FROM ticket"));
        assertEquals(outbox, Db.count(ds, "SELECT count(*) FROM outbox"));
        assertEquals(raw, Db.count(ds, "SELECT count(*) FROM raw_content"));
    }

    static Stream<Arguments> unreadableBodies() {
        return Stream.of(
                Arguments.of("{\"name\": \"Jane\", \"email\": "),
                Arguments.of("not json at all"),
                Arguments.of("[1, 2, 3]"),
                Arguments.of("{\"name\": \"Jane\"} trailing"),
                Arguments.of(""));
    }

    @ParameterizedTest
    @MethodSource("unreadableBodies")
    void malformedJsonIsRefused(String body) {
        long tickets = Db.count(ds, "SELECT count(*) FROM ticket");
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/tickets")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:support-hub:problem:malformed-request"));
        assertEquals(tickets, Db.count(ds, "SELECT count(*) FROM ticket"));
    }
}
