package com.esii.support.hub.mailkit;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.DatabaseException;
import com.esii.support.hub.util.Sql;

/**
 * Addresses that get no more automatic mail, because a delivery report said mail to them failed for good: the
 * email channel records them, every automatic mail checks them before it is queued and again before it is sent
 * (a mail withheld so is written in its ticket's history, {@link WithheldMail}), and the admin lists and lifts them
 * ({@code /admin/mail/suppressions}). Addresses are kept in {@link MailAddresses#canonical canonical} form.
 */
@ApplicationScoped
public class Suppressions {

    /** One suppressed address: why, since when. */
    public record Suppression(String address, String reason, OffsetDateTime since) {

        /** As the ticket's history and the verdicts say it. */
        public String describe() {
            return address + " gets no automatic mail since " + since.toLocalDate() + " (" + reason
                    + "; an admin can lift this: /admin/mail/suppressions)";
        }
    }

    private final Sql db;

    public Suppressions(DataSource ds) {
        this.db = new Sql(ds);
    }

    public void suppress(String address, String reason, OffsetDateTime now) {
        String a = MailAddresses.canonical(address);
        if (a == null || isSuppressed(a)) {
            return;
        }
        try {
            db.update("suppress an address", "INSERT INTO suppressed_address (address, reason, created_at) VALUES (?, ?, ?)",
                    cut(a, 320), reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 2000), now);
        } catch (DatabaseException e) {
            if (!DatabaseException.isUniqueViolation(e)) {
                throw e;
            }
        }
    }

    public boolean isSuppressed(String address) {
        return find(address).isPresent();
    }

    /** The suppression of this address, if there is one. */
    public Optional<Suppression> find(String address) {
        String a = MailAddresses.canonical(address);
        if (a == null) {
            return Optional.empty();
        }
        List<Suppression> found = query("SELECT address, reason, created_at FROM suppressed_address WHERE address = ?",
                a, 1);
        return found.stream().findFirst();
    }

    /** The suppressed addresses, the latest first. */
    public List<Suppression> list(int limit) {
        return query("SELECT address, reason, created_at FROM suppressed_address ORDER BY created_at DESC, address"
                + " LIMIT ?", null, limit);
    }

    /** The suppressed addresses, the latest first, {@code limit} from {@code offset}. */
    public List<Suppression> list(int limit, int offset) {
        return db.list("read suppressed addresses", "SELECT address, reason, created_at FROM suppressed_address"
                + " ORDER BY created_at DESC, address LIMIT ? OFFSET ?",
                rs -> new Suppression(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)),
                limit, offset);
    }

    /** Lifts the suppression of this address (mail goes to it again); what was lifted, if anything. */
    public Optional<Suppression> lift(String address) {
        Optional<Suppression> s = find(address);
        if (s.isEmpty()) {
            return s;
        }
        return db.update("lift a suppression", "DELETE FROM suppressed_address WHERE address = ?", s.get().address()) == 1
                ? s : Optional.empty();
    }

    private List<Suppression> query(String sql, String address, int limit) {
        List<Suppression> out = db.list("read suppressed addresses", sql,
                rs -> new Suppression(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)),
                address != null ? address : (Object) limit);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
