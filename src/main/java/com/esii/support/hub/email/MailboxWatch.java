package com.esii.support.hub.email;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.mail.MessagingException;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.jboss.logging.Logger;

import com.esii.support.hub.cluster.ClusterConfig;
import com.esii.support.hub.ticket.WarmUp;
import com.esii.support.hub.util.DaemonThreads;

import io.quarkus.runtime.ShutdownEvent;

/**
 * The watch of a {@link Mailbox}: the steps of the {@code mailbox-watch} route, which decide when a pass runs. The
 * leader of {@link Mailbox#LEADER_LEASE} keeps the mailbox's connection open and {@linkplain #awaitNews(String) waits}
 * on it for new mail: with IMAP IDLE where the server offers it (the server announces a mail as it arrives, and the
 * pass starts at once), else by reading the mailbox every poll interval. With IDLE the whole mailbox is read again
 * every {@code hub.mail.imap.resync-interval} anyway. The wait ends when the lease is lost or handed back (the replica
 * stopping), and the connection is reopened after any failure; a server that is down only makes the mail channel
 * report DOWN (see {@link MailChannelHealth}). The bean is the support mailbox's.
 */
@ApplicationScoped
@Named("mailboxWatch")
public class MailboxWatch {

    private static final Logger LOG = Logger.getLogger(MailboxWatch.class);
    /** How often an IDLE in progress looks for news announced with its own start (and for its end). */
    private static final long NEWS_CHECK_MS = 100;

    private final Mailbox mailbox;
    private final BooleanSupplier warm;
    /** The turn under way (the watch's exchange), between its first pass and its end (lease lost, failure, stop). */
    private String turn;
    /** Set to end a wait early: the lease was lost or the replica stops. */
    private volatile boolean wake;
    private ScheduledExecutorService alarms;
    private final Object alarmsLock = new Object();
    private final Object sleeper = new Object();
    /** How long a stopping replica lets the pass under way end ({@code hub.cluster.drain-timeout}). */
    private Duration drainTimeout = Duration.ofSeconds(10);

    @Inject
    public MailboxWatch(Mailbox mailbox, WarmUp warmUp) {
        this(mailbox, warmUp::warm);
    }

    @Inject
    void cluster(ClusterConfig cluster) {
        this.drainTimeout = cluster.drainTimeout();
    }

    /**
     * The watch of {@code mailbox}, which opens once {@code warm} says the replica is warm (the language detector,
     * the mail path: {@link WarmUp}; the tests' own mailboxes give {@code LanguageDetection::warm}, or a warmth of
     * their own).
     */
    MailboxWatch(Mailbox mailbox, BooleanSupplier warm) {
        this.warm = warm;
        this.mailbox = mailbox;
        mailbox.whenLeaseLost(this::wakeUp);
    }

    /** How the leader waits for mail: "idle" (IMAP IDLE), "poll", or "none" (not connected). */
    public String mode() {
        if (!mailbox.isOpen()) {
            return "none";
        }
        return idleMode() ? "idle" : "poll";
    }

    /** Whether the mailbox is in IDLE right now (for the tests and health). */
    public boolean isIdling() {
        return mailbox.idling() != null;
    }

    // --- the steps of the mailbox-watch route ---------------------------------------------------------------

    /**
     * Whether this replica leads the mailbox now ({@link Mailbox#LEADER_LEASE}): the watch route's filter. Not before
     * the replica is warm ({@link WarmUp}): until then it does not even ask for the lease (another replica, warm,
     * reads the mailbox), so that no mail waits for the detector's build or the mail path's first use; nor once the
     * replica stops.
     */
    public boolean isLeader() {
        return !mailbox.stopping() && warm.getAsBoolean() && mailbox.isLeader();
    }

    /**
     * The watch: whether to make a pass now. The first call of a turn (a new exchange of the watch route) answers
     * yes at once (a full pass); then the leader waits, with IDLE until the server announces a mail (or the re-sync
     * is due), else until the poll interval has passed, renewing its lease meanwhile. No ends the turn: the lease was
     * lost or handed back, the replica stops, or the last pass failed (the watch's next tick opens the mailbox again).
     */
    public boolean awaitNews(String turnId) {
        if (!turnId.equals(turn)) {
            turn = turnId;
            mailbox.passFailed(false);
            wake = false;
            return !mailbox.stopping() && mailbox.enabled();
        }
        while (true) {
            if (mailbox.stopping() || mailbox.passFailed() || wake || !mailbox.isLeader()) {
                return endTurn();
            }
            if (mailbox.hasNews()) {
                return true;
            }
            Instant now = mailbox.clock().instant();
            Duration every = idleMode() ? mailbox.config().resyncInterval()
                    : Duration.ofMillis(mailbox.config().pollIntervalMs());
            Instant due = mailbox.lastPassStart().plus(every);
            Instant spoolRetry = mailbox.spoolRetryAt();
            if (spoolRetry != null && spoolRetry.isBefore(due)) {
                // a mail left in the mailbox because the spool could not be written: tried again
                due = spoolRetry;
            }
            if (!now.isBefore(due)) {
                return true;
            }
            long waitMs = Math.max(1, Math.min(Duration.between(now, due).toMillis(),
                    mailbox.renewalInterval().toMillis()));
            if (idleMode()) {
                idle(waitMs);
            } else {
                sleep(waitMs);
            }
        }
    }

