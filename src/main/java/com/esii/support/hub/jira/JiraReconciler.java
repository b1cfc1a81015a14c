package com.esii.support.hub.jira;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.config.HubConfig;

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
    private final HubConfig.Jira config;
    private final Clock clock;
    private volatile Instant lastRun = Instant.MIN;

    public JiraReconciler(JiraClient jira, JiraStore store, JiraOutbox outbox, HubConfig config, Clock clock) {
        this.jira = jira;
        this.store = store;
        this.outbox = outbox;
        this.config = config.jira();
        this.clock = clock;
    }

    /** Called by the timer; searches when the interval has passed (at once again when the last search was cut). */
    public void tick() {
        if (!jira.configured() || Duration.between(lastRun, clock.instant()).compareTo(config.reconcileInterval()) < 0) {
            return;
        }
        try {
            int n = reconcile();
            if (n > 0) {
                LOG.infof("Jira reconciliation: %d issue(s) changed since the last search", n);
            }
            lastRun = n >= PAGE_LIMIT ? Instant.MIN : clock.instant();
        } catch (RuntimeException e) {
            LOG.warnf("Jira reconciliation failed, tried again in %s: %s", config.reconcileInterval(), e.getMessage());
            lastRun = clock.instant();
        }
    }

    /** Most issues one search brings in; the rest comes at the next search, from where this one stopped. */
    static final int PAGE_LIMIT = 5000;

    /**
     * One search; returns how many issues were queued for a sync. The high-water mark moves only as far as the
     * search has read: to the time of the search when it read everything, else to the last issue read (issues come
     * oldest first), so that a cut search never skips the rest.
     */
    public int reconcile() {
        Instant now = clock.instant();
        Instant since = store.state(MARK).map(Instant::parse).orElse(now.minus(Duration.ofHours(1)));
        long minutes = Math.max(1, Duration.between(since, now).toMinutes()) + 2; // margin: clocks and indexing lag
        String jql = "project in (\"" + config.projectKey() + "\", \"" + config.rdProjectKey() + "\") AND updated >= -"
                + minutes + "m ORDER BY updated ASC";
        List<com.fasterxml.jackson.databind.JsonNode> issues = JiraSearch.search(jira, jql, List.of("updated"), PAGE_LIMIT);
        Instant mark = now;
        if (issues.size() >= PAGE_LIMIT) {
            OffsetDateTime last = JiraTime.of(issues.get(issues.size() - 1).path("fields").path("updated"));
            mark = last == null ? since : last.toInstant();
            LOG.warnf("Jira reconciliation read %d issues, its limit: the rest is read from %s at once", PAGE_LIMIT, mark);
        }
        Instant reached = mark;
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime at = OffsetDateTime.now(clock);
            issues.forEach(i -> outbox.sync(i.path("key").asText(), at));
            store.setState(MARK, reached.toString());
            store.purgeDeliveries(at.minusDays(7));
        });
        return issues.size();
    }
}
