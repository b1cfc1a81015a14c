package com.esii.support.hub.oncall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;

import com.esii.support.hub.testing.SystemTest;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Quartz clustered on one PostgreSQL whose tables are the hub's Flyway migrations (V6): two nodes, each its own
 * process, fire each job exactly once (the effects are counted in the database); a node killed with SIGKILL in the
 * middle of a job is detected by the other, which runs the job again (recovery) to its end. A {@link SystemTest}
 * (beside the Quarkus tests, one system test at a time): it starts processes and waits for Quartz's cluster check-ins
 * (about 20 s).
 */
@SystemTest
class QuartzClusterIT {

    static String url;
    static final String USER = "postgres";
    static final String PASSWORD = "postgres";
    static Scheduler client;
    /** Its own server: the Quarkus tests' ({@code PostgresResource}) is stopped by DatabaseRestartTest meanwhile. */
    static EmbeddedPostgres postgres;
    final List<Process> nodes = new ArrayList<>();

    @BeforeAll
    static void database() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        url = postgres.getJdbcUrl("postgres", "postgres");
        Flyway.configure().dataSource(url, USER, PASSWORD).locations("classpath:db/migration").load().migrate();
        try (Connection c = QuartzNode.connect(url, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE job_effect (id SERIAL PRIMARY KEY, job VARCHAR(200), node VARCHAR(200),"
                    + " kind VARCHAR(16), at TIMESTAMP WITH TIME ZONE DEFAULT now())");
        }
        // Schedules into the store; not started, so it never runs a job itself.
        client = QuartzNode.scheduler(url, USER, PASSWORD, "test-client", 1);
    }

    @AfterAll
    static void close() throws Exception {
        if (client != null) {
            client.shutdown();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (Process p : nodes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        nodes.clear();
    }

    Process node(String id) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = Path.of("target", "quartz-node-" + id + ".log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", cp, QuartzNode.class.getName(), url, USER, PASSWORD, id)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        nodes.add(p);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM qrtz_scheduler_state WHERE instance_name = '" + id + "'") == 1);
        return p;
    }

    static void schedule(String job, Date at, long sleepMs) throws Exception {
        client.scheduleJob(JobBuilder.newJob(QuartzNode.EffectJob.class).withIdentity(job, "cluster-test")
                .usingJobData("url", url).usingJobData("user", USER).usingJobData("password", PASSWORD)
                .usingJobData("sleepMs", String.valueOf(sleepMs)).requestRecovery(true).build(),
                TriggerBuilder.newTrigger().withIdentity(job, "cluster-test").startAt(at)
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                        .build());
    }

    static long count(String sql) throws Exception {
        try (Connection c = QuartzNode.connect(url, USER, PASSWORD); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Map<String, Long> byNode(String where) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = QuartzNode.connect(url, USER, PASSWORD); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT node, count(*) FROM job_effect WHERE " + where + " GROUP BY node")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    @Test
    void twoNodesOnOneDatabaseFireEachJobExactlyOnce() throws Exception {
        node("node-a");
        node("node-b");
        int jobs = 40;
        Date at = new Date(System.currentTimeMillis() + 2000);
        for (int i = 0; i < jobs; i++) {
            schedule("once-" + i, at, 150);
        }
        Awaitility.await().atMost(Duration.ofSeconds(40))
                .until(() -> count("SELECT count(*) FROM job_effect WHERE job LIKE 'once-%' AND kind = 'done'") >= jobs);
        // Nothing left that could fire a job again: no trigger of the group in the store, none being fired.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(
                "SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'cluster-test'") == 0
                && count("SELECT count(*) FROM qrtz_fired_triggers WHERE trigger_group = 'cluster-test'") == 0);
        assertEquals(jobs, count("SELECT count(*) FROM job_effect WHERE job LIKE 'once-%' AND kind = 'done'"));
        assertEquals(jobs, count("SELECT count(DISTINCT job) FROM job_effect WHERE job LIKE 'once-%' AND kind = 'done'"));
        assertEquals(jobs, count("SELECT count(*) FROM job_effect WHERE job LIKE 'once-%' AND kind = 'started'"));
        Map<String, Long> shares = byNode("job LIKE 'once-%' AND kind = 'done'");
        assertEquals(2, shares.size(), "both nodes took jobs: " + shares);
        assertEquals(0, count("SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'cluster-test'"));
    }

    @Test
    void aNodeKilledInTheMiddleOfAJobIsReplacedAndTheJobRunsToItsEndOnTheOther() throws Exception {
        Process victim = node("node-victim");
        schedule("killed-mid-job", new Date(), 60_000);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(
                "SELECT count(*) FROM job_effect WHERE job = 'killed-mid-job' AND kind = 'started'") == 1);
        node("node-survivor");
        victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown, no cleanup
        // The survivor sees the victim's check-ins stop (1 s interval + 7.5 s grace) and recovers its job.
        Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> count(
                "SELECT count(*) FROM job_effect WHERE job = 'killed-mid-job' AND kind = 'done'") == 1);
        assertEquals(Map.of("node-survivor", 1L), byNode("job = 'killed-mid-job' AND kind = 'done'"));
        assertEquals(Map.of("node-victim", 1L, "node-survivor", 1L), byNode("job = 'killed-mid-job' AND kind = 'started'"));
        assertEquals(0, count("SELECT count(*) FROM qrtz_scheduler_state WHERE instance_name = 'node-victim'"),
                "the dead node was removed from the cluster");
        assertTrue(new File("target/quartz-node-node-survivor.log").exists());
    }
}
