package com.esii.support.hub.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Failed admin logins are throttled per client address (10 at once by default; the tests give them back over a day, see
 * {@link TestSettings}, so that no attempt comes back while the test runs). The test's connections come from
 * 127.0.0.1, the proxy the test settings trust, so X-Forwarded-For names the client; a peer the hub does not trust
 * (127.0.0.2) cannot escape by sending X-Forwarded-For itself.
 */
@QuarkusTest
class AdminLoginThrottleTest extends HubTestResources {

    static RequestSpecification from(String client) {
        return given().header("X-Forwarded-For", client);
    }

    static String someClient() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "198.51." + r.nextInt(100) + "." + r.nextInt(1, 255);
    }

    @Test
    void thirtyWrongPasswordsThenEvenTheRightOneGets429() throws Exception {
        String attacker = someClient();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            statuses.add(from(attacker).auth().preemptive().basic("admin", "guess-" + i).when().get("/admin/outbox")
                    .statusCode());
        }
        List<Integer> expected = new ArrayList<>(Collections.nCopies(10, 401));
        expected.addAll(Collections.nCopies(20, 429));
        assertEquals(expected, statuses);

        Response right = from(attacker).auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                .get("/admin/outbox");
        assertEquals(429, right.statusCode(), "the right password is refused too while throttled");
        assertTrue(Long.parseLong(right.header("Retry-After")) >= 1, right.header("Retry-After"));
        assertEquals("application/problem+json", right.contentType());
        // The same on every admin endpoint, a state-changing one included.
        assertEquals(429, from(attacker).auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .header("X-Requested-By", "test").when().post("/admin/outbox/1/skip").statusCode());

        // Another client is not throttled.
        String colleague = someClient();
        from(colleague).auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when().get("/admin/outbox")
                .then().statusCode(200);
        from(colleague).auth().preemptive().basic("admin", "typo").when().get("/admin/outbox").then().statusCode(401);
        // Nor are the attacker's requests without credentials (the public form and API have their own throttling).
        from(attacker).when().get("/").then().statusCode(200);

        // Logged, with the address.
        Path log = Path.of("target/quarkus.log");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log)
                .contains("Admin login failed from " + attacker + ": too many failed logins"));
        assertTrue(!Files.readString(log).contains("guess-"), "no attempted password is logged");
    }

    @Test
    void aPeerTheHubDoesNotTrustCannotEscapeBySendingXForwardedFor() throws Exception {
        RestAssuredConfig untrusted = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.route.local-address", InetAddress.getByName("127.0.0.2")));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // A new forged client address each time, from a peer that is no trusted proxy.
            statuses.add(given().config(untrusted).baseUri("http://127.0.0.1").header("X-Forwarded-For", someClient())
                    .auth().preemptive().basic("admin", "guess-" + i).when().get("/admin/outbox").statusCode());
        }
        List<Integer> expected = new ArrayList<>(Collections.nCopies(10, 401));
        expected.addAll(Collections.nCopies(2, 429));
        assertEquals(expected, statuses);
    }
}
