package com.esii.support.hub.oncall;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;

/**
 * A Quartz node of the hub's cluster settings (JDBC job store on PostgreSQL, clustered, the QRTZ_ tables of Flyway's
 * V6), run as its own process by {@link QuartzClusterIT} so that it can be killed outright. Its job records its
 * effects in table job_effect.
 */
public final class QuartzNode {

    private QuartzNode() {
    }

    /** args: JDBC URL, user, password, instance id. Runs until killed, or until its standard input closes. */
    public static void main(String[] args) throws Exception {
        Scheduler s = scheduler(args[0], args[1], args[2], args[3], 2);
        s.start();
        System.out.println("started " + args[3]);
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait
        }
        s.shutdown(true);
    }

    public static Scheduler scheduler(String url, String user, String password, String instanceId, int threads)
            throws SchedulerException {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "hub-cluster-test");
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        // Look for due triggers every second (the default idles up to 30 s when another process schedules).
        p.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", "hub");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "1000");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.dataSource.hub.connectionProvider.class", Connections.class.getName());
        p.setProperty("org.quartz.dataSource.hub.url", url);
        p.setProperty("org.quartz.dataSource.hub.user", user);
        p.setProperty("org.quartz.dataSource.hub.password", password);
        return new StdSchedulerFactory(p).getScheduler();
    }

    static Connection connect(String url, String user, String password) throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Plain connections (no pool needed for a test node). */
    public static class Connections implements ConnectionProvider {
        private String url;
        private String user;
        private String password;

        public void setUrl(String url) {
            this.url = url;
        }

        public void setUser(String user) {
            this.user = user;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return connect(url, user, password);
        }

        @Override
        public void shutdown() {
        }

        @Override
        public void initialize() {
        }
    }

    /**
     * Records "started" (at once, committed), waits {@code sleepMs} unless it is a recovery run, then records "done".
     * A node killed while it waits leaves a "started" row and no "done".
     */
    public static class EffectJob implements Job {
        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            var data = context.getMergedJobDataMap();
            String job = context.getJobDetail().getKey().getName();
            String node;
            try {
                node = context.getScheduler().getSchedulerInstanceId();
            } catch (SchedulerException e) {
                throw new JobExecutionException(e);
            }
            try (Connection c = connect(data.getString("url"), data.getString("user"), data.getString("password"))) {
                record(c, job, node, "started");
                long sleep = Long.parseLong(data.getString("sleepMs"));
                if (!context.isRecovering() && sleep > 0) {
                    Thread.sleep(sleep);
                }
                record(c, job, node, "done");
            } catch (SQLException | InterruptedException e) {
                throw new JobExecutionException(e);
            }
        }

        private static void record(Connection c, String job, String node, String kind) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_effect (job, node, kind) VALUES (?, ?, ?)")) {
                ps.setString(1, job);
                ps.setString(2, node);
                ps.setString(3, kind);
                ps.executeUpdate();
            }
        }
    }
}
