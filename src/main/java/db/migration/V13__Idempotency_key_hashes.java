package db.migration;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import com.esii.support.hub.ticket.TicketLedger;

/**
 * Issue 14: the idempotency table keeps no secret in clear. Before this migration it held each Idempotency-Key (and the web
 * form's key) and the access token it answered, both in clear; from here {@code idem_key} holds the key's SHA-256
 * and the token is kept only sealed (AES-GCM) under the key itself, which the hub no longer has: a client repeating
 * its request brings the key and gets the same token back, whoever reads the table gets neither.
 *
 * <p>A Java migration, not SQL: the same file has to run on PostgreSQL and on the demo's H2, which share no SHA-256
 * function (PostgreSQL's {@code sha256()} against H2's {@code HASH('SHA-256', …)}), and sealing needs AES, which
 * neither has without an extension (pgcrypto is not in every PostgreSQL). Existing rows are converted here, in the
 * migration's transaction, with the code this version uses ({@link TicketLedger#sealClearIdempotencyRows}).
 *
 * <p>Rolling upgrade: the columns stay (a replica of the previous version still writes {@code access_token} until it
 * is stopped; the new version's hourly purge converts such rows too); {@code access_token} can be dropped in a later
 * release.
 */
public class V13__Idempotency_key_hashes extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("ALTER TABLE idempotency_key ADD COLUMN access_token_sealed VARCHAR(255)");
            s.execute("ALTER TABLE idempotency_key ALTER COLUMN access_token DROP NOT NULL");
            s.execute("CREATE INDEX idempotency_key_created_ix ON idempotency_key (created_at)");
        }
        TicketLedger.sealClearIdempotencyRows(context.getConnection());
    }
}
