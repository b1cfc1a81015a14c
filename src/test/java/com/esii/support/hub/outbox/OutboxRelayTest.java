package com.esii.support.hub.outbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.GreenMailResource;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class OutboxRelayTest extends HubTestResources {

    @Inject
    DataSource ds;
    @Inject
    Outbox outbox;
    @Inject
    OutboxRelay relay;
    @Inject
    OutboxConfig config;
    @Inject
    OutboxRoutes routes;
    @Inject
    Clock clock;

    @Test
    void whenSmtpIsDownTheAcknowledgementLeavesOnceItIsBackExactlyOnce() {
        String email = Samples.unique("smtp-down");
        GreenMailResource.stopServer();
        String number;
        try {
            number = given().contentType(ContentType.JSON).body(Samples.ticket(email)).when().post("/api/tickets")
                    .then().statusCode(201).extract().path("number");
            // The ticket exists; its acknowledgement is retried while the server is away.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Db.count(ds,
                    "SELECT coalesce(max(attempts), 0) FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                            + " WHERE t.number = ? AND o.status = 'PENDING' AND o.last_error IS NOT NULL", number) >= 2);
        } finally {
            GreenMailResource.restart();
        }
        Mailboxes.await(email, 1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(Db.string(ds,
                "SELECT o.status FROM outbox o JOIN ticket t ON t.id = o.ticket_id WHERE t.number = ?", number)));
        relay.drain();
        assertEquals(1, Mailboxes.to(email).size());
    }

    @Test
    void aRowThatKeepsFailingEndsDeadIsCountedAndCanBeReplayed() {
        long id = QuarkusTransaction.requiringNew().call(() -> outbox.enqueue(TestHandlers.AlwaysFails.TYPE,
                "test:dead", null, Map.of("n", 1), OffsetDateTime.now(clock)));
        relay.wake();
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> outbox.find(id).orElseThrow().status() == OutboxStatus.DEAD);
        OutboxRow dead = outbox.find(id).orElseThrow();
        assertEquals(config.maxAttempts(), dead.attempts());
        assertTrue(dead.lastError().contains("target unavailable"), dead.lastError());

        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().when().get("/q/metrics").then()
                .body(containsString("hub_outbox_processed_total{outcome=\"dead\",type=\"test-always-fails\"} 1.0"))
                .body(containsString("hub_outbox_rows{state=\"dead\"}")));
        String metrics = given().when().get("/q/metrics").asString();
        double deadRows = metrics.lines().filter(l -> l.startsWith("hub_outbox_rows{state=\"dead\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
        assertTrue(deadRows >= 1, metrics);

        // The operator sees it and replays it (it fails again, but it was tried again).
        given().when().get("/admin/outbox?state=dead").then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong").when().get("/admin/outbox?state=dead").then()
                .statusCode(401);
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when().get("/admin/outbox?state=dead")
                .then().statusCode(200).body(containsString("target unavailable"));
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).header("X-Requested-By", "test").when()
                .post("/admin/outbox/" + id + "/replay").then().statusCode(202);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> outbox.find(id).orElseThrow().attempts() < 5
                || outbox.find(id).orElseThrow().status() == OutboxStatus.PENDING);
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> outbox.find(id).orElseThrow().status() == OutboxStatus.DEAD);
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).header("X-Requested-By", "test").when()
                .post("/admin/outbox/999999999/replay").then().statusCode(404);
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        long id = QuarkusTransaction.requiringNew().call(() -> outbox.enqueue(TestHandlers.Refused.TYPE,
                "test:refused", null, Map.of(), OffsetDateTime.now(clock)));
        relay.wake();
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> outbox.find(id).orElseThrow().status() == OutboxStatus.DEAD);
        assertEquals(1, outbox.find(id).orElseThrow().attempts());
    }

    @Test
    void retryAfterIsHonoured() {
        long id = QuarkusTransaction.requiringNew().call(() -> outbox.enqueue(TestHandlers.Throttled.TYPE,
                "test:throttled", null, Map.of(), OffsetDateTime.now(clock)));
        relay.wake();
        // the claim counts the attempt; the failure is recorded once the handler has answered
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> outbox.find(id).orElseThrow().attempts() == 1
                && outbox.find(id).orElseThrow().lastError() != null);
        OffsetDateTime attemptedAt = OffsetDateTime.now(clock);
        OutboxRow row = outbox.find(id).orElseThrow();
        // The test backoff is at most 1 s; Retry-After says 2 s.
        assertTrue(Duration.between(attemptedAt, row.nextAttemptAt()).toMillis() > 1500, row.toString());
    }

    /**
     * A burst of rows to a slow target (Jira answering in seconds) holds neither the relay's next claim nor every
     * worker: an acknowledgement committed while they run leaves at once.
     */
    @Test
    void aSlowTargetHoldsNoAcknowledgement() {
        int workers = config.workers();
        int othersMax = workers - Math.max(1, workers / 4);
        TestHandlers.Slow.gate = new CountDownLatch(1);
        TestHandlers.Slow.MAX_RUNNING.set(0);
        List<Long> slow;
        try {
            slow = QuarkusTransaction.requiringNew().call(() -> {
                List<Long> created = new ArrayList<>();
                for (int i = 0; i < workers + 2; i++) {
                    created.add(outbox.enqueue(TestHandlers.Slow.TYPE, "test:slow-" + i, null, Map.of("i", i),
                            OffsetDateTime.now(clock)));
                }
                return created;
            });
            relay.wake();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestHandlers.Slow.RUNNING.get() == othersMax);

            long mail = QuarkusTransaction.requiringNew().call(() -> outbox.enqueue(TestHandlers.CustomerMail.TYPE,
                    "test:mail", null, Map.of(), OffsetDateTime.now(clock)));
            relay.wake();
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> outbox.find(mail).orElseThrow().status() == OutboxStatus.DONE);
            assertEquals(othersMax, TestHandlers.Slow.RUNNING.get(), "the slow rows were still running");
            assertEquals(othersMax, TestHandlers.Slow.MAX_RUNNING.get(), "slow rows took the workers kept for mails");
        } finally {
            TestHandlers.Slow.gate.countDown();
        }
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> slow.stream()
                .allMatch(id -> outbox.find(id).orElseThrow().status() == OutboxStatus.DONE));
    }

    /**
     * A live replica keeps the claim of a row it is still performing, however long its target takes: another replica
     * may take a row over only from a replica that died (else the row would be performed twice).
     */
    @Test
    void aRowSlowerThanItsLeaseIsNotTakenOverFromALiveReplica() throws Exception {
        // these relays live a day ahead, with a 1 s lease: the row is due for them only, not for the hub's own relay
        Clock ahead = Clock.offset(clock, Duration.ofDays(1));
        OutboxConfig shortLease = (OutboxConfig) java.lang.reflect.Proxy.newProxyInstance(
                OutboxConfig.class.getClassLoader(), new Class<?>[] { OutboxConfig.class },
                (proxy, method, args) -> method.getName().equals("lease") ? Duration.ofSeconds(1)
                        : method.invoke(config, args));
        OffsetDateTime later = OffsetDateTime.now(clock).plusHours(12);
        long id = QuarkusTransaction.requiringNew().call(() -> {
            long created = outbox.enqueue(TestHandlers.Slow.TYPE, "test:slow-lease", null, Map.of(), later);
            Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", later, created);
            return created;
        });
        TestHandlers.Slow.gate = new CountDownLatch(1);
        OutboxRelay a = new OutboxRelay(outbox, routes, shortLease, ahead, "replica-a", new SimpleMeterRegistry());
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> drained = thread.submit(a::drain);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outbox.find(id).orElseThrow().claims() == 1);
            Thread.sleep(2500); // two and a half leases while the row runs

            OffsetDateTime now = OffsetDateTime.now(ahead);
            assertTrue(!outbox.claim(id, "replica-b", now, now.plusSeconds(1)),
                    "another replica took over a row its live replica was performing");
            TestHandlers.Slow.gate.countDown();
            assertEquals(1, drained.get(15, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            TestHandlers.Slow.gate.countDown();
            thread.shutdown();
            a.stop(Duration.ofSeconds(1));
        }
        OutboxRow row = outbox.find(id).orElseThrow();
        assertEquals(OutboxStatus.DONE, row.status());
        assertEquals(1, row.claims());
    }

    /**
     * A look that took what was due is not followed by another until something changes (a row finishes, a commit
     * wakes the relay, the poll interval passes): the look right after every look found nothing (issue 29).
     */
    @Test
    void aLookThatTookWhatWasDueIsNotFollowedByAnotherUntilARowFinishes() throws Exception {
        // a relay a day ahead (the rows are due for it only), looking by itself only once a minute
        Clock ahead = Clock.offset(clock, Duration.ofDays(1));
        OutboxConfig slowPoll = slowPoll(config.workers());
        AtomicInteger looks = new AtomicInteger();
        Outbox counting = countingLooks(looks);
        OffsetDateTime later = OffsetDateTime.now(clock).plusHours(12);
        List<Long> ids = dueAt(later, TestHandlers.Slow.TYPE, "test:one-look-", 3);
        TestHandlers.Slow.gate = new CountDownLatch(1);
        OutboxRelay a = new OutboxRelay(counting, routes, slowPoll, ahead, "replica-one-look",
                new SimpleMeterRegistry());
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Thread[] draining = new Thread[1];
        try {
            Future<Integer> drained = thread.submit(() -> {
                draining[0] = Thread.currentThread();
                return a.drain();
            });
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> ids.stream().allMatch(id -> outbox.find(id).orElseThrow().claims() == 1));
            // the three rows run (held by the gate) and the drain waits for a row to finish (or a wake, or the
            // minute): nothing changed since the look that took them, and it looked once
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waiting(draining[0]));
            assertEquals(1, looks.get(), "looks before anything changed");
            TestHandlers.Slow.gate.countDown();
            assertEquals(3, drained.get(15, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            TestHandlers.Slow.gate.countDown();
            thread.shutdown();
            a.stop(Duration.ofSeconds(1));
        }
        for (Long id : ids) {
            assertEquals(OutboxStatus.DONE, outbox.find(id).orElseThrow().status());
        }
    }

    @Test
    void aBusyRelaysNextLookWaitsForMoreFreeWorkersThenTakesAndMarksTogether() throws Exception {
        // eight workers, five held by slow rows: a commit's wake does not make a look at once; the look waits until
        // six workers are free (or the gather time, held open here), then takes the new row (issue 29: a look per
        // commit and per finished row in a burst, one or two rows each)
        Clock ahead = Clock.offset(clock, Duration.ofDays(1));
        OutboxConfig eight = slowPoll(8);
        AtomicInteger looks = new AtomicInteger();
        Outbox counting = countingLooks(looks);
        OffsetDateTime later = OffsetDateTime.now(clock).plusHours(12);
        List<Long> slow = dueAt(later, TestHandlers.Slow.TYPE, "test:gather-", 5);
        TestHandlers.Slow.gate = new CountDownLatch(1);
        OutboxRelay a = new OutboxRelay(counting, routes, eight, ahead, "replica-gather", new SimpleMeterRegistry());
        a.gatherFor(Duration.ofMinutes(1));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Thread[] draining = new Thread[1];
        try {
            Future<Integer> drained = thread.submit(() -> {
                draining[0] = Thread.currentThread();
                return a.drain();
            });
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> slow.stream().allMatch(id -> outbox.find(id).orElseThrow().claims() == 1));
            long next = dueAt(later, TestHandlers.Slow.TYPE, "test:gather-next-", 1).get(0);
            a.wake();
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> gathering(draining[0]) || outbox.find(next).orElseThrow().claims() > 0);
            assertEquals(0, outbox.find(next).orElseThrow().claims(), "three workers free of eight: not looked for yet");
            assertEquals(1, looks.get());
            TestHandlers.Slow.gate.countDown();
            assertTrue(drained.get(15, java.util.concurrent.TimeUnit.SECONDS) >= 6);
            assertEquals(1, outbox.find(next).orElseThrow().claims(), "taken once the slow rows finished");
            for (long id : slow) {
                assertEquals(OutboxStatus.DONE, outbox.find(id).orElseThrow().status());
            }
            assertEquals(OutboxStatus.DONE, outbox.find(next).orElseThrow().status());
        } finally {
            TestHandlers.Slow.gate.countDown();
            thread.shutdown();
            a.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void aMailIsMarkedDoneAsSoonAsItWentNotAtTheDrainsNextTurn() throws Exception {
        // a mail server cannot be asked after a crash whether a mail went: the longer a sent mail stays unmarked, the
        // likelier a SIGKILL makes another replica send it again (the fault suite resent 1-4 acknowledgements of 500
        // with the marks batched); the other rows wait for the drain's next turn, held here by slow rows
        Clock ahead = Clock.offset(clock, Duration.ofDays(1));
        OutboxConfig slowPoll = slowPoll(config.workers());
        OffsetDateTime later = OffsetDateTime.now(clock).plusHours(12);
        List<Long> ids = new ArrayList<>(dueAt(later, TestHandlers.Slow.TYPE, "test:marked-at-once-", 5));
        ids.addAll(dueAt(later, TestHandlers.Recording.TYPE, "test:marked-later-", 1));
        ids.addAll(dueAt(later, TestHandlers.CustomerMail.TYPE, "test:marked-at-once-mail-", 1));
        long quick = ids.get(5);
        long mail = ids.get(6);
        TestHandlers.Slow.gate = new CountDownLatch(1);
        OutboxRelay a = new OutboxRelay(outbox, routes, slowPoll, ahead, "replica-marked-at-once",
                new SimpleMeterRegistry());
        a.gatherFor(Duration.ofMinutes(1));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> drained = thread.submit(a::drain);
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> TestHandlers.CustomerMail.SENT_AT.containsKey(mail)
                            && TestHandlers.Recording.HANDLED.containsKey(quick));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> outbox.find(mail).orElseThrow().status() == OutboxStatus.DONE);
            assertEquals(OutboxStatus.PENDING, outbox.find(quick).orElseThrow().status(),
                    "the other row performed meanwhile waits for the drain's next turn");
            TestHandlers.Slow.gate.countDown();
            assertEquals(7, drained.get(15, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            TestHandlers.Slow.gate.countDown();
            thread.shutdown();
            a.stop(Duration.ofSeconds(1));
        }
        for (Long id : ids) {
            assertEquals(OutboxStatus.DONE, outbox.find(id).orElseThrow().status());
        }
    }

    /** The settings, with a poll of a minute, a lease of ten minutes and {@code workers} workers. */
    private OutboxConfig slowPoll(int workers) {
        return (OutboxConfig) java.lang.reflect.Proxy.newProxyInstance(OutboxConfig.class.getClassLoader(),
                new Class<?>[] { OutboxConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "pollIntervalMs" -> 60_000L;
                    case "lease" -> Duration.ofMinutes(10);
                    case "workers" -> workers;
                    default -> method.invoke(config, args);
                });
    }

    /** An outbox that counts the relay's looks. */
    private Outbox countingLooks(AtomicInteger looks) {
        return new Outbox(ds, new com.fasterxml.jackson.databind.ObjectMapper()) {
            @Override
            public List<OutboxRow> claimDue(String node, OffsetDateTime now, OffsetDateTime until, int limit,
                    int othersLimit, java.util.Collection<Long> exclude) {
                looks.incrementAndGet();
                return super.claimDue(node, now, until, limit, othersLimit, exclude);
            }
        };
    }

    /** {@code n} rows of {@code type}, each in a lane of its own, due at {@code at} (for a relay that far ahead). */
    private List<Long> dueAt(OffsetDateTime at, String type, String lanePrefix, int n) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Long> created = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long id = outbox.enqueue(type, lanePrefix + i, null, Map.of(), at);
                Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", at, id);
                created.add(id);
            }
            return created;
        });
    }

    /** The drain's thread waits, in {@code gather}, for more of its workers to be free. */
    private static boolean gathering(Thread t) {
        if (t == null || t.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getMethodName().equals("gather")) {
                return true;
            }
        }
        return false;
    }

    /** The drain's thread waits for a row to finish or a wake (in its semaphore), not in a look. */
    private static boolean waiting(Thread t) {
        if (t == null || t.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(java.util.concurrent.Semaphore.class.getName())
                    && e.getMethodName().equals("tryAcquire")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void twoRelaysOnOneDatabaseNeverHandleARowTwiceAndKeepEachLaneInOrder() throws Exception {
        TestHandlers.Recording.HANDLED.clear();
        TestHandlers.Recording.BY_LANE.clear();
        int rows = 300;
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> {
            List<Long> created = new ArrayList<>();
            OffsetDateTime now = OffsetDateTime.now(clock);
            for (int i = 0; i < rows; i++) {
                created.add(outbox.enqueue(TestHandlers.Recording.TYPE, "test:lane-" + (i % 30), null,
                        Map.of("i", i), now));
            }
            return created;
        });
        Map<String, AtomicInteger> byNode = new ConcurrentHashMap<>();
        List<OutboxRelay> relays = List.of(
                new OutboxRelay(outbox, routes, config, clock, "replica-a", new SimpleMeterRegistry()),
                new OutboxRelay(outbox, routes, config, clock, "replica-b", new SimpleMeterRegistry()));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> runs = new ArrayList<>();
        for (OutboxRelay r : relays) {
            runs.add(pool.submit(() -> {
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline
                        && Db.count(ds, "SELECT count(*) FROM outbox WHERE type = ? AND status <> 'DONE'",
                                TestHandlers.Recording.TYPE) > 0) {
                    int n = r.drain();
                    byNode.computeIfAbsent(r.node(), k -> new AtomicInteger()).addAndGet(n);
                }
            }));
        }
        for (Future<?> f : runs) {
            f.get();
        }
        pool.shutdown();
        relays.forEach(r -> r.stop(Duration.ofSeconds(1)));

        // this test's rows only: an earlier test of the same run (OutboxDisciplineTest) leaves one of this type done
        assertEquals(rows, Db.count(ds, "SELECT count(*) FROM outbox WHERE type = ? AND status = 'DONE' AND id >= ?",
                TestHandlers.Recording.TYPE, ids.get(0)));
        for (Long id : ids) {
            assertEquals(1, TestHandlers.Recording.HANDLED.get(id).get(), "row " + id + " handled more than once");
        }
        TestHandlers.Recording.BY_LANE.forEach((lane, handled) -> {
            List<Long> sorted = new ArrayList<>(handled);
            sorted.sort(Long::compare);
            assertEquals(sorted, handled, "lane " + lane + " out of order");
        });
        assertTrue(byNode.values().stream().mapToInt(AtomicInteger::get).sum() > 0);
    }
}
