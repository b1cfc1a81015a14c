package com.esii.support.hub.email;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.cluster.ClusterConfig;
import com.esii.support.hub.cluster.Leases;
import com.esii.support.hub.mailkit.MailConfig;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.GreenMailResource;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Push, not poll: the mailbox's leader waits with IMAP IDLE. In the tests the poll interval and the re-sync are an
 * hour (GreenMailResource), so a mail read within the test was announced by the server during IDLE.
 */
@QuarkusTest
class MailboxIdleTest extends HubTestResources {

    @Inject
    com.esii.support.hub.mailkit.MailLogin login;
    @Inject
    MailboxWatch hubWatch;
    @Inject
    MailConfig config;
    @Inject
    MailStore store;
    @Inject
    Clock clock;
    @Inject
    ClusterConfig cluster;
    @Inject
    DataSource ds;
    @Inject
    CamelContext camel;

    @Test
    void aMailDeliveredWhileTheHubIdlesIsReadAtOnceNotAtThePollInterval() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(hubWatch::isIdling);
        assertEquals(Duration.ofHours(1).toMillis(), config.imap().pollIntervalMs());
        given().when().get("/q/health/group/mail").then().statusCode(200).body(containsString("idle"));

        String customer = Samples.unique("idle");
        MimeMessage m = MailClient.send(MailClient.message(customer, "Pushed", "The server announced this one."));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "NEW_TICKET".equals(
                Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", m.getMessageID())));
        Mailboxes.await(customer, 1);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> MailClient.seen(m.getMessageID()));
        // and it idles again
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(hubWatch::isIdling);
    }

    @Test
    void anotherReplicaTakingTheLeaseEndsTheIdleAndTheMailWaitsForTheNewLeader() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(hubWatch::isIdling);
        // Another replica holds the lease now (as after this one paused longer than its lease).
        Db.update(ds, "UPDATE leader_lease SET owner = 'another-replica', expires_at = now() + interval '10 minutes'"
                + " WHERE name = ?", Mailbox.LEADER_LEASE);
        String customer = Samples.unique("lease-lost");
        MimeMessage m;
        try {
            // At its next renewal (a third of the lease) this replica finds it lost: the IDLE ends, the connection closes.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !hubWatch.isIdling()
                    && "none".equals(hubWatch.mode()));
            m = MailClient.send(MailClient.message(customer, "While another leads", "Who reads this?"));
            Thread.sleep(1500); // the standby reads nothing
            assertEquals(0, Db.count(ds, "SELECT count(*) FROM mail_receipt WHERE message_id = ?", m.getMessageID()));
            assertFalse(hubWatch.isIdling());
        } finally {
            // The other replica stops and hands the lease back: this one takes over and reads what waited.
            Db.update(ds, "UPDATE leader_lease SET expires_at = TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00'"
                    + " WHERE name = ? AND owner = 'another-replica'", Mailbox.LEADER_LEASE);
        }
        String id = m.getMessageID();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "NEW_TICKET".equals(
                Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", id)));
        Mailboxes.await(customer, 1);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(hubWatch::isIdling);
    }

    /**
     * A mail that arrives after a pass's last command and before its IDLE is announced by the server with the IDLE's
     * own start (GreenMail: an untagged EXISTS before the "+ idling"). It was news the hub noticed but slept on until
     * the IDLE ended at the lease's renewal (30 s in the suite: MailBurstOrderTest, issue 28); it is read at once.
     */
    @Test
    void aMailAnnouncedAsTheIdleBeginsIsReadAtOnce() throws Exception {
        String folder = "Announced" + System.nanoTime();
        append(folder, null);
        try (com.esii.support.hub.testing.CuttingRelay relay = new com.esii.support.hub.testing.CuttingRelay(
                com.esii.support.hub.testing.GreenMailResource.mail().getImap().getPort())) {
            MimeMessage m = MailClient.message(Samples.unique("announced"), "Between two commands",
                    "Announced with the IDLE.");
            java.util.concurrent.atomic.AtomicLong appendedAt = new java.util.concurrent.atomic.AtomicLong();
            relay.beforeNextCommand("IDLE", () -> {
                try {
                    append(folder, m);
                    appendedAt.set(System.nanoTime());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            watchingThrough(folder, relay, () -> {
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> appendedAt.get() != 0);
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "NEW_TICKET".equals(Db.string(ds,
                        "SELECT verdict FROM mail_receipt WHERE message_id = ?", m.getMessageID())));
            });
        }
    }

    /**
     * A mail that arrives while a pass fetches another, and whose announcement the server loses (GreenMail does when
     * the mail is added as it reports the mailbox's size: the last mail of MailBurstOrderTest's burst waited 30 s in
     * the suite, issue 28), is read by the pass that follows a pass that took mail, not at the re-sync.
     */
    @Test
    void aMailWhoseAnnouncementIsLostDuringAPassIsReadByTheNextOne() throws Exception {
        String folder = "Unannounced" + System.nanoTime();
        append(folder, null);
        try (com.esii.support.hub.testing.CuttingRelay relay = new com.esii.support.hub.testing.CuttingRelay(
                com.esii.support.hub.testing.GreenMailResource.mail().getImap().getPort())) {
            MimeMessage first = MailClient.message(Samples.unique("fetched"), "Fetched", "The pass fetches this one.");
            MimeMessage second = MailClient.message(Samples.unique("unannounced"), "Unannounced", "Never announced.");
            append(folder, first);
            // as the pass fetches the first mail, the second arrives, and the server's EXISTS for it is lost
            relay.beforeNextCommand("FETCH", () -> {
                try {
                    relay.dropNextExists();
                    append(folder, second);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            watchingThrough(folder, relay, () -> {
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "NEW_TICKET".equals(Db.string(ds,
                        "SELECT verdict FROM mail_receipt WHERE message_id = ?", first.getMessageID())));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "NEW_TICKET".equals(Db.string(ds,
                        "SELECT verdict FROM mail_receipt WHERE message_id = ?", second.getMessageID())));
                assertEquals(1, relay.droppedAnnouncements(), "the server's announcement was lost");
            });
        }
    }

    /** What a test checks while the mailbox is watched. */
    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    /**
     * Runs {@code check} while a mailbox of its own watches {@code folder} through {@code relay}, with an hour between
     * lease renewals and re-syncs: only what the server announces, or the mailbox's own next pass, reads a mail.
     */
    private void watchingThrough(String folder, com.esii.support.hub.testing.CuttingRelay relay,
            Check check) throws Exception {
        MailConfig through = MailboxStartPointTest.with(config, Map.of("folder", folder, "port", relay.port()));
        Mailbox mailbox = new Mailbox(through, store, clock, new OwnLease(ds, cluster, clock, Duration.ofHours(1)),
                login);
        try (TestMailbox box = TestMailbox.watching(camel, mailbox)) {
            check.run();
        }
    }

    @Test
    void withIdleOffTheMailboxIsPolled() throws Exception {
        String folder = "Polled" + System.nanoTime();
        Mailbox mailbox = new Mailbox(MailboxStartPointTest.with(config, Map.of("folder", folder,
                "idle", false, "pollIntervalMs", 300L)), store, clock, new OwnLease(ds, cluster, clock,
                        Duration.ofSeconds(5)), login);
        append(folder, null);
        AtomicBoolean idled = new AtomicBoolean();
        try (TestMailbox box = TestMailbox.watching(camel, mailbox)) {
            MailboxWatch watch = box.watch();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "poll".equals(watch.mode()));
            String customer = Samples.unique("polled");
            MimeMessage m = MailClient.message(customer, "Polled", "Read at the next poll.");
            append(folder, m);
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                idled.compareAndSet(false, watch.isIdling());
                return "NEW_TICKET".equals(Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?",
                        m.getMessageID()));
            });
            assertFalse(idled.get(), "never in IDLE");
        }
    }

    @Test
    void theIdleEndsAtOnceWhenTheLeaseIsHandedBackAndWhenTheHubStops() throws Exception {
        String folder = "Idle" + System.nanoTime();
        // An hour between renewals, re-syncs and polls: only the hand-back or the stop can end these IDLEs.
        MailConfig slow = MailboxStartPointTest.with(config, Map.of("folder", folder));
        OwnLease lease = new OwnLease(ds, cluster, clock, Duration.ofHours(1));
        Mailbox mailbox = new Mailbox(slow, store, clock, lease, login);
        append(folder, null);
        try (TestMailbox box = TestMailbox.watching(camel, mailbox)) {
            MailboxWatch watch = box.watch();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(watch::isIdling);
            lease.release(Mailbox.LEADER_LEASE);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !watch.isIdling());
            // it takes the lease again at once (nobody else wants it) and idles again
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(watch::isIdling);
            String customer = Samples.unique("own-folder");
            MimeMessage m = MailClient.message(customer, "In its folder", "Announced during IDLE.");
            append(folder, m);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "NEW_TICKET".equals(
                    Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", m.getMessageID())));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(watch::isIdling);

            watch.stop(null);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !box.watchBusy()); // the turn ended with the stop
            assertFalse(watch.isIdling());
        }
    }

    @Test
    void aMailOverTheSizeCapIsStreamedToTheRawStoreKeptWholeAndAnswered() throws Exception {
        double spooledBefore = spooled();
        String customer = Samples.unique("streamed");
        // 3 MB of text: over the tests' 2 MB cap, so it goes through a temporary file, never whole in memory.
        MimeMessage m = MailClient.message(customer, "Very long log", "log line\r\n".repeat(300_000));
        m.saveChanges();
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        m.writeTo(raw);
        MailClient.append(raw.toByteArray());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "TOO_LARGE".equals(
                Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", m.getMessageID())));
        assertEquals(com.esii.support.hub.util.Hashes.sha256Hex(raw.toByteArray()), Db.string(ds,
                "SELECT c.sha256 FROM mail_receipt r JOIN raw_content c ON c.id = r.raw_id WHERE r.message_id = ?",
                m.getMessageID()), "the raw store holds the mail byte for byte");
        assertEquals(raw.size(), Db.count(ds, "SELECT octet_length(c.content) FROM mail_receipt r JOIN raw_content c"
                + " ON c.id = r.raw_id WHERE r.message_id = ?", m.getMessageID()));
        assertTrue(spooled() > spooledBefore, "streamed through the spool");
        MimeMessage notice = Mailboxes.await(customer, 1).get(0);
        assertTrue(notice.getSubject().contains("Very long log"), notice.getSubject());
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", customer));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> MailClient.seen(m.getMessageID()));
    }

    /**
     * The mail channel opens once the language detector is warm (issue 25): until then the watch turns its ticks away
     * without taking the mailbox's lease, so that the first mail after a start is not the one that builds it.
     */
    @Test
    void noMailIsReadBeforeTheLanguageDetectorIsWarm() throws Exception {
        String folder = "Cold" + System.nanoTime();
        Mailbox mailbox = new Mailbox(MailboxStartPointTest.with(config, Map.of("folder", folder,
                "idle", false, "pollIntervalMs", 300L)), store, clock, new OwnLease(ds, cluster, clock,
                        Duration.ofSeconds(5)), login);
        String customer = Samples.unique("cold");
        MimeMessage m = MailClient.message(customer, "Before the start", "Delivered while the hub starts.");
        append(folder, m);
        AtomicBoolean warm = new AtomicBoolean();
        AtomicInteger asked = new AtomicInteger();
        try (TestMailbox box = TestMailbox.watching(camel, mailbox, () -> {
            asked.incrementAndGet();
            return warm.get();
        })) {
            // three ticks of the watch turned away (or the mail read, which is the failure)
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> asked.get() >= 3
                    || Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", m.getMessageID()) != null);
            assertEquals(null, Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?",
                    m.getMessageID()), "no mail read while the detector is cold");
            assertFalse(mailbox.holdsLease(), "nor the mailbox's lease taken");
            warm.set(true);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "NEW_TICKET".equals(Db.string(ds,
                    "SELECT verdict FROM mail_receipt WHERE message_id = ?", m.getMessageID())));
        }
    }

    private static double spooled() {
        var c = io.micrometer.core.instrument.Metrics.globalRegistry.find("hub.mail.spooled").counter();
        return c == null ? 0 : c.count();
    }

    /** Puts {@code m} in the folder (created when missing; null: only created). */
    private static void append(String folder, MimeMessage m) throws Exception {
        if (m != null) {
            m.saveChanges();
        }
        try (Store s = Session.getInstance(new java.util.Properties()).getStore("imap")) {
            s.connect("127.0.0.1", GreenMailResource.mail().getImap().getPort(), GreenMailResource.SUPPORT,
                    GreenMailResource.SUPPORT);
            Folder f = s.getFolder(folder);
            if (!f.exists()) {
                f.create(Folder.HOLDS_MESSAGES);
            }
            if (m != null) {
                f.appendMessages(new Message[] { m });
            }
        }
    }

    /**
     * The real leases, on a lease row of this test's own (so that a second mailbox leads its folder beside the hub's
     * support mailbox), renewed every {@code renewal}.
     */
    @jakarta.enterprise.inject.Vetoed
    static final class OwnLease extends Leases {
        private final String suffix = "-test-" + System.nanoTime();
        private final Duration renewal;

        OwnLease(DataSource ds, ClusterConfig cluster, Clock clock, Duration renewal) {
            super(ds, cluster, clock, "test-replica");
            this.renewal = renewal;
        }

        @Override
        public boolean isLeader(String name) {
            return super.isLeader(name + suffix);
        }

        @Override
        public boolean holds(String name) {
            return super.holds(name + suffix);
        }

        @Override
        public void fence(String name) {
            super.fence(name + suffix);
        }

        @Override
        public void release(String name) {
            super.release(name + suffix);
        }

        @Override
        public void whenLost(String name, Runnable action) {
            super.whenLost(name + suffix, action);
        }

        @Override
        public Duration renewalInterval() {
            return renewal;
        }
    }
}
