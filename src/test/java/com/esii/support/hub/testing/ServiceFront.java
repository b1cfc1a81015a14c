package com.esii.support.hub.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A round-robin HTTP front to replicas, as a Kubernetes Service (or an ingress reading its endpoints) is: it sends
 * each request to the next replica that is <em>ready</em> among its endpoints (added and removed as pods come and
 * go), and knows which are by probing their readiness endpoint every {@code period}, the way the kubelet's readiness
 * probe does: a replica leaves the rotation after {@code failureThreshold} probes in a row failed (not 200, no answer
 * within {@code timeout}, refused), and comes back at its first success. It never retries a request elsewhere (a
 * Service does not; a POST is not repeated): a refused or cut connection to the replica is answered 502, no replica
 * ready 503. Each answer names the replica that served it ({@value #SERVED_BY}: its {@link HubReplica#id()});
 * {@link #events()} says when each left and joined the rotation.
 */
public final class ServiceFront implements AutoCloseable {

    public static final String SERVED_BY = "X-Served-By";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "keep-alive",
            "transfer-encoding", "upgrade", "expect", "te", "trailer", "proxy-connection", "date");

    /** When a replica ({@link HubReplica#id()}) left ({@code ready == false}) or joined the rotation. */
    public record Event(String replica, boolean ready, Instant at) {
    }

    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private final Duration period;
    private final Duration timeout;
    private final int failureThreshold;
    private final String probePath;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService probes = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "front-probe");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "front-request");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger next = new AtomicInteger();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    private final class Endpoint {
        final HubReplica replica;
        volatile boolean inRotation;
        int failures;
        final AtomicBoolean probing = new AtomicBoolean();
        volatile ScheduledFuture<?> schedule;

        Endpoint(HubReplica replica) {
            this.replica = replica;
        }

        /** One probe, skipped while the last one is still out (a kubelet does not overlap them either). */
        void probe() {
            if (!probing.compareAndSet(false, true)) {
                return;
            }
            try {
                boolean ok;
                try {
                    ok = http.send(HttpRequest.newBuilder(URI.create(replica.url(probePath))).timeout(timeout).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    ok = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (ok) {
                    failures = 0;
                    if (!inRotation) {
                        inRotation = true;
                        events.add(new Event(replica.id(), true, Instant.now()));
                    }
                } else if (++failures >= failureThreshold && inRotation) {
                    inRotation = false;
                    events.add(new Event(replica.id(), false, Instant.now()));
                }
            } finally {
                probing.set(false);
            }
        }
    }

    public ServiceFront(List<HubReplica> replicas, String probePath, Duration period, Duration timeout,
            int failureThreshold) throws IOException {
        this.period = period;
        this.timeout = timeout;
        this.failureThreshold = failureThreshold;
        this.probePath = probePath;
        replicas.forEach(this::add);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.createContext("/", this::forward);
        server.setExecutor(handlers);
        server.start();
    }

    /** A new endpoint (a pod created): probed from now on, in rotation once ready. */
    public void add(HubReplica replica) {
        Endpoint e = new Endpoint(replica);
        endpoints.add(e);
        e.schedule = probes.scheduleAtFixedRate(e::probe, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An endpoint gone (its pod deleted). */
    public void remove(HubReplica replica) {
        for (Endpoint e : endpoints) {
            if (e.replica == replica) {
                e.schedule.cancel(false);
                endpoints.remove(e);
            }
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Whether the front sends requests to {@code replica} now. */
    public boolean inRotation(HubReplica replica) {
        return endpoints.stream().anyMatch(e -> e.replica == replica && e.inRotation);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The next replica in rotation after the last one picked (every one is looked at once). */
    private Endpoint pick() {
        List<Endpoint> all = List.copyOf(endpoints);
        int start = next.getAndIncrement();
        for (int i = 0; i < all.size(); i++) {
            Endpoint e = all.get(Math.floorMod(start + i, all.size()));
            if (e.inRotation) {
                return e;
            }
        }
        return null;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Endpoint target = pick();
            if (target == null) {
                answer(exchange, 503, "front", "no ready replica");
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.replica.url(
                    exchange.getRequestURI().toString()))).timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                answer(exchange, 502, target.replica.id(), e.toString());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer(exchange, 502, target.replica.id(), "interrupted");
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.getResponseHeaders().set(SERVED_BY, target.replica.id());
            byte[] out = response.body();
            exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String servedBy, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set(SERVED_BY, servedBy);
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
        server.stop(0);
        handlers.shutdownNow();
    }
}