    private boolean endTurn() {
        if (mailbox.stopping() || wake || !mailbox.passFailed()) {
            // not the leader any more, or stopping: a standby holds no connection
            mailbox.close();
        }
        wake = false;
        return false;
    }

    // --- waiting --------------------------------------------------------------------------------------------

    private boolean idleMode() {
        return mailbox.config().idle() && mailbox.idleOffered();
    }

    /**
     * IDLE for at most {@code waitMs}: returns when the server announces something, when the time is up (an alarm
     * ends the IDLE), or when {@link #wakeUp} ends it. A lost connection ends the turn.
     */
    private void idle(long waitMs) {
        IMAPFolder f = mailbox.folder();
        if (f == null || !f.isOpen()) {
            mailbox.passFailed(true);
            return;
        }
        // Ends the IDLE when its time is up, and as soon as there is news: a server may announce a mail with the
        // IDLE's own start (an EXISTS before its "+", for a mail that arrived after the pass's last command), which
        // Angus hands to the mailbox's response handler (Mailbox.onResponse) but does not count as the IDLE's news:
        // without this check the IDLE went on until the next lease renewal
        // (MailboxIdleTest.aMailAnnouncedAsTheIdleBeginsIsReadAtOnce; MailBurstOrderTest's 30 s, issue 28). Repeats
        // until the IDLE is over: an end asked just before the IDLE began would otherwise be lost.
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        ScheduledFuture<?> alarm;
        try {
            alarm = alarms().scheduleWithFixedDelay(() -> {
                if (mailbox.hasNews() || System.nanoTime() - due >= 0) {
                    endIdle();
                }
            }, Math.min(waitMs, NEWS_CHECK_MS), NEWS_CHECK_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            return;
        }
        mailbox.idling(f);
        try {
            if (!mailbox.hasNews() && !wake && !mailbox.stopping()) {
                LOG.debugf("IDLE on %s for at most %d ms", mailbox.name(), waitMs);
                f.idle(true);
                LOG.debugf("IDLE on %s over (news: %s)", mailbox.name(), mailbox.hasNews());
            }
            mailbox.polled();
        } catch (MessagingException | RuntimeException e) {
            if (!mailbox.stopping()) {
                mailbox.unavailable(e);
            }
            mailbox.passFailed(true);
        } finally {
            mailbox.idling(null);
            alarm.cancel(false);
        }
    }

    /** Ends the IDLE in progress, if any: any other command on the folder makes Angus send DONE first. */
    private void endIdle() {
        IMAPFolder f = mailbox.idling();
        if (f == null) {
            return;
        }
        try {
            f.doCommand(p -> null);
        } catch (MessagingException | RuntimeException ignored) {
            // the connection is gone: the IDLE has ended too
        }
    }

    /** The lease was lost or handed back: the wait ends now. Never blocks. */
    private void wakeUp() {
        wake = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        if (mailbox.idling() != null) {
            try {
                alarms().execute(this::endIdle);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // the replica has stopped: its connection is closed, which ends the IDLE
            }
        }
    }

    private void sleep(long ms) {
        synchronized (sleeper) {
            if (wake || mailbox.stopping()) {
                return;
            }
            try {
                sleeper.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                mailbox.stop();
            }
        }
    }

    private ScheduledExecutorService alarms() {
        synchronized (alarmsLock) {
            if (alarms == null) {
                alarms = Executors.newSingleThreadScheduledExecutor(
                        DaemonThreads.named("mailbox-idle-alarm"));
            }
            return alarms;
        }
    }

    /**
     * The replica stops, before it hands its leases back (they go at priority 1): no pass starts any more, a wait
     * ends at once, and the pass under way ends after its current batch, whose committed mail is flagged (the rest
     * stays unseen for the next leader), so that no mail's transaction meets a lease already handed back. A pass
     * still running after {@code hub.cluster.drain-timeout} is left to the lease's fence. Then the connection closes.
     */
    void stop(@Observes @Priority(0) ShutdownEvent event) {
        mailbox.stop();
        wakeUp();
        if (mailbox.passing()) {
            long t0 = System.nanoTime();
            if (mailbox.awaitPassEnd(drainTimeout)) {
                LOG.infof("Mailbox %s: the pass under way ended in %d ms, before the lease is handed back",
                        mailbox.name(), (System.nanoTime() - t0) / 1_000_000);
            } else {
                LOG.warnf("Mailbox %s: the pass under way did not end within %s; mail it had not committed stays"
                        + " unseen for the next leader", mailbox.name(), drainTimeout);
            }
        }
        mailbox.close();
        ScheduledExecutorService a;
        synchronized (alarmsLock) {
            a = alarms;
        }
        if (a != null) {
            a.shutdownNow();
        }
    }
}
