package com.esii.support.hub.phone;

import com.esii.support.hub.util.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The TCP port Avaya IP Office pushes its SMDR records to (IP Office is the client; it reconnects by itself and
 * buffers up to 3,000 records meanwhile). Each connection is read by its own thread and cut into lines by a
 * {@link SmdrLineSplitter}; each line goes to {@link CallIntake} before the next one is read. Only the addresses of
 * {@code hub.phone.allowed-addresses} may connect, at most {@code hub.phone.max-connections} at once (past them a
 * new connection is refused), and a connection that sends nothing for {@code hub.phone.idle-timeout} is closed;
 * refusals are logged and counted ({@code hub_phone_refused_connections_total{reason}}).
 *
 * <p>Why a plain {@link ServerSocket} and not Camel's {@code netty:tcp?textline=true}: netty's line decoder throws
 * on a line over its limit, and Camel's netty consumer then closes the connection, losing what IP Office had
 * already written behind it; it also drops a line cut by a closed connection without a trace, and would need an
 * extension this build does not otherwise use. Here a runaway line is recorded and skipped, a cut line is recorded,
 * NUL bytes are dropped at the byte level, and, since a line is read only once the one before it is stored, a slow
 * or failing database pushes back on IP Office through TCP (it keeps the records in its buffer) instead of piling
 * them up in memory. A database failure is retried on the same line, with backoff, for as long as it lasts.
 */
@ApplicationScoped
public class SmdrListener {

    private static final Logger LOG = Logger.getLogger(SmdrListener.class);

    private final PhoneConfig config;
    private final Lines intake;
    private final AddressAllowList allowed;
    private final AtomicInteger open = new AtomicInteger();
    private final Deque<Socket> connections = new ConcurrentLinkedDeque<>();
    private final Counter notAllowed;
    private final Counter overCap;
    private volatile boolean running;
    private ServerSocket server;
    private ExecutorService readers;

    /** Where the lines go: {@link CallIntake} (a test gives its own). */
    interface Lines {
        void accept(String line, String peer);

        void reject(String line, String reason, String peer);

        boolean databaseUp();
    }

    @Inject
    public SmdrListener(PhoneConfig config, CallIntake intake, MeterRegistry metrics) {
        this(config, new Lines() {
            @Override
            public void accept(String line, String peer) {
                intake.accept(line, peer);
            }

            @Override
            public void reject(String line, String reason, String peer) {
                intake.reject(line, reason, peer);
            }

            @Override
            public boolean databaseUp() {
                return intake.databaseUp();
            }
        }, metrics);
    }

    SmdrListener(PhoneConfig config, Lines intake, MeterRegistry metrics) {
        this.config = config;
        this.intake = intake;
        // A wrong entry stops the start here, naming it, rather than refusing the phone system later.
        this.allowed = AddressAllowList.parse(config.allowedAddresses());
        metrics.gauge("hub.phone.connections", open);
        this.notAllowed = metrics.counter("hub.phone.refused.connections", "reason", "not-allowed");
        this.overCap = metrics.counter("hub.phone.refused.connections", "reason", "too-many");
    }

    void start(@Observes StartupEvent event) throws IOException {
        if (!config.enabled()) {
            return;
        }
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(config.bindAddress(), config.port()), 16);
        running = true;
        readers = Executors.newCachedThreadPool(DaemonThreads.named("phone-receive"));
        Thread acceptor = new Thread(this::acceptLoop, "phone-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.infof("Listening for SMDR records on %s:%d from %s", config.bindAddress(), server.getLocalPort(), allowed);
    }

    /** The port listened on (the configured one, or the one given for port 0). */
    int port() {
        return server.getLocalPort();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (server == null) {
            return;
        }
        closeQuietly(server);
        connections.forEach(SmdrListener::closeQuietly);
        readers.shutdownNow();
    }

    /** Connections being read now. */
    public int connections() {
        return open.get();
    }

    private void acceptLoop() {
        while (running) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.warnf("SMDR listener: accept failed: %s", e.toString());
                    continue;
                }
                return;
            }
            String peer = peer(s);
            if (!allowed.allows(s.getInetAddress())) {
                notAllowed.increment();
                LOG.warnf("SMDR connection from %s refused: not in hub.phone.allowed-addresses (%s)", peer, allowed);
                closeQuietly(s);
                continue;
            }
            // IP Office holds one connection; a dead one is closed by the idle timeout, so a full house is refused.
            if (connections.size() >= config.maxConnections()) {
                overCap.increment();
                LOG.warnf("SMDR connection from %s refused: %d connections open already (hub.phone.max-connections)",
                        peer, config.maxConnections());
                closeQuietly(s);
                continue;
            }
            connections.addLast(s);
            readers.execute(() -> serve(s));
        }
    }

    private static String peer(Socket s) {
        return String.valueOf(s.getRemoteSocketAddress()).replaceFirst("^/", "");
    }

    private void serve(Socket s) {
        String peer = peer(s);
        open.incrementAndGet();
        LOG.infof("SMDR connection from %s", peer);
        SmdrLineSplitter lines = new SmdrLineSplitter(config.maxLineLength());
        byte[] buf = new byte[16 * 1024];
        String ended = "closed";
        try (s; InputStream in = s.getInputStream()) {
            s.setKeepAlive(true);
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, config.idleTimeout().toMillis())));
            int n;
            try {
                while (running && (n = in.read(buf)) != -1) {
                    for (SmdrLineSplitter.Line line : lines.feed(buf, 0, n)) {
                        take(line, peer);
                    }
                }
            } catch (SocketTimeoutException e) {
                ended = "closed: nothing received for " + config.idleTimeout() + " (hub.phone.idle-timeout)";
            } catch (IOException e) {
                // A reset (the phone system restarted) or a network failure: what was read so far still counts.
                ended = "ended: " + e.getMessage();
            }
            SmdrLineSplitter.Line rest = lines.rest();
            if (running && rest != null) {
                take(new SmdrLineSplitter.Line(rest.text(), true, rest.bytes()), peer,
                        "connection closed in the middle of a line (" + rest.bytes() + " bytes)");
            }
            LOG.infof("SMDR connection from %s %s", peer, ended);
        } catch (IOException e) {
            LOG.warnf("SMDR connection from %s failed: %s", peer, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "SMDR connection from %s: unexpected failure, connection closed", peer);
        } finally {
            connections.remove(s);
            open.decrementAndGet();
        }
    }

    private void take(SmdrLineSplitter.Line line, String peer) throws InterruptedException {
        take(line, peer, line.tooLong()
                ? "line longer than " + config.maxLineLength() + " bytes (" + line.bytes() + " bytes)" : null);
    }

    /** Takes a line ({@code rejection} null) or records it as rejected for that reason; retried while the database fails. */
    private void take(SmdrLineSplitter.Line line, String peer, String rejection) throws InterruptedException {
        long wait = 500;
        for (int attempt = 1; running; attempt++) {
            try {
                if (rejection != null) {
                    intake.reject(line.text(), rejection, peer);
                } else {
                    intake.accept(line.text(), peer);
                }
                return;
            } catch (RuntimeException e) {
                if (attempt >= 3 && intake.databaseUp()) {
                    // The database answers, so this line is what fails: record it and go on with the next.
                    intake.reject(line.text(), "could not be stored: " + e, peer);
                    return;
                }
                // The database failed: keep the line and stop reading (IP Office buffers) until it is back.
                LOG.warnf("SMDR line from %s not stored, retrying in %d ms: %s", peer, wait, e.toString());
                Thread.sleep(wait);
                wait = Math.min(wait * 2, 30_000);
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
