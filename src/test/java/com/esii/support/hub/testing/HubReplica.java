package com.esii.support.hub.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One replica of the packaged production application ({@code target/quarkus-app/quarkus-run.jar}, built by
 * {@code package}) run as a process of its own, as Kubernetes runs a pod: a name (its {@code HOSTNAME}, which its
 * outbox claims and leader leases carry) and an HTTP port kept across restarts, and its current process, each
 * generation logging to a file of its own under {@code target/it-logs}. The system tests ({@code TwoReplicasIT},
 * {@code FaultSuiteIT}, {@code RollingUpdateIT}) run replicas on the settings of {@link ReplicaSystems}.
 */
public final class HubReplica {

    public static final Path APP = Path.of("target/quarkus-app/quarkus-run.jar");
    public static final Path LOGS = Path.of("target/it-logs");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final String logPrefix;
    private volatile Process process;
    /** Of the last process launched: the first launch is generation 1. */
    private volatile int generation;
    private volatile Path log;

    /** A replica on a free port; its logs are {@code <logPrefix><name>-<generation>.log}. */
    public HubReplica(String name, String logPrefix) {
        this.name = name;
        this.port = FreePorts.next();
        this.logPrefix = logPrefix;
    }

    /**
     * Starts a new process of this replica with {@code settings} (environment variables), its name as
     * {@code HOSTNAME}, its port, and its own address as {@code HUB_PUBLIC_URL} unless the settings give one.
     */
    public Process launch(Map<String, String> settings) throws IOException {
        if (!Files.exists(APP)) {
            throw new IllegalStateException("run in the verify phase, after package: " + APP);
        }
        Files.createDirectories(LOGS);
        Map<String, String> env = new HashMap<>(settings);
        env.put("HOSTNAME", name);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.putIfAbsent("HUB_PUBLIC_URL", url(""));
        int next = generation + 1;
        Path file = LOGS.resolve(logPrefix + name + "-" + next + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                APP.toAbsolutePath().toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.to(file.toFile()));
        Process started = pb.start();
        log = file;
        generation = next;
        process = started;
        return started;
    }

    /**
     * The same replica's next generation on a port of its own, to be started while this one still runs: a
     * Deployment's rolling update starts the new pod (a new address) before it stops the old one.
     */
    public HubReplica successor() {
        HubReplica next = new HubReplica(name, logPrefix);
        next.generation = generation;
        return next;
    }

    public String name() {
        return name;
    }

    /** Its name and generation, e.g. {@code hub-a#3}. */
    public String id() {
        return name + "#" + generation;
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The current process (null before the first launch). */
    public Process process() {
        return process;
    }

    public int generation() {
        return generation;
    }

    /** The current generation's log. */
    public Path log() {
        return log;
    }

    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /**
     * How the current process names itself in the database, up to its random part: {@code host:pid:} (see
     * {@code cluster/ClusterNode}); {@code LIKE node() || '%'} finds its claims and leases.
     */
    public String node() {
        return name + ":" + process.pid() + ":";
    }

    /** Its readiness endpoint answers 200 (within 2 s). */
    public boolean ready() {
        if (!alive()) {
            return false;
        }
        try {
            return get("/q/health/ready", Duration.ofSeconds(2)).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until it is ready; fails at once when its process has exited (its log says why). */
    public void awaitReady(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (!alive()) {
                throw new AssertionError(name + " exited; see " + log);
            }
            if (ready()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " not ready within " + limit + "; see " + log);
    }

    public HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, as Kubernetes stops a pod; true when the process exited by itself within {@code limit}. */
    public boolean stop(Duration limit) throws InterruptedException {
        Process p = process;
        p.destroy();
        return p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * {@link #stop(Duration)}, and if the process is still there after {@code slow}, its threads are dumped into its
     * log (SIGQUIT), to see what a slow stop waits for.
     */
    public boolean stop(Duration limit, Duration slow) throws InterruptedException {
        Process p = process;
        p.destroy();
        if (p.waitFor(slow.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        try {
            new ProcessBuilder("kill", "-QUIT", String.valueOf(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no thread dump: the stop is still measured
        }
        return p.waitFor(limit.minus(slow).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL: no shutdown hook, claims and leases left behind. */
    public void kill() throws InterruptedException {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
