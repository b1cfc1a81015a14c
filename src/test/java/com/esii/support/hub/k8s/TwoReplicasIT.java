package com.esii.support.hub.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.esii.support.hub.testing.SystemTest;
import com.esii.support.hub.testing.HubReplica;
import com.esii.support.hub.testing.ReplicaSystems;
import com.esii.support.hub.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;


/**
 * The packaged production application ({@code target/quarkus-app/quarkus-run.jar}, built by {@code package}) run as
 * separate processes, as Kubernetes runs replicas: two hubs on one PostgreSQL and one mail server. A replica
 * killed with SIGKILL in the middle of a burst loses and duplicates nothing; a replica stopped with SIGTERM with
 * work in flight finishes it or hands it back; one replica at a time reads the mailbox; and no configured secret
 * appears in any log, theirs or the whole test suite's ({@code target/quarkus.log}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SystemTest
class TwoReplicasIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUPPORT = ReplicaSystems.SUPPORT;

    /** PostgreSQL, GreenMail and the secrets given to the hubs (none may ever appear in a log line). */
    private static ReplicaSystems systems;
    private static DataSource db;
    private static GreenMail mail;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<HubReplica> HUBS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        systems = ReplicaSystems.start("hub_replicas");
        db = systems.db();
        mail = systems.mail();
    }

    @AfterAll
    static void stop() throws Exception {
        for (HubReplica h : HUBS) {
            h.kill();
        }
        if (systems != null) {
            systems.close();
        }
    }

    @Test
    @Order(1)
    void theProductionArtifactCarriesNoDemoDependency() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of("target/quarkus-app/lib/main"))) {
            List<String> demo = jars.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("com.icegreen") || n.startsWith("org.wiremock")
                            || n.startsWith("com.h2database") || n.contains("quarkus-jdbc-h2"))
                    .toList();
            assertEquals(List.of(), demo);
        }
        assertFalse(Files.exists(Path.of("target/quarkus-app/app/mocks")));
        String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));
        assertTrue(dockerfile.contains("target/quarkus-app/lib/"), "the image is made of the packaged application");
    }

    @Test
    @Order(2)
    void twoReplicasServeTheDeploymentsProbesAndOneOfThemReadsTheMailbox() throws Exception {
        HubReplica a = launch("hub-a", Map.of("HUB_OUTBOX_LEASE", "3s"));
        HubReplica b = launch("hub-b", Map.of("HUB_OUTBOX_LEASE", "3s"));
        awaitReady(a);
        awaitReady(b);

        JsonNode deployment = YAMLMapper.builder().build().readTree(Path.of("k8s/base/deployment.yaml").toFile());
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            String path = container.at("/" + probe + "/httpGet/path").asText();
            for (HubReplica h : List.of(a, b)) {
                assertEquals(200, get(h, path).statusCode(), probe + " " + path + " on " + h.name());
            }
        }

        // One leader for the mailbox, and a mail to it becomes exactly one ticket.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leader("mail-poller") != null);
        String customer = Samples.unique("replica-mail");
        GreenMailUtil.sendTextEmail(SUPPORT, customer, "Printer down", "Nothing prints since this morning.",
                systems.smtp());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> acks(customer).size() == 1);
        assertEquals(1, count("SELECT count(*) FROM ticket WHERE customer_email = ?", customer));
        // The admin API used with its password and with a wrong one: chances for the password to leak into a log.
        HttpRequest.Builder admin = HttpRequest.newBuilder(URI.create(a.url("/admin/outbox?state=pending")));
        String basic = java.util.Base64.getEncoder().encodeToString(("admin:" + systems.adminPassword).getBytes());
        assertEquals(200, HTTP.send(admin.header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        String wrong = java.util.Base64.getEncoder().encodeToString(("admin:" + systems.adminPassword + "x").getBytes());
        assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create(b.url("/admin/outbox?state=pending")))
                .header("Authorization", "Basic " + wrong).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        String leader = leader("mail-poller");
        String standby = leader.startsWith("hub-a") ? "hub-b" : "hub-a";
        String health = get(hub(standby), "/q/health/group/mail").body();
        assertTrue(health.contains("standby"), health);
    }

    @Test
    @Order(3)
    void aReplicaKilledMidBurstLosesAndDuplicatesNothing() throws Exception {
        HubReplica a = hub("hub-a");
        HubReplica b = hub("hub-b");
        String leaderBefore = leader("mail-poller");
        HubReplica victim = leaderBefore != null && leaderBefore.startsWith("hub-b") ? b : a;
        HubReplica survivor = victim == a ? b : a;

        int tickets = 200;
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < tickets; i++) {
            customers.add(Samples.unique("burst"));
        }
        AtomicInteger sent = new AtomicInteger();
        Map<String, String> numbers = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < tickets; i++) {
            String customer = customers.get(i);
            HubReplica first = i % 2 == 0 ? victim : survivor;
            futures.add(clients.submit(() -> {
                // A client behind the Service: on a failed connection it retries (same Idempotency-Key) on the
                // replica still standing, as the Service would route it.
                numbers.put(customer, create(customer, first, survivor));
                sent.incrementAndGet();
                return null;
            }));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sent.get() >= tickets * 2 / 5);
        victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, claims and lease left behind
        victim.process().waitFor(10, TimeUnit.SECONDS);
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
        assertEquals(tickets, numbers.size());

        // The survivor takes over the victim's claimed rows when their 3 s lease ends, and the mailbox.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> customers.stream().allMatch(c -> !acks(c).isEmpty()));
        // nothing left to perform: a mail sent twice would be in the mailboxes now
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM outbox WHERE status = 'PENDING'") == 0);
        int resent = 0;
        for (String c : customers) {
            assertEquals(1, count("SELECT count(*) FROM ticket WHERE customer_email = ?", c), "one ticket for " + c);
            List<MimeMessage> received = acks(c);
            Set<String> ids = new HashSet<>();
            for (MimeMessage m : received) {
                ids.add(m.getMessageID());
                assertTrue(m.getSubject().contains(numbers.get(c)), m.getSubject());
            }
            // A mail whose sending the kill interrupted before it was recorded is sent again with the same
            // Message-ID (the customer's mail client shows it once); never two different acknowledgements.
            assertEquals(1, ids.size(), "one acknowledgement for " + c);
            if (received.size() > 1) {
                // only a row the victim had claimed and the survivor took over is sent twice
                assertTrue(count("SELECT o.claims FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                        + " WHERE t.customer_email = ? AND o.type = 'mail-ack'", c) >= 2,
                        "resent without a takeover: " + c);
            }
            resent += received.size() - 1;
        }
        System.out.printf("Killed %s mid-burst: %d tickets, each acknowledged once (%d resends of one Message-ID)%n",
                victim.name(), tickets, resent);
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE status <> 'DONE'"));
        // a replica performs at most hub.outbox.workers rows at a time (8 by default): the rows in flight at the kill
        assertTrue(resent <= 8, "at most the rows in flight at the kill are resent: " + resent);

        // The survivor took the mailbox over (if the victim had it) and answers a new mail.
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
            String l = leader("mail-poller");
            return l != null && l.startsWith(survivor.name());
        });
        String late = Samples.unique("after-kill");
        GreenMailUtil.sendTextEmail(SUPPORT, late, "Still down", "And now the scanner too.", systems.smtp());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> acks(late).size() == 1);
    }

    @Test
    @Order(4)
    void aReplicaStoppedWithSigtermFinishesOrHandsBackItsWork() throws Exception {
        // One replica alone, sending through a slow mail server, with a lease far longer than the test: rows it
        // does not finish can only reach another replica if it hands them back.
        for (HubReplica h : List.copyOf(HUBS)) {
            if (h.alive()) {
                assertTrue(h.stop(Duration.ofSeconds(60)), h.name() + " stopped");
            }
        }
        try (SlowProxy slowSmtp = new SlowProxy(systems.smtpPort(), 40)) {
            HubReplica c = launch("hub-c", Map.of("HUB_OUTBOX_LEASE", "10m", "HUB_MAIL_SMTP_PORT",
                    String.valueOf(slowSmtp.port()), "HUB_CLUSTER_DRAIN_TIMEOUT", "5s"));
            awaitReady(c);
            int tickets = 80;
            List<String> customers = new ArrayList<>();
            Map<String, String> numbers = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < tickets; i++) {
                String customer = Samples.unique("sigterm");
                customers.add(customer);
                futures.add(clients.submit(() -> {
                    numbers.put(customer, create(customer, c, c));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
            long pending = count("SELECT count(*) FROM outbox WHERE status = 'PENDING'");
            assertTrue(pending > 10, "work in flight when the replica is stopped: " + pending);

            assertTrue(c.stop(Duration.ofSeconds(45)), "stopped within the grace period"); // SIGTERM
            assertEquals(0, count("SELECT count(*) FROM outbox WHERE status = 'PENDING' AND claimed_by LIKE ?",
                    "hub-c:%"), "no row left claimed by the stopped replica");
            assertEquals(null, leader("mail-poller"), "its leader lease was handed back");
            String log = Files.readString(c.log());
            assertTrue(log.contains("claimed rows handed back"), "the relay stopped through its shutdown path");

            // Another replica performs what was left at once (the lease is 10 minutes).
            HubReplica d = launch("hub-d", Map.of("HUB_OUTBOX_LEASE", "10m"));
            awaitReady(d);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> customers.stream().allMatch(x -> !acks(x).isEmpty()));
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count("SELECT count(*) FROM outbox WHERE status = 'PENDING'") == 0);
            for (String x : customers) {
                assertEquals(1, acks(x).size(), "one acknowledgement for " + x);
            }
            assertEquals(0, count("SELECT count(*) FROM outbox WHERE status <> 'DONE'"));
            assertTrue(d.stop(Duration.ofSeconds(45)));
        }
    }

    @Test
    @Order(5)
    void productionLogsAreJsonWithRouteAndTicketAndNoSecretAnywhere() throws IOException {
        List<Path> scanned = new ArrayList<>();
        boolean routeId = false;
        boolean ticket = false;
        try (Stream<Path> files = Files.list(HubReplica.LOGS)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                scanned.add(p);
                for (String line : Files.readAllLines(p)) {
                    assertNoSecret(p, line, systems.secrets().toArray(String[]::new));
                    if (line.startsWith("{")) { // one JSON object a line (the JVM may print a few plain lines first)
                        JsonNode mdc = JSON.readTree(line).path("mdc");
                        routeId |= mdc.hasNonNull("camel.routeId");
                        ticket |= mdc.hasNonNull("ticket");
                    }
                }
            }
        }
        assertTrue(scanned.size() >= 4, "the replicas' logs: " + scanned);
        assertTrue(routeId, "the route id is on the lines logged in routes");
        assertTrue(ticket, "the ticket number is on the lines about a ticket");

        // The Quarkus tests' own log (target/quarkus.log) is scanned once they have all ended: SuiteLogSecretsTest.
    }

    private static void assertNoSecret(Path file, String line, String... secrets) {
        for (String s : secrets) {
            assertFalse(line.contains(s), "a secret in " + file + ": " + line);
        }
    }

    // ---- helpers ----

    private static HubReplica launch(String name, Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>(systems.settings());
        env.put("HUB_OUTBOX_BACKOFF_MAX", "1s");
        env.put("HUB_CLUSTER_LEADER_LEASE", "3s");
        env.putAll(extra);
        HubReplica hub = new HubReplica(name, "");
        hub.launch(env);
        HUBS.add(hub);
        return hub;
    }

    private static HubReplica hub(String name) {
        return HUBS.stream().filter(h -> h.name().equals(name) && h.alive()).findFirst().orElseThrow();
    }

    private static void awaitReady(HubReplica hub) throws InterruptedException {
        hub.awaitReady(Duration.ofSeconds(90));
    }

    private static HttpResponse<String> get(HubReplica hub, String path) throws IOException, InterruptedException {
        return hub.get(path, Duration.ofSeconds(5));
    }

    /** Opens a ticket on {@code first}, retrying on {@code fallback} (same Idempotency-Key) when it cannot answer. */
    private static String create(String customer, HubReplica first, HubReplica fallback) throws Exception {
        String body = JSON.writeValueAsString(Samples.ticket(customer));
        String key = UUID.randomUUID().toString();
        HubReplica target = first;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(target.url("/api/tickets")))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .header("Accept-Language", "en").header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201) {
                    return JSON.readTree(r.body()).path("number").asText();
                }
                if (r.statusCode() != 503) {
                    throw new AssertionError("HTTP " + r.statusCode() + " from " + target.name() + ": " + r.body());
                }
            } catch (IOException e) {
                // connection refused or reset: the replica is gone
            }
            target = fallback;
            Thread.sleep(200);
        }
        throw new AssertionError("no replica opened a ticket for " + customer);
    }

    private static List<MimeMessage> acks(String customer) {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            try {
                for (var to : m.getRecipients(Message.RecipientType.TO)) {
                    if (to.toString().contains(customer)) {
                        out.add(m);
                    }
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static String leader(String lease) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT owner FROM leader_lease WHERE name = ? AND expires_at > now()")) {
            ps.setString(1, lease);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return null; // not migrated yet
            }
            throw e;
        }
    }

    private static long count(String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A TCP relay to a local server that delays every chunk the client sends: a slow mail server. */
    static final class SlowProxy implements AutoCloseable {
        private final ServerSocket server;
        private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "slow-proxy");
            t.setDaemon(true);
            return t;
        });

        SlowProxy(int targetPort, long delayMs) throws IOException {
            server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            pool.execute(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket upstream = new Socket("127.0.0.1", targetPort);
                        pool.execute(() -> pump(client, upstream, delayMs));
                        pool.execute(() -> pump(upstream, client, 0));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pump(Socket from, Socket to, long delayMs) {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (delayMs > 0) {
                        Thread.sleep(delayMs);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // a side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closed already
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            pool.shutdownNow();
        }
    }
}
