package com.esii.support.hub.web;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.api.TicketApi;
import com.esii.support.hub.oncall.MovableClock;
import com.esii.support.hub.testing.BrowserForm;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.util.Hashes;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Issue 14, part 6 and the retention of part 7, over HTTP: the web form submitted again with the same content
 * (Back then submit, a double click, a second tab) answers the ticket it opened and sends no second mail; other
 * content, or the same after the window, opens a new ticket. Then Idempotency-Keys forgotten after their retention.
 * Time is moved with the hub's clock ({@link MovableClock}).
 */
@QuarkusTest
class ResubmissionTest extends HubTestResources {

    private static final Pattern NUMBER = Pattern.compile("id=\"ticket-number\">(SUP-\\d{4}-\\d{6})<");
    private static final Pattern STATUS_LINK = Pattern.compile("/status/(SUP-\\d{4}-\\d{6})\\?token=([A-Za-z0-9_-]+)");

    @Inject
    DataSource ds;
    @Inject
    MovableClock clock;
    @Inject
    TicketApi api;
    @Inject
    PageAccessPurge pageAccessPurge;
    @Inject
    LinkRequestLimit links;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    /** A browser's submission of the form as the page rendered it (its form key). */
    static Response submit(String email, String description, String formKey) {
        return submit(email, description, formKey, "");
    }

    /** The same, with what the access code field holds. */
    static Response submit(String email, String description, String formKey, String accessCode) {
        return new BrowserForm().field("lang", "en").field("formKey", formKey).field("website", "")
                .field("name", "Ann Lee").field("email", email).field("company", "Town hall")
                .field("accessCode", accessCode)
                .field("subject", "Kiosk frozen").field("description", description)
                .field("impact", "major").field("kind", "problem")
                .into(given()).when().post("/");
    }

    static String number(Response r) {
        assertEquals(200, r.statusCode(), r.asString());
        Matcher m = NUMBER.matcher(r.asString());
        assertTrue(m.find(), r.asString());
        return m.group(1);
    }

    long tickets(String email) {
        return Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", email);
    }

    /** Every acknowledgement queued for this address sent, then exactly {@code n} mails in its mailbox. */
    void acknowledgedExactly(String email, int n) {
        assertEquals(n, Db.count(ds, "SELECT count(*) FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                + " WHERE t.customer_email = ? AND o.type = 'mail-ack'", email));
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds, "SELECT count(*) FROM outbox o"
                + " JOIN ticket t ON t.id = o.ticket_id WHERE t.customer_email = ? AND o.type = 'mail-ack'"
                + " AND o.status <> 'DONE'", email) == 0);
        assertEquals(n, Mailboxes.await(email, n).size());
    }

