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
 * lease expires.
 */
@ApplicationScoped
public class Outbox {

    private static final String COLUMNS = "id, type, lane, ticket_id, payload, status, attempts, next_attempt_at,"
            + " last_error, created_at, done_at";

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
        String sql = "INSERT INTO outbox (type, lane, ticket_id, payload, status, attempts, next_attempt_at, created_at,"
                + " recipient) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)";
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
            ps.setObject(6, now);
            ps.setString(7, recipient == null ? null : recipient.toLowerCase(java.util.Locale.ROOT));
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
     * Ids of rows due now that are free to claim: pending, due, not leased, and first pending row of their lane
     * (so that one lane's rows are performed in order). Mails to customers come first: a burst of tickets must not
     * queue the acknowledgements behind its Jira requests and ERP records.
     */
    public List<Long> due(OffsetDateTime now, int limit) {
        String sql = "SELECT o.id FROM outbox o WHERE o.status = 'PENDING' AND o.next_attempt_at <= ?"
                + " AND (o.claimed_until IS NULL OR o.claimed_until < ?)"
                + " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.lane = o.lane AND p.status = 'PENDING' AND p.id < o.id)"
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

    /** Claims a row for {@code node} until {@code until}; false when another replica holds it or it is no longer pending. */
    public boolean claim(long id, String node, OffsetDateTime now, OffsetDateTime until) {
        String sql = "UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id = ? AND status = 'PENDING'"
                + " AND (claimed_until IS NULL OR claimed_until < ?)";
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

    /** Marks a claimed row done; false when the claim was lost meanwhile (another replica took it over). */
    public boolean done(long id, String node, OffsetDateTime now) {
        return update("UPDATE outbox SET status = 'DONE', done_at = ?, attempts = attempts + 1, claimed_by = NULL,"
                + " claimed_until = NULL, last_error = NULL WHERE id = ? AND claimed_by = ?", now, id, node);
    }

    /**
     * Hands a claimed row back without an attempt (a stopping replica that had not started it): another replica may
     * claim it at once. False when the claim was no longer ours.
     */
    public boolean release(long id, String node) {
        String sql = "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?"
                + " AND status = 'PENDING'";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.setString(2, node);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("Could not release outbox row " + id, e);
        }
    }

    /** Records a failed attempt and when to try again. */
    public boolean retry(long id, String node, OffsetDateTime next, String error) {
        return update("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, claimed_by = NULL,"
                + " claimed_until = NULL, last_error = ? WHERE id = ? AND claimed_by = ?", next, truncate(error), id, node);
    }

    /** Gives up on a row: it stays visible as DEAD until an operator replays it. */
    public boolean dead(long id, String node, OffsetDateTime now, String error) {
        return update("UPDATE outbox SET status = 'DEAD', attempts = attempts + 1, done_at = ?, claimed_by = NULL,"
                + " claimed_until = NULL, last_error = ? WHERE id = ? AND claimed_by = ?", now, truncate(error), id, node);
    }

    /** Puts a dead row back in the queue with a fresh retry budget. */
    public boolean replay(long id, OffsetDateTime now) {
        String sql = "UPDATE outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ?, done_at = NULL"
                + " WHERE id = ? AND status = 'DEAD'";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, now);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("Could not replay outbox row " + id, e);
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
                rs.getString(9), rs.getObject(10, OffsetDateTime.class), rs.getObject(11, OffsetDateTime.class));
    }
}
