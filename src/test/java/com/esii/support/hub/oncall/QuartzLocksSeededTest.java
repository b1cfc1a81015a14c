package com.esii.support.hub.oncall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.PostgresResource;

/**
 * Quartz's row locks are in a new database before any scheduler starts (migration V23): two replicas starting
 * together on a new database each inserted the missing lock row, and one failed to start on the duplicate key
 * (seen in RollingUpdateIT). They are the locks of the scheduler the hub runs: Quarkus' default name, which
 * application.properties leaves alone.
 */
@Tag("app") // an embedded PostgreSQL: the full suite, not the quick lane (-Pquick)
class QuartzLocksSeededTest {

    @Test
    void aNewDatabaseHoldsTheSchedulersTwoLocksBeforeAnySchedulerStarts() throws Exception {
        String url = PostgresResource.newDatabase();
        Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/migration").load().migrate();
        List<String> locks = new ArrayList<>();
        try (Connection c = QuartzNode.connect(url, "postgres", "postgres"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT sched_name || '/' || lock_name FROM qrtz_locks ORDER BY 1")) {
            while (r.next()) {
                locks.add(r.getString(1));
            }
        }
        assertEquals(List.of("QuarkusQuartzScheduler/STATE_ACCESS", "QuarkusQuartzScheduler/TRIGGER_ACCESS"), locks);
        assertFalse(applicationProperties().containsKey("quarkus.quartz.instance-name"),
                "the scheduler keeps Quarkus' default name, the one the migration seeds");
    }

    private static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = QuartzLocksSeededTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        return p;
    }
}
