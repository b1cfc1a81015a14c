package com.esii.support.hub.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.util.Hashes;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class IdempotencyTest extends HubTestResources {

    @Inject
    DataSource ds;

    @Test
    void aRepeatedPostWithTheSameKeyReturnsTheSameTicket() {
        String email = TicketApiTest.unique("idem");
        String key = UUID.randomUUID().toString();
        Response first = post(key, TicketApiTest.ticket(email));
        Response second = post(key, TicketApiTest.ticket(email));
        assertEquals(201, first.statusCode());
        assertEquals(201, second.statusCode());
        assertEquals((String) first.path("number"), second.path("number"));
        assertEquals((String) first.path("accessToken"), second.path("accessToken"));
        assertEquals("true", second.header("Idempotent-Replayed"));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", email));
        Mailboxes.await(email, 1);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                + " WHERE t.customer_email = ? AND o.type = 'mail-ack'", email));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                + " WHERE t.customer_email = ? AND o.type = 'jira-create'", email));
    }

    @Test
    void neitherTheKeyNorTheTokenIsKeptInClear() {
        String email = TicketApiTest.unique("idem-hash");
        String key = UUID.randomUUID().toString();
        Response r = post(key, TicketApiTest.ticket(email));
        String token = r.path("accessToken");
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM idempotency_key WHERE idem_key = ? OR access_token = ?"
                + " OR access_token_sealed LIKE ? OR access_token_sealed LIKE ?", key, token, "%" + token + "%",
                "%" + key + "%"));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM idempotency_key WHERE idem_key = ? AND access_token IS NULL"
                + " AND access_token_sealed IS NOT NULL", Hashes.sha256Hex(key)));
        assertEquals(Hashes.sha256Hex(token), Db.string(ds, "SELECT access_token_hash FROM ticket WHERE number = ?",
                (String) r.path("number")));
        // The stored row alone gives no token: sealed under the key, which only the client has.
        String sealed = Db.string(ds, "SELECT access_token_sealed FROM idempotency_key WHERE idem_key = ?",
                Hashes.sha256Hex(key));
        assertEquals(java.util.Optional.empty(), Hashes.unseal(Hashes.sha256Hex(key), sealed));
        assertEquals(java.util.Optional.of(token), Hashes.unseal(key, sealed));
    }

    @Test
    void aKeyReusedForAnotherRequestIsRefused() {
        String email = TicketApiTest.unique("idem-conflict");
        String key = UUID.randomUUID().toString();
        assertEquals(201, post(key, TicketApiTest.ticket(email)).statusCode());
        Map<String, Object> other = new HashMap<>(TicketApiTest.ticket(email));
        other.put("subject", "Something else");
        Response r = post(key, other);
        assertEquals(422, r.statusCode());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", email));
    }

    @Test
    void concurrentPostsWithOneKeyCreateOneTicket() throws Exception {
        String email = TicketApiTest.unique("idem-race");
        String key = UUID.randomUUID().toString();
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Callable<Response> c = () -> {
                start.await();
                return post(key, TicketApiTest.ticket(email));
            };
            futures.add(pool.submit(c));
        }
        start.countDown();
        List<String> numbers = new ArrayList<>();
        for (Future<Response> f : futures) {
            Response r = f.get();
            assertEquals(201, r.statusCode(), r.asString());
            numbers.add(r.path("number"));
        }
        pool.shutdown();
        assertEquals(1, numbers.stream().distinct().count(), numbers.toString());
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", email));
        Mailboxes.await(email, 1);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                + " WHERE t.customer_email = ? AND o.type = 'mail-ack'", email));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                + " WHERE t.customer_email = ? AND o.type = 'jira-create'", email));
    }

    private static Response post(String key, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post("/api/tickets");
    }
}
