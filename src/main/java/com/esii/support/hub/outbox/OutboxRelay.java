package com.esii.support.hub.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.esii.support.hub.config.HubConfig;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Performs due outbox rows on this replica. Every replica runs one; the lease-based claim in {@link Outbox}
 * guarantees a row is handled by one of them at a time, and lanes keep one ticket's effects in order.
 *
 * <p>{@link #drain()} is called by the sweep route (the backstop) and by {@link #wake()} right after an intake
 * commits, which is what makes the acknowledgement leave within a second.
 *
 * <p>A row is performed by its integration's route ({@link OutboxRoutes}: {@code direct:outbox-<type>}) when there
 * is one, else by the {@link OutboxHandler} bean of its type. Either way the relay alone decides what follows: the
 * routes neither retry nor catch ({@code outbox-step} in {@code routes/outbox.yaml}).
 *
 * <p>The discipline every side effect follows: a claimed row counts as attempted; a {@link PermanentFailure} makes it
 * dead at once (and its lane waits for an operator); a {@link TargetUnavailable} is retried for as long as the
 * target is away (never dead, but reported by {@code OutboxAlerts} once it lasts); any other failure is retried with
 * backoff until {@code hub.outbox.max-attempts}. {@code clock} is the database's in production
 * ({@code cluster.DatabaseClock}), so that claims and retry times mean the same on every replica.
 */
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final Map<String, OutboxHandler> handlers;
    private final OutboxRoutes routes;
    private final HubConfig.Outbox config;
    private final Clock clock;
    private final String node;
    private final MeterRegistry metrics;
    private final Backoff backoff;
    private final ExecutorService workers;
    private final ExecutorService waker;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger handedBack = new AtomicInteger();
    private volatile boolean stopping;

    public OutboxRelay(Outbox outbox, Map<String, OutboxHandler> handlers, HubConfig.Outbox config, Clock clock,
            String node, MeterRegistry metrics) {
        this(outbox, handlers, null, config, clock, node, metrics);
    }

    /** @param routes the integrations' routes; a row whose type has one goes there rather than to a handler bean */
    public OutboxRelay(Outbox outbox, Map<String, OutboxHandler> handlers, OutboxRoutes routes, HubConfig.Outbox config,
            Clock clock, String node, MeterRegistry metrics) {
        this.outbox = outbox;
        this.handlers = Map.copyOf(handlers);
        this.routes = routes;
        this.config = config;
        this.clock = clock;
        this.node = node;
        this.metrics = metrics;
        this.backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        this.workers = Executors.newFixedThreadPool(Math.max(1, config.workers()),
                com.esii.support.hub.util.DaemonThreads.numbered("outbox-worker"));
        this.waker = Executors.newSingleThreadExecutor(com.esii.support.hub.util.DaemonThreads.named("outbox-waker"));
    }

    public String node() {
        return node;
    }

    /** Asks for a drain soon, without blocking the caller; wakes arriving meanwhile are coalesced. */
    public void wake() {
        if (stopping) {
            return;
        }
        if (wakePending.compareAndSet(false, true)) {
            waker.execute(() -> {
                wakePending.set(false);
                drain();
            });
        }
    }

    /** Performs due rows until none is left. Returns the number of rows handled by this call. */
    public int drain() {
        int total = 0;
        do {
            if (!running.compareAndSet(false, true)) {
                again.set(true);
                return total;
            }
            try {
                again.set(false);
                int n;
                do {
                    n = sweepOnce();
                    total += n;
                } while (n > 0 && !stopping);
            } catch (RuntimeException e) {
                // The database may be restarting: the next sweep tries again.
                LOG.warnf("Outbox sweep failed on %s: %s", node, e.getMessage());
            } finally {
                running.set(false);
            }
        } while (again.get() && !stopping);
        return total;
    }

    /** Claims one batch of due rows and performs them. Returns how many rows it claimed. */
    int sweepOnce() {
        OffsetDateTime now = OffsetDateTime.now(clock); // one reading of the database's clock per sweep
        List<Long> ids = outbox.due(now, config.batchSize());
        List<OutboxRow> claimed = new ArrayList<>();
        OffsetDateTime until = now.plus(config.lease());
        for (Long id : ids) {
            if (stopping) {
                break;
            }
            if (outbox.claim(id, node, now, until)) {
                outbox.find(id).ifPresent(claimed::add);
            }
        }
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Future<?>> futures = new ArrayList<>(claimed.size());
        for (OutboxRow row : claimed) {
            try {
                futures.add(workers.submit(() -> perform(row)));
            } catch (RejectedExecutionException e) {
                handBack(row); // the replica is stopping
            }
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                LOG.errorf(e, "Outbox worker failed");
            }
        }
        return claimed.size();
    }

    void perform(OutboxRow row) {
        if (stopping) {
            handBack(row);
            return;
        }
        inFlight.incrementAndGet();
        tag(row);
        try {
            if (routes != null && routes.has(row.type())) {
                routes.perform(row); // the integration's route, direct:outbox-<type>
            } else {
                OutboxHandler handler = handlers.get(row.type());
                if (handler == null) {
                    // A newer replica may know this type (rolling upgrade): retry rather than give up.
                    failed(row, new IllegalStateException("No handler for outbox type " + row.type()), null);
                    return;
                }
                handler.handle(row);
            }
            tag(row); // a handler may have cleared the MDC
            if (outbox.done(row, node, OffsetDateTime.now(clock))) {
                count(row, "done");
            } else {
                LOG.warnf("Outbox row %d was done but its claim had been lost (lease %s too short?)", row.id(),
                        config.lease());
            }
        } catch (PermanentFailure e) {
            tag(row);
            LOG.errorf("Outbox row %d (%s) failed permanently: %s", row.id(), row.type(), e.getMessage());
            if (outbox.dead(row.id(), node, OffsetDateTime.now(clock), e.getMessage())) {
                count(row, "dead");
            }
        } catch (RetryLater e) {
            tag(row);
            Duration wait = e.after().compareTo(config.retryAfterMax()) > 0 ? config.retryAfterMax() : e.after();
            failed(row, e, wait);
        } catch (TargetUnavailable e) {
            Duration wait = e.after() == null || e.after().compareTo(config.retryAfterMax()) > 0 ? null : e.after();
            failed(row, e, wait);
        } catch (Exception e) {
            tag(row);
            failed(row, e, null);
        } finally {
            inFlight.decrementAndGet();
            MDC.remove("outbox.id");
            MDC.remove("outbox.type");
            MDC.remove("ticket");
        }
    }

    /** The row, its type and its ticket in the MDC, so that every line logged about it says so. */
    private static void tag(OutboxRow row) {
        MDC.put("outbox.id", String.valueOf(row.id()));
        MDC.put("outbox.type", row.type());
        String ticket = ticketOf(row.lane());
        if (ticket != null) {
            MDC.put("ticket", ticket);
        }
    }

    /** A claimed row this stopping replica will not perform: free for another replica at once. */
    private void handBack(OutboxRow row) {
        try {
            if (outbox.release(row.id(), node)) {
                handedBack.incrementAndGet();
            }
        } catch (RuntimeException e) {
            // The database is away: the lease ends by itself and another replica takes the row over then.
            LOG.warnf("Could not hand outbox row %d back: %s", row.id(), e.getMessage());
        }
    }

    /** The ticket number in a lane such as {@code mail:SUP-2026-000123}, for the logs. */
    static String ticketOf(String lane) {
        if (lane == null) {
            return null;
        }
        String last = lane.substring(lane.lastIndexOf(':') + 1);
        return last.matches("[A-Za-z0-9]+-\\d{4}-\\d{6}") ? last : null;
    }

    private void failed(OutboxRow row, Exception e, Duration wait) {
        int attempt = row.attempts(); // the claim counted it
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (attempt >= config.maxAttempts() && !(e instanceof TargetUnavailable)) {
            LOG.errorf("Outbox row %d (%s) is dead after %d attempts: %s", row.id(), row.type(), attempt, error);
            if (outbox.dead(row.id(), node, now, error)) {
                count(row, "dead");
            }
            return;
        }
        Duration delay = wait != null ? wait : backoff.delay(attempt, ThreadLocalRandom.current()::nextDouble);
        LOG.warnf("Outbox row %d (%s) attempt %d failed, next in %d ms: %s", row.id(), row.type(), attempt,
                delay.toMillis(), error);
        if (outbox.retry(row.id(), node, now.plus(delay), error, now)) {
            count(row, "retry");
        }
    }

    private void count(OutboxRow row, String outcome) {
        if (metrics != null) {
            metrics.counter("hub.outbox.processed", "type", row.type(), "outcome", outcome).increment();
        }
    }

    /** Deletes done rows older than the retention. */
    public int purge() {
        return outbox.purgeDone(OffsetDateTime.now(clock).minus(config.retention()));
    }

    /**
     * Stops claiming, lets rows in flight finish (up to {@code grace}) and hands the rows it had claimed but not
     * started back at once, so that another replica performs them without waiting for the lease to end. A row
     * still unfinished after {@code grace} keeps its lease and is taken over when the lease ends.
     */
    public void stop(Duration grace) {
        stopping = true;
        waker.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("Outbox relay %s stopped with %d rows in flight", node, inFlight.get());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.infof("Outbox relay %s stopped; %d claimed rows handed back", node, handedBack.get());
    }
}