    @Test
    void theSameContentSubmittedAgainIsTheSameTicketWithOneMail() {
        String email = Samples.unique("web-again");
        String formKey = UUID.randomUUID().toString();
        Response first = submit(email, "The kiosk froze at noon.", formKey);
        String number = number(first);
        Matcher link = STATUS_LINK.matcher(first.asString());
        assertTrue(link.find(), first.asString());
        assertFalse(first.asString().contains("submitted-again"));

        // Back, then submit again: the same page, the same content.
        Response again = submit(email, "The kiosk froze at noon.", formKey);
        assertEquals(number, number(again));
        assertTrue(again.asString().contains("id=\"submitted-again\""), again.asString());
        Matcher link2 = STATUS_LINK.matcher(again.asString());
        assertTrue(link2.find(), "the same page gets its status link back");
        assertEquals(link.group(2), link2.group(2), "the same token");
        given().when().get("/status/" + number + "?token=" + link2.group(2)).then().statusCode(200);

        assertEquals(1, tickets(email));
        acknowledgedExactly(email, 1);
        // The form key, the secret the token is sealed under, is kept nowhere.
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM raw_content WHERE position(convert_to(?, 'UTF8') in content) > 0",
                formKey));
    }

    /**
     * Issue 26: a browser does not fill the access code field again after Back (the page asks it not to keep the
     * code), so the request sent again comes without it, or with another one typed: still the same request, answered
     * with the first ticket (triaged by the code it came with) and no second mail.
     */
    @Test
    void theAccessCodeABrowserDoesNotRestoreMakesNoSecondTicket() {
        String email = Samples.unique("web-code");
        String formKey = UUID.randomUUID().toString();
        Response first = submit(email, "The kiosk reboots in a loop.", formKey, "4711-2026");
        String number = number(first);
        Matcher link = STATUS_LINK.matcher(first.asString());
        assertTrue(link.find(), first.asString());

        // Back, then submit again: every field restored but the access code
        Response again = submit(email, "The kiosk reboots in a loop.", formKey, "");
        assertEquals(number, number(again), "the access code left empty after Back: the same request");
        assertTrue(again.asString().contains("id=\"submitted-again\""), again.asString());
        Matcher link2 = STATUS_LINK.matcher(again.asString());
        assertTrue(link2.find(), "the same page gets its status link back");
        assertEquals(link.group(2), link2.group(2));
        // ...or typed again differently
        assertEquals(number, number(submit(email, "The kiosk reboots in a loop.", formKey, "NM-0003")));

        assertEquals(1, tickets(email));
        assertEquals("4711-2026", Db.string(ds, "SELECT access_code FROM ticket WHERE number = ?", number),
                "the ticket keeps the code it was opened with");
        acknowledgedExactly(email, 1);
    }

    @Test
    void aSecondTabGetsTheSameTicketButNotItsStatusLink() {
        String email = Samples.unique("web-tab");
        String number = number(submit(email, "Second tab.", UUID.randomUUID().toString()));
        // Another tab has another form key; the line ends, spaces and the address's case differ as a browser may.
        Response other = submit(email.toUpperCase(java.util.Locale.ROOT), "  Second\r\n tab. ", UUID.randomUUID().toString());
        assertEquals(number, number(other));
        assertFalse(STATUS_LINK.matcher(other.asString()).find(), "the token goes only to the page that opened it");
        assertTrue(other.asString().contains("The link to follow the request is in that email."), other.asString());
        // Nor to a page with no form key at all.
        Response bare = new BrowserForm().field("name", "Ann Lee").field("email", email).field("company", "Town hall")
                .field("subject", "Kiosk frozen").field("description", "Second tab.").field("impact", "major")
                .field("kind", "problem").into(given()).when().post("/");
        assertEquals(number, number(bare));
        assertFalse(STATUS_LINK.matcher(bare.asString()).find());
        assertEquals(1, tickets(email));
        acknowledgedExactly(email, 1);
    }

    @Test
    void aDoubleClickOpensOneTicket() throws Exception {
        String email = Samples.unique("web-double");
        String formKey = UUID.randomUUID().toString();
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> clicks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clicks.add(pool.submit(() -> {
                start.await();
                return submit(email, "Clicked twice.", formKey);
            }));
        }
        start.countDown();
        List<String> numbers = new ArrayList<>();
        for (Future<Response> f : clicks) {
            numbers.add(number(f.get()));
        }
        pool.shutdown();
        assertEquals(1, numbers.stream().distinct().count(), numbers.toString());
        assertEquals(1, tickets(email));
        acknowledgedExactly(email, 1);
    }

    @Test
    void anotherTextIsAnotherTicketEvenFromTheSamePage() {
        String email = Samples.unique("web-other");
        String formKey = UUID.randomUUID().toString();
        String first = number(submit(email, "The printer is jammed.", formKey));
        // Back, the text corrected, submitted again from the same page: a new request.
        String second = number(submit(email, "The scanner is jammed too.", formKey));
        assertNotEquals(first, second);
        // The same text from another address is another customer's request.
        String third = number(submit(Samples.unique("web-other"), "The printer is jammed.", formKey));
        assertNotEquals(first, third);
        assertEquals(2, tickets(email));
        acknowledgedExactly(email, 2);
    }

    @Test
    void theSameContentAfterTheWindowIsANewTicket() {
        String email = Samples.unique("web-later");
        String formKey = UUID.randomUUID().toString();
        String first = number(submit(email, "It happened again.", formKey));
        clock.set(Instant.now().plus(Duration.ofMinutes(9)));
        assertEquals(first, number(submit(email, "It happened again.", formKey)), "still within the 10 minutes");
        clock.set(Instant.now().plus(Duration.ofMinutes(11)));
        String later = number(submit(email, "It happened again.", formKey));
        assertNotEquals(first, later, "10 minutes after the first, the same text is a new request");
        // ...which is the one a resubmission now finds.
        assertEquals(later, number(submit(email, "It happened again.", UUID.randomUUID().toString())));
        assertEquals(2, tickets(email));
        acknowledgedExactly(email, 2);
    }

    @Test
    void idempotencyKeysAreForgottenAfterTheirRetention() {
        String old = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        Map<String, Object> body = Samples.ticket(Samples.unique("retention"));
        String oldNumber = post(old, body).then().statusCode(201).extract().path("number");
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM idempotency_key WHERE idem_key = ?", Hashes.sha256Hex(old)));

        // Eight days later (the retention is 7 days): a new key, then the hourly purge.
        clock.set(Instant.now().plus(Duration.ofDays(8)));
        String freshNumber = post(fresh, body).then().statusCode(201).extract().path("number");
        api.purgeIdempotencyKeys();
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM idempotency_key WHERE idem_key = ?", Hashes.sha256Hex(old)));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM idempotency_key WHERE idem_key = ?", Hashes.sha256Hex(fresh)));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM idempotency_key WHERE created_at < ?",
                java.time.OffsetDateTime.now(clock).minusDays(7)));

        // The fresh key still answers its ticket; the forgotten one is a new request.
        Response replay = post(fresh, body);
        assertEquals(freshNumber, replay.path("number"));
        assertEquals("true", replay.header("Idempotent-Replayed"));
        Response forgotten = post(old, body);
        assertEquals(201, forgotten.statusCode());
        assertNull(forgotten.header("Idempotent-Replayed"));
        assertNotEquals(oldNumber, forgotten.path("number"));
    }

    /**
     * The hourly purge forgets the request pages' expired sessions and the links older than
     * {@code hub.status-page.link-retention} (180 days): ticket_access no longer grows forever. A link within its
     * retention and a live session stay, and so does the ticket's own token (its acknowledgement's link). Two
     * replicas purging at the same moment both succeed (an idempotent DELETE).
     */
    @Test
    void expiredPageSessionsAndLinksPastTheirRetentionArePurged() throws Exception {
        String number = post(UUID.randomUUID().toString(), Samples.ticket(Samples.unique("sessions"))).then()
                .statusCode(201).extract().path("number");
        long ticket = Db.count(ds, "SELECT id FROM ticket WHERE number = ?", number);
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now(clock);
        String expired = "expired-" + UUID.randomUUID();
        String live = "live-" + UUID.randomUUID();
        String old = "old-link-" + UUID.randomUUID();
        String recent = "recent-link-" + UUID.randomUUID();
        Db.update(ds, "INSERT INTO ticket_access (ticket_id, token_hash, kind, created_at, expires_at) VALUES"
                + " (?, ?, 'session', ?, ?), (?, ?, 'session', ?, ?), (?, ?, 'link', ?, NULL), (?, ?, 'link', ?, NULL)",
                ticket, expired, now.minusHours(13), now.minusHours(1), ticket, live, now, now.plusHours(12),
                ticket, old, now.minusDays(181), ticket, recent, now.minusDays(179));
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            for (Future<?> f : replicas.invokeAll(List.of(HourlyPurge.call(this), HourlyPurge.call(this)))) {
                f.get();
            }
        } finally {
            replicas.shutdownNow();
        }
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket_access WHERE token_hash = ?", expired));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_access WHERE token_hash = ?", live));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket_access WHERE token_hash = ?", old),
                "a link past its retention goes");
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_access WHERE token_hash = ?", recent));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE number = ? AND access_token_hash IS NOT NULL",
                number), "the ticket's own token stays");
    }

    /** What the hourly purge route (routes/ticket-api.yaml, api-idempotency-purge) runs. */
    static final class HourlyPurge {
        static java.util.concurrent.Callable<Void> call(ResubmissionTest t) {
            return () -> {
                t.api.purgeIdempotencyKeys();
                t.pageAccessPurge.purge();
                t.links.purge();
                return null;
            };
        }
    }

    @Test
    void aRowLeftInClearByThePreviousVersionIsSealedByThePurge() {
        String key = "legacy-" + UUID.randomUUID();
        Map<String, Object> body = Samples.ticket(Samples.unique("legacy"));
        Response created = post(key, body);
        String token = created.path("accessToken");
        assertNotNull(token);
        // What a replica of the previous version writes during a rolling upgrade: key and token in clear.
        assertEquals(1, Db.update(ds, "UPDATE idempotency_key SET idem_key = ?, access_token = ?,"
                + " access_token_sealed = NULL WHERE idem_key = ?", key, token, Hashes.sha256Hex(key)));

        api.purgeIdempotencyKeys();

        assertEquals(0, Db.count(ds, "SELECT count(*) FROM idempotency_key WHERE idem_key = ? OR access_token = ?"
                + " OR access_token_sealed LIKE ?", key, token, "%" + token + "%"));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM idempotency_key WHERE idem_key = ?"
                + " AND access_token IS NULL AND access_token_sealed IS NOT NULL", Hashes.sha256Hex(key)));
        Response replay = post(key, body);
        assertEquals("true", replay.header("Idempotent-Replayed"));
        assertEquals((String) created.path("number"), replay.path("number"));
        assertEquals(token, replay.path("accessToken"), "the client still gets its token back");
    }

    private static Response post(String key, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post("/api/tickets");
    }
}
