package com.esii.support.hub.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.outbox.OutboxStatus;
import com.esii.support.hub.outbox.TestHandlers;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.MultiMap;

/**
 * The admin API's state-changing endpoints refuse cross-site requests. The browser of a logged-in admin sends the
 * HTTP Basic login along with whatever another site makes it post; here, a dead outbox row that such a post would
 * skip or replay (these endpoints take no body, so nothing else would stop a form), and the rota.
 */
@QuarkusTest
class AdminCrossSiteTest extends HubTestResources {

    @Inject
    Outbox outbox;
    @Inject
    OutboxRelay relay;
    @Inject
    DataSource ds;

    /** What the admin's browser sends on its own: the login it remembers. */
    static RequestSpecification browser() {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD);
    }

    long deadRow() {
        long id = QuarkusTransaction.requiringNew().call(() -> outbox.enqueue(TestHandlers.Refused.TYPE,
                "test:csrf-" + UUID.randomUUID(), null, Map.of(), OffsetDateTime.now()));
        relay.wake();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> outbox.find(id).orElseThrow().status() == OutboxStatus.DEAD);
        return id;
    }

    @Test
    void aFormPostedFromAnotherSiteChangesNothing() {
        long id = deadRow();
        int attempts = outbox.find(id).orElseThrow().attempts();

        // <form method=post action=https://hub/admin/outbox/{id}/skip> on https://evil.example, submitted by script
        browser().contentType("application/x-www-form-urlencoded").header("Origin", "https://evil.example")
                .formParam("x", "1").when().post("/admin/outbox/" + id + "/skip")
                .then().statusCode(403).contentType("application/problem+json")
                .body(containsString("X-Requested-By"));
        // the same from a browser that sends no Origin, and as text/plain (a form's third encoding)
        browser().contentType("application/x-www-form-urlencoded").formParam("x", "1").when()
                .post("/admin/outbox/" + id + "/skip").then().statusCode(403);
        browser().contentType("text/plain").body("{\"x\":1}").when().post("/admin/outbox/" + id + "/replay")
                .then().statusCode(403);
        browser().contentType("multipart/form-data").multiPart("x", "1").when().post("/admin/outbox/" + id + "/replay")
                .then().statusCode(403);
        // JSON or the header do not help a request the browser marks as cross-site
        browser().contentType(ContentType.JSON).header("Origin", "https://evil.example").body("{}").when()
                .post("/admin/outbox/" + id + "/skip").then().statusCode(403);
        browser().header("X-Requested-By", "x").header("Sec-Fetch-Site", "cross-site").when()
                .post("/admin/outbox/" + id + "/skip").then().statusCode(403);
        browser().header("X-Requested-By", "x").header("Origin", "null").when()
                .post("/admin/outbox/" + id + "/skip").then().statusCode(403);
        // nor does spelling the path another way
        browser().contentType("application/x-www-form-urlencoded").formParam("x", "1").when()
                .post("/admin/outbox/../outbox/" + id + "/skip").then().statusCode(403);

        assertEquals(OutboxStatus.DEAD, outbox.find(id).orElseThrow().status(), "nothing skipped");
        assertEquals(attempts, outbox.find(id).orElseThrow().attempts(), "nothing replayed");

        // The operator's own tools: the header (curl, scripts), from the hub's own page, or JSON.
        browser().header("X-Requested-By", "curl").header("Origin", "http://localhost:" + io.restassured.RestAssured.port)
                .header("Sec-Fetch-Site", "same-origin").when().post("/admin/outbox/" + id + "/replay")
                .then().statusCode(202);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> outbox.find(id).orElseThrow().status() == OutboxStatus.DEAD);
        browser().contentType(ContentType.JSON).when().post("/admin/outbox/" + id + "/skip").then().statusCode(200);
        assertEquals(OutboxStatus.SKIPPED, outbox.find(id).orElseThrow().status());
    }

    @Test
    void theRotaCannotBeChangedFromAnotherSite() {
        String code = "csrf" + UUID.randomUUID().toString().substring(0, 8);
        browser().contentType("application/x-www-form-urlencoded").header("Origin", "https://evil.example")
                .formParam("name", "Mallory").when().delete("/admin/oncall/technicians/alice").then().statusCode(403);
        browser().contentType("text/plain").header("Sec-Fetch-Site", "cross-site")
                .body("{\"name\":\"Mallory\",\"email\":\"m@evil.example\",\"phone\":\"+33 6 66 66 66 66\"}")
                .when().put("/admin/oncall/technicians/" + code).then().statusCode(403);
        browser().when().get("/admin/oncall").then().statusCode(200).body(not(containsString(code)));
        browser().contentType(ContentType.JSON)
                .body(Map.of("name", "Val Id", "email", code + "@example.com", "phone", "+33 6 00 00 00 09"))
                .when().put("/admin/oncall/technicians/" + code).then().statusCode(200);
        browser().when().get("/admin/oncall").then().statusCode(200).body(containsString(code));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM oncall_technician WHERE code = ?", code));
    }

    @Test
    void whatIsRefusedAndWhy() {
        String hub = "https://hub.example.com";
        assertNull(refusal(hub, "hub.example.com", "Content-Type", "application/json"));
        assertNull(refusal(hub, "hub.example.com", "Content-Type", "Application/JSON; charset=UTF-8"));
        assertNull(refusal(hub, "hub.example.com", "X-Requested-By", "curl"));
        assertNull(refusal(hub, "hub.example.com", "X-Requested-By", "x", "Origin", "https://hub.example.com"));
        assertNull(refusal(hub, "10.0.0.5:8080", "X-Requested-By", "x", "Origin", "http://10.0.0.5:8080"));
        assertNull(refusal(hub, "internal:8080", "X-Requested-By", "x", "Origin", "https://HUB.example.com"));
        assertNull(refusal(hub, "hub.example.com", "X-Requested-By", "x", "Sec-Fetch-Site", "none"));
        assertEquals("neither JSON nor X-Requested-By", refusal(hub, "hub.example.com"));
        assertEquals("neither JSON nor X-Requested-By", refusal(hub, "h", "Content-Type", "application/jsonp"));
        assertEquals("neither JSON nor X-Requested-By", refusal(hub, "h", "Content-Type", "text/plain", "X-Requested-By", " "));
        assertEquals("Sec-Fetch-Site: same-site", refusal(hub, "h", "X-Requested-By", "x", "Sec-Fetch-Site", "same-site"));
        assertEquals("Origin: https://hub.example.com.evil.example", refusal(hub, "hub.example.com",
                "Content-Type", "application/json", "Origin", "https://hub.example.com.evil.example"));
        assertEquals("Origin: http://hub.example.com:8443", refusal(hub, "hub.example.com",
                "Content-Type", "application/json", "Origin", "http://hub.example.com:8443"));
    }

    /**
     * Issue 26.9: a form of the hub's own admin pages needs neither JSON nor the header; the browser shows where it
     * comes from (its page's Origin, and Sec-Fetch-Site when it sends it). Nothing else stands in for that.
     */
    @Test
    void aFormOfTheHubsOwnAdminPageIsLetThroughAndNothingElse() {
        String hub = "https://hub.example.com";
        String form = "application/x-www-form-urlencoded";
        assertNull(refusal(hub, "hub.example.com", "Content-Type", form, "Origin", "https://hub.example.com",
                "Sec-Fetch-Site", "same-origin"));
        assertNull(refusal(hub, "10.0.0.5:8080", "Content-Type", form, "Origin", "http://10.0.0.5:8080"),
                "a browser without Sec-Fetch-Site: its Origin");
        assertEquals("neither JSON nor X-Requested-By", refusal(hub, "hub.example.com", "Content-Type", form,
                "Sec-Fetch-Site", "same-origin"), "no Origin: nothing shows the page");
        assertEquals("neither JSON nor X-Requested-By", refusal(hub, "hub.example.com", "Content-Type", form,
                "Origin", "https://hub.example.com", "Sec-Fetch-Site", "none"), "typed or bookmarked: no form");
        assertEquals("Sec-Fetch-Site: same-site", refusal(hub, "hub.example.com", "Content-Type", form,
                "Origin", "https://hub.example.com", "Sec-Fetch-Site", "same-site"));
        assertEquals("Origin: null", refusal(hub, "hub.example.com", "Content-Type", form, "Origin", "null",
                "Sec-Fetch-Site", "same-origin"), "what no-referrer makes a browser send: the pages avoid it");
        assertEquals("Origin: https://evil.example", refusal(hub, "hub.example.com", "Content-Type", form,
                "Origin", "https://evil.example"));
    }

    private static String refusal(String publicUrl, String host, String... headers) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return AdminCrossSiteGuard.refusal(h, host, AdminCrossSiteGuard.origin(publicUrl));
    }
}
