package com.esii.support.hub.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.awaitility.core.ConditionTimeoutException;

/**
 * Instead of sleeping before asserting that nothing more happened: wait until the outbox holds nothing pending for
 * what the test is about, then assert. Everything the hub does after a commit (mails, Jira writes, ERP records,
 * Jira syncs) is an outbox row of a lane named after its ticket or Jira key ({@code mail:SUP-…}, {@code jira:SUP-…},
 * {@code jira-in:SD-12}…); a row is pending until performed, and what it causes is queued before it is marked done.
 */
public final class Quiet {

    /**
     * A pending row that may still run: none before it in its lane is dead (a dead row holds its lane until an
     * operator replays or skips it, so the rows behind it wait for that, not for the hub).
     */
    private static final String MAY_RUN = "o.status = 'PENDING' AND NOT EXISTS (SELECT 1 FROM outbox d"
            + " WHERE d.lane = o.lane AND d.status = 'DEAD' AND d.id < o.id)";

    private Quiet() {
    }

    /** Waits until no outbox row is pending in a lane ending with ":" + one of {@code subjects}. */
    public static void outbox(DataSource ds, String... subjects) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM outbox o WHERE " + MAY_RUN + " AND (");
        for (int i = 0; i < subjects.length; i++) {
            sql.append(i == 0 ? "" : " OR ").append("o.lane LIKE ?");
            args.add("%:" + subjects[i]);
        }
        sql.append(")");
        await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(20))
                .until(() -> Db.count(ds, sql.toString(), args.toArray()) == 0);
    }

    /** Waits until no outbox row is pending at all (a test that sent many tickets through the hub). */
    public static void outbox(DataSource ds) {
        try {
            await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(30))
                    .until(() -> Db.count(ds, "SELECT COUNT(*) FROM outbox o WHERE " + MAY_RUN) == 0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the outbox is not quiet; still pending: " + Db.strings(ds, "SELECT id || ' '"
                    + " || type || ' ' || lane || ' attempts=' || attempts || ' next=' || next_attempt_at || ' err='"
                    + " || coalesce(last_error, '') FROM outbox o WHERE " + MAY_RUN + " ORDER BY id LIMIT 10"), e);
        }
    }

    /**
     * Waits until no outbox row is pending for an automatic mail to one of {@code addresses} (such a row names its
     * recipient), so that a test can then assert that nothing was sent to them.
     */
    public static void mailsTo(DataSource ds, String... addresses) {
        for (String a : addresses) {
            await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds,
                    "SELECT COUNT(*) FROM outbox o WHERE " + MAY_RUN + " AND o.recipient = ?",
                    a.toLowerCase(java.util.Locale.ROOT)) == 0);
        }
    }
}
