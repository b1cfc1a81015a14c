package com.esii.support.hub.phone;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.LedgerException;
import com.esii.support.hub.util.Hashes;

/**
 * The phone channel's tables: segments as received, assembled calls, rejected lines. Plain JDBC; callers own the
 * transaction.
 */
@ApplicationScoped
public class PhoneLedger {

    static final int MAX_LINE = 4000;

    private final DataSource ds;

    public PhoneLedger(DataSource ds) {
        this.ds = ds;
    }

    /** A stored call: its row id, how its customer was found, and its ticket. */
    public record StoredCall(long id, String customerStatus, String customerCode, Long ticketId) {
    }

    /** A call as operators see it. */
    public record CallView(long id, long callId, OffsetDateTime callStart, String direction, String outcome,
            String caller, String calledNumber, int ringSeconds, Integer answerSeconds, int talkSeconds,
            int holdSeconds, String agentExtension, String agentName, String accountCode, int segments,
            boolean complete, String customerStatus, String customerCode, String customerReason, String ticket) {
    }

    /** A line that was not a record. */
    public record Rejected(long id, String line, String reason, String peer, OffsetDateTime receivedAt) {
    }

    public boolean databaseUp() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * When the last line from the phone system was stored (a segment, or a line rejected as no record), if any was:
     * the hub's time of receipt.
     */
    public Optional<OffsetDateTime> lastLineReceivedAt() {
        OffsetDateTime last = null;
        for (String table : List.of("phone_call_segment", "phone_rejected_line")) {
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT max(received_at) FROM " + table);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                if (t != null && (last == null || t.isAfter(last))) {
                    last = t;
                }
            } catch (SQLException e) {
                throw new LedgerException("Could not read " + table, e);
            }
        }
        return Optional.ofNullable(last);
    }

    /** Stores a segment unless the same line was stored before; true when it is new. */
    public boolean insertSegment(SmdrRecord r, OffsetDateTime callStart, String peer, OffsetDateTime now) {
        String sha = Hashes.sha256Hex(r.line().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String sql = "INSERT INTO phone_call_segment (call_id, call_start, continuation, line_sha256, line, peer,"
                + " received_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
                + " (SELECT 1 FROM phone_call_segment WHERE line_sha256 = ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, r.callId());
            ps.setObject(2, callStart);
            ps.setBoolean(3, r.continuation());
            ps.setString(4, sha);
            ps.setString(5, cut(r.line(), MAX_LINE));
            ps.setString(6, cut(peer, 100));
            ps.setObject(7, now);
            ps.setString(8, sha);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("Could not store an SMDR segment", e);
        }
    }

    /** The stored lines of a call, in the order they arrived. */
    public List<String> segmentLines(long callId, OffsetDateTime callStart) {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT line FROM phone_call_segment WHERE call_id = ? AND call_start = ? ORDER BY id")) {
            ps.setLong(1, callId);
            ps.setObject(2, callStart);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read SMDR segments", e);
        }
        return out;
    }

    /** Calls whose final segment has not come, and whose last segment arrived before {@code before}. */
    public List<Object[]> incompleteCalls(OffsetDateTime before, int limit) {
        List<Object[]> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT s.call_id, s.call_start FROM phone_call_segment s WHERE NOT EXISTS (SELECT 1 FROM phone_call p"
                        + " WHERE p.call_id = s.call_id AND p.call_start = s.call_start)"
                        + " GROUP BY s.call_id, s.call_start HAVING max(s.received_at) < ? ORDER BY s.call_start"
                        + " LIMIT " + limit)) {
            ps.setObject(1, before);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Object[] { rs.getLong(1), rs.getObject(2, OffsetDateTime.class) });
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read SMDR segments", e);
        }
        return out;
    }

    public Optional<StoredCall> findCall(long callId, OffsetDateTime callStart) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, customer_status, customer_code, ticket_id FROM phone_call WHERE call_id = ? AND call_start = ?")) {
            ps.setLong(1, callId);
            ps.setObject(2, callStart);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new StoredCall(rs.getLong(1), rs.getString(2), rs.getString(3),
                        (Long) rs.getObject(4, Long.class))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read a call", e);
        }
    }

    private static final String CALL_FIGURES = "direction, outcome, caller, called_number, dialled_number,"
            + " ring_seconds, answer_seconds, talk_seconds, hold_seconds, park_seconds, agent_extension, agent_name,"
            + " account_code, segments, complete";

    public long insertCall(PhoneCall call, OffsetDateTime callStart, OffsetDateTime now) {
        String sql = "INSERT INTO phone_call (call_id, call_start, " + CALL_FIGURES
                + ", customer_status, assembled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'NONE', ?)";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, call.callId());
            ps.setObject(2, callStart);
            int next = bindFigures(ps, 3, call);
            ps.setObject(next, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not store a call", e);
        }
    }

    /** A late segment changed the call: its figures are written again (its customer and ticket stay). */
    public void updateCall(long id, PhoneCall call, OffsetDateTime now) {
        StringBuilder sql = new StringBuilder("UPDATE phone_call SET assembled_at = ?");
        for (String col : CALL_FIGURES.split(",")) {
            sql.append(", ").append(col.strip()).append(" = ?");
        }
        sql.append(" WHERE id = ?");
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setObject(1, now);
            int next = bindFigures(ps, 2, call);
            ps.setLong(next, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not update a call", e);
        }
    }

    private static int bindFigures(PreparedStatement ps, int first, PhoneCall call) throws SQLException {
        int i = first;
        ps.setString(i++, call.direction().name());
        ps.setString(i++, call.outcome().name());
        ps.setString(i++, cut(call.caller(), 64));
        ps.setString(i++, cut(call.calledNumber(), 64));
        ps.setString(i++, cut(call.dialledNumber(), 64));
        ps.setInt(i++, call.ringSeconds());
        ps.setObject(i++, call.answerSeconds(), Types.INTEGER);
        ps.setInt(i++, call.talkSeconds());
        ps.setInt(i++, call.holdSeconds());
        ps.setInt(i++, call.parkSeconds());
        ps.setString(i++, cut(call.agentExtension(), 32));
        ps.setString(i++, cut(call.agentName(), 100));
        ps.setString(i++, cut(call.accountCode(), 64));
        ps.setInt(i++, call.segments());
        ps.setBoolean(i++, call.complete());
        return i;
    }

    public void setCustomer(long id, String status, String customerCode, String reason, Long ticketId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE phone_call SET customer_status = ?, customer_code = ?, customer_reason = ?, ticket_id = ?"
                        + " WHERE id = ?")) {
            ps.setString(1, status);
            ps.setString(2, customerCode);
            ps.setString(3, cut(reason, 300));
            ps.setObject(4, ticketId, Types.BIGINT);
            ps.setLong(5, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not update a call", e);
        }
    }

    /** Calls whose customer could not be looked up (the ERP was down), oldest first. */
    public List<Long> callsWithUnknownCustomer(int limit) {
        List<Long> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM phone_call WHERE customer_status = 'UNKNOWN' ORDER BY id LIMIT " + limit);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read calls", e);
        }
        return out;
    }

    /** The call's segment lines, by the call's row id (its call id and start, then its stored lines). */
    public Optional<Object[]> callKey(long id) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT call_id, call_start, customer_status FROM phone_call WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Object[] { rs.getLong(1), rs.getObject(2, OffsetDateTime.class),
                        rs.getString(3) }) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read a call", e);
        }
    }

    public void insertRejected(String line, String reason, String peer, OffsetDateTime now) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO phone_rejected_line (line, reason, peer, received_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, cut(line, MAX_LINE));
            ps.setString(2, cut(reason, 500));
            ps.setString(3, cut(peer, 100));
            ps.setObject(4, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not record a rejected SMDR line", e);
        }
    }

    public List<Rejected> rejected(int limit) {
        List<Rejected> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, line, reason, peer, received_at FROM phone_rejected_line ORDER BY id DESC LIMIT " + limit);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Rejected(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class)));
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read rejected SMDR lines", e);
        }
        return out;
    }

    /** Calls starting in [from, to), newest first; of one customer when {@code customer} is given. */
    public List<CallView> calls(OffsetDateTime from, OffsetDateTime to, String customer, int limit,
            java.time.ZoneId zone) {
        List<CallView> out = new ArrayList<>();
        String sql = "SELECT p.id, p.call_id, p.call_start, p.direction, p.outcome, p.caller, p.called_number,"
                + " p.ring_seconds, p.answer_seconds, p.talk_seconds, p.hold_seconds, p.agent_extension, p.agent_name,"
                + " p.account_code, p.segments, p.complete, p.customer_status, p.customer_code, p.customer_reason,"
                + " t.number FROM phone_call p LEFT JOIN ticket t ON t.id = p.ticket_id"
                + " WHERE p.call_start >= ? AND p.call_start < ?" + (customer == null ? "" : " AND p.customer_code = ?")
                + " ORDER BY p.call_start DESC, p.id DESC LIMIT " + limit;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            if (customer != null) {
                ps.setString(3, customer);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CallView(rs.getLong(1), rs.getLong(2),
                            rs.getObject(3, OffsetDateTime.class).atZoneSameInstant(zone).toOffsetDateTime(),
                            rs.getString(4).toLowerCase(java.util.Locale.ROOT),
                            rs.getString(5).toLowerCase(java.util.Locale.ROOT).replace('_', '-'), rs.getString(6),
                            rs.getString(7), rs.getInt(8), (Integer) rs.getObject(9, Integer.class), rs.getInt(10),
                            rs.getInt(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getInt(15),
                            rs.getBoolean(16), rs.getString(17), rs.getString(18), rs.getString(19),
                            rs.getString(20)));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read calls", e);
        }
        return out;
    }

    /** One inbound call, for the figures. */
    public record InboundCall(OffsetDateTime callStart, String outcome, Integer answerSeconds, int talkSeconds) {
    }

    public List<InboundCall> inboundCalls(OffsetDateTime from, OffsetDateTime to) {
        List<InboundCall> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT call_start, outcome, answer_seconds, talk_seconds FROM phone_call"
                        + " WHERE direction = 'INBOUND' AND call_start >= ? AND call_start < ?")) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new InboundCall(rs.getObject(1, OffsetDateTime.class), rs.getString(2),
                            (Integer) rs.getObject(3, Integer.class), rs.getInt(4)));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read calls", e);
        }
        return out;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
