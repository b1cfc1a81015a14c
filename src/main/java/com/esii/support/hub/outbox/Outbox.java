package com.esii.support.hub.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.LedgerException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The outbox table. {@link #enqueue} joins the caller's transaction (so a side effect is recorded with the ticket
 * it belongs to, or not at all); the relay's operations each run on their own.
 *
 * <p>Claims are leases: a replica owns a claimed row until {@code claimed_until}; the conditional UPDATE makes two
 * replicas unable to claim the same row, and a replica that dies leaves rows that another takes over once the
 * lease expires. Times compared here are the database's ({@code CURRENT_TIMESTAMP}, or a reading of
 * {@code cluster.DatabaseClock} passed in), never a replica's own clock.
 *
 * <p>A claim counts as an attempt ({@code attempts} and {@code claims} go up when the row is claimed): a replica
 * killed while performing the row leaves it with {@code claims > 1} for the next one, whose handler then asks the
 * target whether the write already happened ({@link OutboxRow#mayHaveReachedTarget()}).
 *
 * <p>Rows of one lane are performed in id order, and a DEAD row holds the rows after it in its lane until an
 * operator replays it ({@link #replay}) or skips it ({@link #skip}).
 */
@ApplicationScoped
public class Outbox {

    private static final String COLUMNS = "id, type, lane, ticket_id, payload, status, attempts, next_attempt_at,"
            + " last_error, created_at, done_at, claims";
    /** An earlier row of the same lane that is still to do or dead: it holds the row (lanes are performed in order). */
    private static final String HELD = "EXISTS (SELECT 1 FROM outbox p WHERE p.lane = o.lane"
            + " AND p.status IN ('PENDING', 'DEAD') AND p.id < o.id)";

    private final DataSource ds;
    private final ObjectMapper json;

    public Outbox(DataSource ds, ObjectMapper json) {
        this.ds = ds;
        this.json = json;
    }

    /** Records a side effect to perform; call inside the transaction that makes it necessary. */
    public long enqueue(String type, String lane, Long ticketId, Object payload, OffsetDateTime now) {
        return enqueue(type, lane, ticketId, null, payload, now);
    }

    /** As {@link #enqueue(String, String, Long, Object, OffsetDateTime)}, for an automatic mail to {@code recipient}. */
    public long enqueue(String type, String lane, Long ticketId, String recipient, Object payload, OffsetDateTime now) {
        String body;
        try {
            body = payload instanceof String s ? s : json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Outbox payload cannot be serialised", e);
        }
        // Due at once by the database's clock (a replica whose clock is ahead must not delay its rows).
        String sql = "INSERT INTO outbox (type, lane, ticket_id, payload, status, attempts, next_attempt_at, created_at,"
                + " recipient) VALUES (?, ?, ?, ?, 'PENDING', 0, CURRENT_TIMESTAMP, ?, ?)";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql, java.sql.Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, type);
            ps.setString(2, lane);
            if (ticketId == null) {
                ps.setNull(3, Types.BIGINT);
            } else {
                ps.setLong(3, ticketId);
            }
            ps.setString(4, body);
            ps.setObject(5, now);
            ps.setString(6, recipient == null ? null : recipient.toLowerCase(java.util.Locale.ROOT));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not write to the outbox", e);
        }
    }

    /**
     * Ids of rows due at {@code now} (the database's time) that are free to claim: pending, due, not leased, and
     * first of their lane that is neither pending nor dead (so that one lane's rows are performed in order, and a
     * dead row holds the rest). Mails to customers come first: a burst of tickets must not queue the
     * acknowledgements behind its Jira requests and ERP records.
     */
    public List<Long> due(OffsetDateTime now, int limit) {
        String sql = "SELECT o.id FROM outbox o WHERE o.status = 'PENDING' AND o.next_attempt_at <= ?"
                + " AND (o.claimed_until IS NULL OR o.claimed_until < ?)"
                + " AND NOT " + HELD
                + " ORDER BY CASE WHEN o.type LIKE 'mail-%' THEN 0 ELSE 1 END, o.next_attempt_at, o.id LIMIT ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, now);
            ps.setObject(2, now);
            ps.setInt(3, limit);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new LedgerException("Could not read the outbox", e);
        }
    }

    /**
     * Claims a row for {@code node} until {@code until} ({@code now} and {@code until}: the database's time); false
     * when another replica holds it or it is no longer pending. The claim is the attempt: it is counted before
     * anything is sent, so that a replica killed mid-way leaves a row that says it may have been performed.
     */
    public boolean claim(long id, String node, OffsetDateTime now, OffsetDateTime until) {
        String sql = "UPDATE outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1, claims = claims + 1"
                + " WHERE id = ? AND status = 'PENDING' AND (claimed_until IS NULL OR claimed_until < ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, node);
            ps.setObject(2, until);
            ps.setLong(3, id);
            ps.setObject(4, now);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("Could not claim outbox row " + id, e);
        }
    }

    public Optional<OutboxRow> find(long id) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read outbox row " + id, e);
        }
    }

    /**
     * Marks a claimed row done; false when the claim was lost meanwhile (another replica took it over). Its
     * payload's access tokens go with it ({@link #withoutTokens}): they were only kept to write the mail.
     */
    public boolean done(OutboxRow row, String node, OffsetDateTime now) {
        String sql = "UPDATE outbox SET status = 'DONE', done_at = ?, claimed_by = NULL, claimed_until = NULL,"
                + " last_error = NULL, failing_since = NULL, payload = ? WHERE id = ? AND claimed_by = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, now);
            ps.setString(2, withoutTokens(row.payload()));
            ps.setLong(3, row.id());
            ps.setString(4, node);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("Could not update outbox row " + row.id(), e);
        }
    }

    /**
     * The payload without its access tokens: every field named {@value #TOKEN} (a customer's link to their request
     * page, issued for one mail) is emptied, at any depth. A row keeps them while it may still be sent (pending,
     * dead and replayable) and loses them once sent or skipped, so that the database keeps tokens only as hashes.
     */
    String withoutTokens(String payload) {
        if (payload == null || !payload.contains("\"" + TOKEN + "\"")) {
            return payload;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode tree = json.readTree(payload);
            tree.findParents(TOKEN).forEach(p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p).putNull(TOKEN));
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            return payload; // not JSON: nothing of ours to scrub
        }
    }

    /** The payload field holding an access token ({@link #withoutTokens}). */
    static final String TOKEN = "token";

    /**
     * Hands a claimed row back without an attempt (a stopping replica that had not started it): another replica may
     * claim it at once. False when the claim was no longer ours.
     */
    public boolean release(long id, String node) {
        String sql = "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, attempts = attempts - 1,"
                + " claims = claims - 1 WHERE id = ? AND claimed_by = ? AND status = 'PENDING'";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.setString(2, node);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("Could not release outbox row " + id, e);
        }
    }

    /**
     * Records a failed attempt and when to try again ({@code next}: the database's time); {@code failingSince}
     * is when the target started failing (kept from the first failure: see {@link #overdue}).
     */
    public boolean retry(long id, String node, OffsetDateTime next, String error, OffsetDateTime failingSince) {
        String sql = "UPDATE outbox SET next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL, last_error = ?,"
                + " failing_since = COALESCE(failing_since, ?) WHERE id = ? AND claimed_by = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, next);
            ps.setString(2, truncate(error));
            ps.setObject(3, failingSince);
            ps.setLong(4, id);
            ps.setString(5, node);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("Could not update outbox row " + id, e);
        }
    }

    /** Gives up on a row: it stays visible as DEAD, holding its lane, until an operator replays or skips it. */
    public boolean dead(long id, String node, OffsetDateTime now, String error) {
        return update("UPDATE outbox SET status = 'DEAD', done_at = ?, claimed_by = NULL,"
                + " claimed_until = NULL, last_error = ? WHERE id = ? AND claimed_by = ?", now, truncate(error), id, node);
    }

    /**
     * Puts a dead row back in the queue with a fresh retry budget (its {@code claims} are kept: it may have reached
     * its target, so its handler asks first).
     */
    public boolean replay(long id, OffsetDateTime now) {
        String sql = "UPDATE outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ?, done_at = NULL,"
                + " failing_since = NULL WHERE id = ? AND status = 'DEAD'";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, now);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("Could not replay outbox row " + id, e);
        }
    }

    /** An operator gives up on a dead row for good: it is kept as SKIPPED and no longer holds its lane. */
    public boolean skip(long id, OffsetDateTime now) {
        Optional<OutboxRow> row = find(id);
        if (row.isEmpty()) {
            return false;
        }
        String sql = "UPDATE outbox SET status = 'SKIPPED', done_at = ?, payload = ? WHERE id = ? AND status = 'DEAD'";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, now);
            ps.setString(2, withoutTokens(row.get().payload()));
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("Could not skip outbox row " + id, e);
        }
    }

    /** Pending rows held behind a dead row of their lane. */
    public long held() {
        return single("SELECT count(*) FROM outbox o WHERE o.status = 'PENDING' AND EXISTS (SELECT 1 FROM outbox p"
                + " WHERE p.lane = o.lane AND p.status = 'DEAD' AND p.id < o.id)");
    }

    /** When the oldest pending row was written (held rows included), if any row is pending. */
    public Optional<OffsetDateTime> oldestPending() {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT min(created_at) FROM outbox WHERE status = 'PENDING'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Optional.ofNullable(rs.getObject(1, OffsetDateTime.class));
        } catch (SQLException e) {
            throw new LedgerException("Could not read the outbox", e);
        }
    }

    /**
     * Pending rows, by type, whose target has been failing since before {@code before} (the database's time):
     * what an operator must hear about although the rows keep waiting.
     */
    public Map<String, Long> overdue(OffsetDateTime before) {
        String sql = "SELECT type, count(*) FROM outbox WHERE status = 'PENDING' AND failing_since < ? GROUP BY type";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, before);
            Map<String, Long> counts = new java.util.TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new LedgerException("Could not read the outbox", e);
        }
    }

    private long single(String sql) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new LedgerException("Could not read the outbox", e);
        }
    }

    public Map<OutboxStatus, Long> countByStatus() {
        Map<OutboxStatus, Long> counts = new EnumMap<>(OutboxStatus.class);
        for (OutboxStatus s : OutboxStatus.values()) {
            counts.put(s, 0L);
        }
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT status, count(*) FROM outbox GROUP BY status");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(OutboxStatus.valueOf(rs.getString(1)), rs.getLong(2));
            }
            return counts;
        } catch (SQLException e) {
            throw new LedgerException("Could not count the outbox", e);
        }
    }

    public List<OutboxRow> list(OutboxStatus status, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM outbox WHERE status = ? ORDER BY id DESC LIMIT ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, status.name());
            ps.setInt(2, limit);
            List<OutboxRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new LedgerException("Could not list the outbox", e);
        }
    }

    /** Deletes rows done before {@code before}; dead rows are kept until replayed or handled by hand. */
    public int purgeDone(OffsetDateTime before) {
        String sql = "DELETE FROM outbox WHERE status = 'DONE' AND done_at < ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, before);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not purge the outbox", e);
        }
    }

    private boolean update(String sql, OffsetDateTime time, String error, long id, String node) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, time);
            ps.setString(2, error);
            ps.setLong(3, id);
            ps.setString(4, node);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("Could not update outbox row " + id, e);
        }
    }

    private boolean update(String sql, OffsetDateTime time, long id, String node) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, time);
            ps.setLong(2, id);
            ps.setString(3, node);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("Could not update outbox row " + id, e);
        }
    }

    private static String truncate(String s) {
        if (s == null) {
            return null;
        }
        return s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }

    private static OutboxRow row(ResultSet rs) throws SQLException {
        long ticketId = rs.getLong(4);
        Long ticket = rs.wasNull() ? null : ticketId;
        return new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), ticket, rs.getString(5),
                OutboxStatus.valueOf(rs.getString(6)), rs.getInt(7), rs.getObject(8, OffsetDateTime.class),
                rs.getString(9), rs.getObject(10, OffsetDateTime.class), rs.getObject(11, OffsetDateTime.class),
                rs.getInt(12));
    }
}
