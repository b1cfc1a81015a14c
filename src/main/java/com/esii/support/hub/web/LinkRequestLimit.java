package com.esii.support.hub.web;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.esii.support.hub.util.Hashes;
import com.esii.support.hub.util.Sql;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * "Lost your link?" per address, for all replicas together: a token bucket per address kept in the database
 * ({@value #BURST} requests at once, then one a minute), its row locked while a request takes a token, timed on the
 * database's clock. An in-memory bucket let each replica send its own three mails. The statements run on PostgreSQL
 * and on the demo's H2 (PostgreSQL mode: ON CONFLICT DO NOTHING without a target, EXTRACT(EPOCH FROM an interval)).
 */
@ApplicationScoped
@Named("linkRequestLimit")
public class LinkRequestLimit {

    static final int BURST = 3;
    private static final double PER_SECOND = 1 / 60.0;

    private final Sql db;

    public LinkRequestLimit(DataSource ds) {
        this.db = new Sql(ds);
    }

    /** Takes a token for {@code address}: true when a mail of links may go now. */
    public boolean acquire(String address) {
        String key = Hashes.sha256Hex(address.strip().toLowerCase(Locale.ROOT));
        return QuarkusTransaction.requiringNew().call(() -> {
            db.update("make a link-request bucket", "INSERT INTO link_request_bucket (address_hash, tokens, updated_at)"
                    + " VALUES (?, ?, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING", key, (double) BURST);
            double[] state = db.one("lock a link-request bucket", "SELECT tokens, EXTRACT(EPOCH FROM"
                    + " (CURRENT_TIMESTAMP - updated_at)) FROM link_request_bucket WHERE address_hash = ? FOR UPDATE",
                    rs -> new double[] { rs.getDouble(1), rs.getDouble(2) }, key).orElseThrow();
            double tokens = Math.min(BURST, state[0] + Math.max(0, state[1]) * PER_SECOND);
            boolean allowed = tokens >= 1;
            db.update("take a link-request token", "UPDATE link_request_bucket SET tokens = ?, updated_at ="
                    + " CURRENT_TIMESTAMP WHERE address_hash = ?", allowed ? tokens - 1 : tokens, key);
            return allowed;
        });
    }

    /** Forgets the buckets untouched for an hour (full again by then). */
    public int purge() {
        return db.update("purge link-request buckets", "DELETE FROM link_request_bucket WHERE updated_at < ?",
                OffsetDateTime.now().minus(Duration.ofHours(1)));
    }
}
