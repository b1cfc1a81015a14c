package com.esii.support.hub.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Instead of sleeping before asserting that nothing more happened: wait until the outbox holds nothing pending for
 * what the test is about, then assert. Everything the hub does after a commit (mails, Jira writes, ERP records,
 * Jira syncs) is an outbox row of a lane named after its ticket or Jira key ({@code mail:SUP-…}, {@code jira:SUP-…},
 * {@code jira-in:SD-12}…); a row is pending until performed, and what it causes is queued before it is marked done.
 */
public final class Quiet {

    private Quiet() {
    }

    /** Waits until no outbox row is pending in a lane ending with ":" + one of {@code subjects}. */
    public static void outbox(DataSource ds, String... subjects) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM outbox WHERE status = 'PENDING' AND (");
        for (int i = 0; i < subjects.length; i++) {
            sql.append(i == 0 ? "" : " OR ").append("lane LIKE ?");
            args.add("%:" + subjects[i]);
        }
        sql.append(")");
        await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(20))
                .until(() -> Db.count(ds, sql.toString(), args.toArray()) == 0);
    }

    /** Waits until no outbox row is pending at all (a test that sent many tickets through the hub). */
    public static void outbox(DataSource ds) {
        await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(30))
                .until(() -> Db.count(ds, "SELECT COUNT(*) FROM outbox WHERE status = 'PENDING'") == 0);
    }

    /**
     * Waits until no outbox row is pending for an automatic mail to one of {@code addresses} (such a row names its
     * recipient), so that a test can then assert that nothing was sent to them.
     */
    public static void mailsTo(DataSource ds, String... addresses) {
        for (String a : addresses) {
            await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds,
                    "SELECT COUNT(*) FROM outbox WHERE status = 'PENDING' AND recipient = ?",
                    a.toLowerCase(java.util.Locale.ROOT)) == 0);
        }
    }
}
