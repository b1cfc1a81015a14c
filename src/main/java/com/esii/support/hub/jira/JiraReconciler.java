package com.esii.support.hub.jira;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Every {@code hub.jira.reconcile-interval}, searches Jira for the support and R&D issues updated since the last
 * search (with a margin; relative JQL dates, so Jira's user time zone does not matter) and brings each in through
 * a {@code jira-sync} step, so that a lost webhook changes nothing. The high-water mark is kept in the database.
 */
@ApplicationScoped
@Named("jiraReconciler")
public class JiraReconciler {

    private static final Logger LOG = Logger.getLogger(JiraReconciler.class);
    static final String MARK = "jira.reconciled-at";

    private final JiraClient jira;
    private final JiraStore store;
    private final JiraOutbox outbox;
    private final JiraConfig config;
    private final Clock clock;
    private volatile Instant lastRun = Instant.MIN;

    public JiraReconciler(JiraClient jira, JiraStore store, JiraOutbox outbox, JiraConfig config, Clock clock) {
        this.jira = jira;
        this.store = store;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    /** Called by the timer; searches when the interval has passed. */
    public void tick() {
        if (!jira.configured() || Duration.between(lastRun, clock.instant()).compareTo(config.reconcileInterval()) < 0) {
            return;
        }
        try {
            int n = reconcile();
            if (n > 0) {
                LOG.infof("Jira reconciliation: %d issue(s) changed since the last search", n);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Jira reconciliation failed, tried again in %s: %s", config.reconcileInterval(), e.getMessage());
        }
        lastRun = clock.instant();
    }

    /**
     * One search, read to its end page by page; returns how many issues were queued for a sync. Each page's syncs
     * commit with the high-water mark moved to the last issue of the page (issues come oldest first), and the mark
     * reaches the time of the search only once the last page is read: a search cut short (Jira failing, the replica
     * stopping) never moves the mark past what it has read.
     */
    public int reconcile() {
        Instant now = clock.instant();
        Instant since = store.state(MARK).map(Instant::parse).orElse(now.minus(Duration.ofHours(1)));
        long minutes = Math.max(1, Duration.between(since, now).toMinutes()) + 2; // margin: clocks and indexing lag
        String jql = "project in (\"" + config.projectKey() + "\", \"" + config.rdProjectKey() + "\") AND updated >= -"
                + minutes + "m ORDER BY updated ASC";
        int[] read = { 0 };
        JiraSearch.pages(jira, jql, List.of("updated"), config.reconcilePageSize(), page -> {
            OffsetDateTime last = JiraTime.parse(page.get(page.size() - 1).fields().updated());
            QuarkusTransaction.requiringNew().run(() -> {
                OffsetDateTime at = OffsetDateTime.now(clock);
                page.forEach(i -> outbox.sync(i.key(), at));
                if (last != null && last.toInstant().isAfter(since)) {
                    store.setState(MARK, last.toInstant().toString());
                }
            });
            read[0] += page.size();
            return true;
        });
        QuarkusTransaction.requiringNew().run(() -> {
            store.setState(MARK, now.toString());
            store.purgeDeliveries(OffsetDateTime.now(clock).minusDays(7));
        });
        return read[0];
    }
}
