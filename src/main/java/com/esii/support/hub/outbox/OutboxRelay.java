package com.esii.support.hub.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.esii.support.hub.util.DaemonThreads;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Performs due outbox rows on this replica. Every replica runs one; the lease-based claim in {@link Outbox}
 * guarantees a row is handled by one of them at a time, and lanes keep one ticket's effects in order.
 *
 * <p>{@link #drain()} is called by the sweep route (the backstop) and by {@link #wake()} right after an intake
 * commits, which is what makes the acknowledgement leave at once. A drain claims rows as workers become free, the
 * urgent ones first (the mails people wait for: {@link UrgentTypes}), and keeps a quarter of the workers for them: a
 * slow Jira holds neither the next claim nor every worker.
 *
 * <p>A row is performed by its edge's route ({@link OutboxRoutes}: {@code direct:outbox-<type>}), the one way every
 * target is delivered. The relay alone decides what follows: the routes neither retry nor catch
 * ({@code outbox-step} in {@code routes/outbox.yaml}).
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
    private final OutboxRoutes routes;
    private final OutboxConfig config;
    private final Clock clock;
    private final String node;
    private final MeterRegistry metrics;
    private final Backoff backoff;
    private final ExecutorService workers;
    private final ExecutorService waker;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicInteger handedBack = new AtomicInteger();
    /** Released when a row finishes or a wake comes: a drain waiting for its running rows looks again. */
    private final Semaphore signal = new Semaphore(0);
    /**
     * The rows this relay has started and not finished: never claimed again by it while they run, even once their
     * lease has ended (a row slower than {@code hub.outbox.lease} would otherwise be sent a second time by the same
     * replica); their leases are renewed. {@link #busyOthers}: how many of them are not urgent.
     */
    private final java.util.Set<Long> performing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger busyOthers = new AtomicInteger();
    /**
     * Rows performed and not yet marked done: the drain marks them together before its next look
     * ({@link #markDone}), one statement for the rows finished meanwhile instead of one each. Until marked, a row
     * stays claimed by this replica (its lease renewed, never claimed again here); a replica killed before marking
     * leaves it to be taken over as one killed right after the side effect always did (the next claim asks the
     * target first: {@link OutboxRow#mayHaveReachedTarget()}).
     */
    private final java.util.Map<Long, OutboxRow> unmarked = new java.util.concurrent.ConcurrentHashMap<>();
    private final int workerCount;
    /** Workers the rows that are not urgent may take: a quarter (at least one) is kept for the urgent ones. */
    private final int othersMax;
    private volatile boolean stopping;

    /** @param routes the edges' routes, which perform the rows ({@code direct:outbox-<type>}) */
    public OutboxRelay(Outbox outbox, OutboxRoutes routes, OutboxConfig config, Clock clock, String node,
            MeterRegistry metrics) {
        this.outbox = outbox;
        this.routes = routes;
        this.config = config;
        this.clock = clock;
        this.node = node;
        this.metrics = metrics;
        this.backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        this.workerCount = Math.max(1, config.workers());
        this.othersMax = workerCount == 1 ? 1 : workerCount - Math.max(1, workerCount / 4);
        this.workers = Executors.newFixedThreadPool(workerCount,
                DaemonThreads.numbered("outbox-worker"));
        this.waker = Executors.newSingleThreadExecutor(DaemonThreads.named("outbox-waker"));
    }

    public String node() {
        return node;
    }

    /**
     * Asks for a drain soon, without blocking the caller; wakes arriving meanwhile are coalesced. A drain in
     * progress looks for due rows again at once (it does not wait for the rows it is performing).
     */
    public void wake() {
        if (stopping) {
            return;
        }
        again.set(true);
        signal.release();
        if (wakePending.compareAndSet(false, true)) {
            waker.execute(() -> {
                wakePending.set(false);
                drain();
            });
        }
    }

    /** The last sweep failed (the database away): logged once, until one works again. */
    private volatile boolean sweepFailing;

    /**
     * Performs due rows until none is left and none is running. Returns the number of rows started by this call (0
     * when another drain of this relay was running: that one looks again).
     */
    public int drain() {
        int total = 0;
        do {
            if (!running.compareAndSet(false, true)) {
                again.set(true);
                signal.release();
                return total;
            }
            try {
                total += pump();
                if (sweepFailing) {
                    sweepFailing = false;
                    LOG.infof("Outbox sweep works again on %s", node);
                }
            } catch (RuntimeException e) {
                // The database may be restarting: the next sweep tries again. Said once, not at every sweep.
                if (!sweepFailing) {
                    sweepFailing = true;
                    LOG.warnf("Outbox sweep failed on %s: %s (trying again at every sweep; said again once it works)",
                            node, e.getMessage());
                }
            } finally {
                running.set(false);
            }
        } while (again.get() && !stopping);
        return total;
    }

    /**
     * Claims due rows as workers become free and starts them, without waiting for the ones already running: a JSM
     * request that takes seconds holds its worker only, and an acknowledgement committed meanwhile leaves at once
     * (the relay used to wait for a whole batch before claiming again). Returns when nothing is due and nothing runs.
     */
    private int pump() {
        int total = 0;
        while (!stopping) {
            again.set(false);
            signal.drainPermits();
            markDone();
            renewLeases();
            total += claimAndStart();
            // Looks again only when asked meanwhile (a commit woke the relay, a row finished): a look that found
            // fewer rows than it could take left nothing due behind, and one that took every free worker has
            // nothing to claim with until a row finishes (issue 29: the look right after each look found nothing,
            // a statement in vain each time).
            if (again.get()) {
                gather();
                continue;
            }
            if (performing.isEmpty() && unmarked.isEmpty()) {
                return total;
            }
            try {
                // a row finished or a wake came: look again; else, every poll interval at the latest (and often
                // enough to keep the leases of the rows running)
                if (signal.tryAcquire(Math.max(50, Math.min(config.pollIntervalMs(), config.lease().toMillis() / 3)),
                        TimeUnit.MILLISECONDS)) {
                    gather();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return total;
            }
        }
        return total;
    }

    /**
     * How long a busy relay's next look may wait for more of its workers to be free ({@link #gather}): 20 ms, against
     * Dovecot's 0.24-0.50 s to announce a mail; the tests hold it open ({@link #gatherFor}).
     */
    private volatile long gatherNanos = TimeUnit.MILLISECONDS.toNanos(20);

    void gatherFor(Duration d) {
        gatherNanos = d.toNanos();
    }

    /**
     * Before a busy relay looks again (asked by a commit or a row finished): waits, while rows are running, until
     * three quarters of the workers are free or {@link #gatherNanos} has passed, so that the look takes several rows
     * and marks done the rows finished meanwhile, in one statement each. In a burst each commit and each finished row
     * made a look of its own, of one or two rows, each with its claim, its tickets' read and its done mark (issue 29).
     * A relay with nothing running looks at once: a mail alone is acknowledged as soon as it is committed.
     */
    private void gather() {
        long deadline = System.nanoTime() + gatherNanos;
        try {
            while (!stopping && !performing.isEmpty() && workerCount - performing.size() < workerCount * 3 / 4) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !signal.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Claims as many due rows as there are free workers (urgent rows first; the other rows never take more than
     * {@link #othersMax} workers, so that slow targets cannot hold an acknowledgement) and starts them.
     */
    private int claimAndStart() {
        int free = workerCount - performing.size();
        if (free <= 0) {
            return 0;
        }
        OffsetDateTime now = OffsetDateTime.now(clock); // one reading of the database's clock per look
        OffsetDateTime until = now.plus(config.lease());
        int othersFree = othersMax - busyOthers.get();
        if (stopping) {
            return 0;
        }
        // the look claims what it finds, urgent first, in one statement (none this relay is performing or marking)
        List<Long> mine = new ArrayList<>(performing);
        mine.addAll(unmarked.keySet());
        List<OutboxRow> claimed = tickets(outbox.claimDue(node, now, until, free, othersFree, mine));
        int started = 0;
        for (OutboxRow row : claimed) {
            if (stopping) {
                handBack(row);
                continue;
            }
            boolean other = !outbox.urgent(row.type());
            long id = row.id();
            performing.add(id);
            if (other) {
                busyOthers.incrementAndGet();
            }
            try {
                workers.execute(() -> {
                    try {
                        perform(row);
                    } finally {
                        finished(id, other);
                    }
                });
            } catch (RejectedExecutionException e) {
                finished(id, other);
                handBack(row); // the replica is stopping
                continue;
            }
            started++;
        }
        return started;
    }

    /**
     * The claimed rows with their tickets (and the tickets' participants), read in one statement for the whole look
     * (issue 29: each handler read its own). As fresh as the handlers' own reads were: the read comes after the claim (so after everything the rows
     * wait for: a lane's earlier row is marked done, and its effects committed, before the next row can be claimed),
     * and a look claims only as many rows as there are free workers, each started at once, so a handler starts a
     * few milliseconds after the read, as it read its ticket a few milliseconds after the claim before. A row waiting
     * (a retry, a target away) is claimed, and its ticket read, again when due. The database away: the rows go
     * without, and each handler reads its ticket itself.
     */
    private List<OutboxRow> tickets(List<OutboxRow> claimed) {
        if (claimed.isEmpty()) {
            return claimed;
        }
        try {
            return outbox.withTickets(claimed);
        } catch (RuntimeException e) {
            LOG.warnf("Could not read the tickets of %d claimed rows (their handlers will): %s", claimed.size(),
                    e.getMessage());
            return claimed;
        }
    }

    /**
     * Extends the lease of every row this relay is performing, a third of a lease at the latest before it would end:
     * a live replica keeps its claims however slow a target is, so that only a replica that died leaves rows for
     * another to take over (and send a second time). Without it, a row slower than its lease was performed by two
     * replicas at once (TwoReplicasIT counted 10 acknowledgements sent twice in a burst of 200 with a 3 s lease).
     */
    private void renewLeases() {
        if (performing.isEmpty() && unmarked.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastRenewal < config.lease().toNanos() / 3) {
            return;
        }
        lastRenewal = now;
        OffsetDateTime until = OffsetDateTime.now(clock).plus(config.lease());
        List<Long> held = new ArrayList<>(performing);
        held.addAll(unmarked.keySet());
        for (Long id : held) {
            try {
                outbox.extend(id, node, until);
            } catch (RuntimeException e) {
                LOG.warnf("Could not extend the claim of outbox row %d: %s", id, e.getMessage());
            }
        }
    }

    private volatile long lastRenewal = System.nanoTime();

    /** A row's worker is free again: the drain looks again (the row's lane may have a next row due now). */
    private void finished(long id, boolean other) {
        again.set(true); // before the row leaves: a drain that sees none running has seen this too
        if (other) {
            busyOthers.decrementAndGet();
        }
        performing.remove(id);
        signal.release();
    }

    void perform(OutboxRow row) {
        if (stopping) {
            handBack(row);
            return;
        }
        tag(row);
        try {
            if (!routes.has(row.type())) {
                // A newer replica may know this type (rolling upgrade): retry rather than give up.
                failed(row, new IllegalStateException("No route for outbox type " + row.type()
                        + " (direct:outbox-" + row.type() + ")"), null);
                return;
            }
            routes.perform(row); // the edge's route, direct:outbox-<type>
            if (outbox.markedAtOnce(row.type())) {
                doneAtOnce(row);
            } else {
                unmarked.put(row.id(), row); // marked done by the drain's next turn, with the others finished meanwhile
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
            untag();
        }
    }

    private static void untag() {
        MDC.remove("outbox.id");
        MDC.remove("outbox.type");
        MDC.remove("ticket");
    }

    /**
     * A mail (every urgent type is one: {@link UrgentTypes}) marked done as soon as it went, in a statement of its own:
     * a mail server cannot be asked after a crash whether a mail went, so a replica killed between the sending and
     * the mark sends it again (with its Message-ID), and the drain's next turn, which marks the other rows together,
     * made that window longer (up to the next look): the fault suite's ten SIGKILLs resent 1 to 4 acknowledgements
     * of 500 so, 1 and 0 in two runs marked at once (issue 29; what is left is the send's own few milliseconds before
     * its mark, which no mail server lets a database transaction close). The other rows' targets are asked before a
     * retry writes again, and so is a mail kept on its ticket with its Message-ID ({@link UrgentTypes#recordedTypes}:
     * the acknowledgement, a notice), which is marked with the others. When the database is away, the row waits for
     * the next turn's mark with the others.
     */
    private void doneAtOnce(OutboxRow row) {
        try {
            if (outbox.done(row, node, OffsetDateTime.now(clock))) {
                count(row, "done");
            } else {
                LOG.warnf("Outbox row %d was done but its claim had been lost (lease %s too short?)", row.id(),
                        config.lease());
            }
        } catch (RuntimeException e) {
            unmarked.put(row.id(), row);
        }
    }

    /**
     * Marks the rows performed since the last turn done, in one statement. When the database is away they stay
     * claimed and are marked at a later turn (their leases renewed meanwhile), or, if this replica dies first, taken
     * over as a row whose replica died after its side effect.
     */
    private synchronized void markDone() {
        if (unmarked.isEmpty()) {
            return;
        }
        List<OutboxRow> rows = new ArrayList<>(unmarked.values());
        Set<Long> marked;
        try {
            marked = outbox.done(rows, node, OffsetDateTime.now(clock));
        } catch (RuntimeException e) {
            LOG.warnf("Could not mark %d outbox rows done yet: %s", rows.size(), e.getMessage());
            return;
        }
        for (OutboxRow row : rows) {
            unmarked.remove(row.id());
            if (marked.contains(row.id())) {
                count(row, "done");
            } else {
                tag(row);
                LOG.warnf("Outbox row %d was done but its claim had been lost (lease %s too short?)", row.id(),
                        config.lease());
                untag();
            }
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
        signal.release(); // a drain waiting for its running rows returns
        waker.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("Outbox relay %s stopped with %d rows in flight", node, performing.size());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        markDone(); // the rows finished during the grace
        LOG.infof("Outbox relay %s stopped; %d claimed rows handed back", node, handedBack.get());
    }
}
