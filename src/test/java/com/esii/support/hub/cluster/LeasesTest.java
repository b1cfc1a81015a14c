package com.esii.support.hub.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.email.Mailbox;
import com.esii.support.hub.testing.HubTestResources;

import io.quarkus.test.junit.QuarkusTest;

/** The leader lease on a real PostgreSQL: one leader per name, renewal, takeover after expiry, hand-back. */
@QuarkusTest
class LeasesTest extends HubTestResources {

    @Inject
    DataSource ds;
    @Inject
    Leases leases;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    static ClusterConfig lease(Duration d) {
        return new ClusterConfig() {
            @Override
            public Duration leaderLease() {
                return d;
            }

            @Override
            public Duration drainTimeout() {
                return Duration.ofSeconds(1);
            }
        };
    }

    @Test
    void oneLeaderPerNameAtATimeAndTakeoverOnlyAfterExpiry() {
        ManualClock clock = new ManualClock();
        Leases a = new Leases(ds, lease(Duration.ofSeconds(15)), clock, "replica-a");
        Leases b = new Leases(ds, lease(Duration.ofSeconds(15)), clock, "replica-b");
        String job = "test-job-1";

        assertTrue(a.isLeader(job));
        assertFalse(b.isLeader(job));
        assertEquals(Optional.of("replica-a"), a.leader(job));
        // A renews (a third of the lease has passed) and stays the leader; B keeps standing by.
        clock.advance(Duration.ofSeconds(6));
        assertTrue(a.isLeader(job));
        clock.advance(Duration.ofSeconds(10));
        assertFalse(b.isLeader(job), "A renewed 10 s ago with a 15 s lease");
        // A dies (asks no more): once its lease has run out, B takes over, and A, back, is refused.
        clock.advance(Duration.ofSeconds(6));
        assertTrue(b.isLeader(job));
        assertFalse(a.isLeader(job));
        assertFalse(a.holds(job));
        assertEquals(Optional.of("replica-b"), a.leader(job));
        // Leases are by name: another job may have another leader.
        assertTrue(a.isLeader("test-job-2"));
        assertFalse(b.isLeader("test-job-2"));
    }

    @Test
    void aStoppingLeaderHandsItsLeasesBackAtOnce() {
        ManualClock clock = new ManualClock();
        Leases a = new Leases(ds, lease(Duration.ofMinutes(10)), clock, "replica-a");
        Leases b = new Leases(ds, lease(Duration.ofMinutes(10)), clock, "replica-b");
        String job = "test-job-3";
        assertTrue(a.isLeader(job));
        assertFalse(b.isLeader(job));
        a.releaseAll();
        assertFalse(a.isLeader(job), "a stopped replica leads nothing");
        assertTrue(b.isLeader(job), "no need to wait ten minutes");
    }

    @Test
    void aLeaseBeingTakenAsTheReplicaStopsIsHandedBackToo() throws Exception {
        // The mail poller's timer may ask for its lease at the very moment the replica stops: the lease it takes then
        // must not outlive the replica (RollingUpdateIT saw a stopped replica keep the mail poller's lease).
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        Thread[] taker = new Thread[1];
        DataSource slow = (DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { DataSource.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && Thread.currentThread() == taker[0]) {
                        entered.countDown();
                        go.await();
                    }
                    return method.invoke(ds, args);
                });
        ManualClock clock = new ManualClock();
        Leases a = new Leases(slow, lease(Duration.ofMinutes(10)), clock, "replica-a");
        Leases b = new Leases(ds, lease(Duration.ofMinutes(10)), clock, "replica-b");
        String job = "test-job-stop-race";
        taker[0] = new Thread(() -> a.isLeader(job));
        taker[0].start();
        assertTrue(entered.await(10, java.util.concurrent.TimeUnit.SECONDS));
        Thread stopping = new Thread(a::releaseAll);
        stopping.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stopping.getState() == Thread.State.BLOCKED
                || stopping.getState() == Thread.State.TERMINATED);
        go.countDown();
        taker[0].join(10_000);
        stopping.join(10_000);
        assertFalse(a.holds(job));
        assertTrue(b.isLeader(job), "the lease taken as the replica stopped was handed back with the others");
    }

    @Test
    void aFenceTrustsTheLeasesLastWriteForAThirdOfTheLeaseThenAsksTheDatabase() {
        // Each mail of a pass is fenced by the poller's lease; a burst asked the database once per mail (issue 29).
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        DataSource counting = (DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { DataSource.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        asked.incrementAndGet();
                    }
                    return method.invoke(ds, args);
                });
        ManualClock clock = new ManualClock();
        Leases a = new Leases(counting, lease(Duration.ofSeconds(15)), clock, "replica-a");
        Leases b = new Leases(ds, lease(Duration.ofSeconds(15)), clock, "replica-b");
        String job = "test-job-fence";
        assertTrue(a.isLeader(job));
        int taken = asked.get();
        for (int i = 0; i < 100; i++) {
            a.fence(job);
        }
        assertEquals(taken, asked.get(), "the lease was written a moment ago: no mail of the burst asks again");
        clock.advance(Duration.ofSeconds(6));
        a.fence(job);
        assertEquals(taken + 1, asked.get(), "a third of the lease later, the fence asks the database");
        a.fence(job);
        assertEquals(taken + 1, asked.get(), "and its write (one more lease) stands in turn");
        // A paused past its lease: B takes over; A's next fence asks, fails, and A's work is not committed.
        clock.advance(Duration.ofSeconds(16));
        assertTrue(b.isLeader(job));
        assertThrows(Leases.LeaseLost.class, () -> a.fence(job));
        assertFalse(a.holds(job));
        // A lease handed back is no longer trusted either, however recent its last write.
        String other = "test-job-fence-2";
        assertTrue(a.isLeader(other));
        a.releaseAll();
        assertThrows(Leases.LeaseLost.class, () -> a.fence(other));
    }

    @Test
    void manyReplicasRacingForAFreshLeaseElectExactlyOne() throws Exception {
        Clock clock = Clock.systemUTC();
        String job = "test-job-race";
        List<Leases> replicas = List.of(new Leases(ds, lease(Duration.ofMinutes(1)), clock, "r1"),
                new Leases(ds, lease(Duration.ofMinutes(1)), clock, "r2"),
                new Leases(ds, lease(Duration.ofMinutes(1)), clock, "r3"),
                new Leases(ds, lease(Duration.ofMinutes(1)), clock, "r4"));
        ExecutorService pool = Executors.newFixedThreadPool(replicas.size());
        try {
            List<Future<Boolean>> answers = pool.invokeAll(replicas.stream()
                    .map(l -> (java.util.concurrent.Callable<Boolean>) () -> l.isLeader(job)).toList());
            long leaders = 0;
            for (Future<Boolean> f : answers) {
                leaders += f.get() ? 1 : 0;
            }
            assertEquals(1, leaders);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void thisReplicaLeadsTheMailPollerAndSaysSoInItsHealth() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leases.holds(Mailbox.LEADER_LEASE));
        assertEquals(Optional.of(leases.owner()), leases.leader(Mailbox.LEADER_LEASE));
        io.restassured.RestAssured.given().when().get("/q/health/group/mail").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("\"role\": \"leader\""));
    }
}
