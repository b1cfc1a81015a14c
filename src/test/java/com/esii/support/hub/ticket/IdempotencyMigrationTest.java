package com.esii.support.hub.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.PostgresResource;
import com.esii.support.hub.util.Hashes;

/**
 * Migration V13 on a database that has rows written by the version before: the Idempotency-Keys and web form keys
 * become their SHA-256, the tokens are kept only sealed under their key, and nothing is lost. On PostgreSQL (as in
 * production) and on H2 in PostgreSQL mode (the demo).
 */
class IdempotencyMigrationTest {

    @Test
    void onPostgresql() throws Exception {
        String url = PostgresResource.newDatabase();
        migrate(url, "postgres", PostgresResource.PASSWORD);
    }

    @Test
    void onTheDemosH2() throws Exception {
        String url = "jdbc:h2:mem:v13-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        migrate(url, "sa", "");
    }

    private static void migrate(String url, String user, String password) throws Exception {
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").target("11").load()
                .migrate();
        String apiKey = "client-key-" + UUID.randomUUID();
        String formKey = "form:" + UUID.randomUUID();
        String apiToken = Hashes.randomToken();
        String formToken = Hashes.randomToken();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            long t1 = ticket(c, "SUP-2026-000001", apiToken);
            long t2 = ticket(c, "SUP-2026-000002", formToken);
            clearRow(c, apiKey, "hash-1", t1, apiToken);
            clearRow(c, formKey, "hash-2", t2, formToken);
        }

        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").target("13").load()
                .migrate();

        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM idempotency_key WHERE idem_key IN (?, ?)"
                    + " OR access_token IS NOT NULL")) {
                ps.setString(1, apiKey);
                ps.setString(2, formKey);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(0, rs.getLong(1), "no key and no token left in clear");
                }
            }
            assertEquals(Optional.of(apiToken), Hashes.unseal(apiKey, sealed(c, Hashes.sha256Hex(apiKey), "hash-1")));
            assertEquals(Optional.of(formToken), Hashes.unseal(formKey, sealed(c, Hashes.sha256Hex(formKey), "hash-2")));
            assertEquals(Optional.empty(), Hashes.unseal(formKey, sealed(c, Hashes.sha256Hex(apiKey), "hash-1")));
            // Nothing left to convert: the hourly pass finds no row.
            assertEquals(0, TicketLedger.sealClearIdempotencyRows(c));
            // A row the previous version still writes during the rolling upgrade fits the migrated table.
            long t3 = ticket(c, "SUP-2026-000003", "x");
            clearRow(c, "late-key", "hash-3", t3, "late-token");
            assertEquals(1, TicketLedger.sealClearIdempotencyRows(c));
            assertEquals(Optional.of("late-token"), Hashes.unseal("late-key", sealed(c, Hashes.sha256Hex("late-key"), "hash-3")));
        }
    }

    private static long ticket(Connection c, String number, String token) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ticket (number, channel, customer_email, language,"
                + " subject, status, access_token_hash, created_at, updated_at)"
                + " VALUES (?, 'API', 'a@customer.example', 'en', 's', 'NEW', ?, ?, ?)", new String[] { "id" })) {
            ps.setString(1, number);
            ps.setString(2, Hashes.sha256Hex(token));
            ps.setObject(3, OffsetDateTime.now());
            ps.setObject(4, OffsetDateTime.now());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** A row as the version before V13 wrote it. */
    private static void clearRow(Connection c, String key, String requestHash, long ticket, String token)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_key (idem_key, request_hash, ticket_id,"
                + " access_token, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, requestHash);
            ps.setLong(3, ticket);
            ps.setString(4, token);
            ps.setObject(5, OffsetDateTime.now());
            ps.executeUpdate();
        }
    }

    private static String sealed(Connection c, String keyHash, String requestHash) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT access_token_sealed, access_token, request_hash"
                + " FROM idempotency_key WHERE idem_key = ?")) {
            ps.setString(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the row is kept under its key's hash");
                assertNull(rs.getString(2));
                assertEquals(requestHash, rs.getString(3));
                return rs.getString(1);
            }
        }
    }
}
