package com.esii.support.hub.phone;

import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.CallLog;
import com.esii.support.hub.util.DatabaseException;
import com.esii.support.hub.util.Hashes;
import com.esii.support.hub.util.Sql;

/**
 * The phone channel's tables: segments as received, assembled calls, rejected lines. Each call is its own statement
 * ({@link Sql}); callers own the transaction.
 */
@ApplicationScoped
public class PhoneLedger implements CallLog {

    static final int MAX_LINE = 4000;

    private final Sql db;
    private final ZoneId zone;

    public PhoneLedger(DataSource ds, PhoneConfig config) {
        this.db = new Sql(ds);
        this.zone = ZoneId.of(config.zone());
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
        try {
            return db.one("reach the database", "SELECT 1", rs -> true).orElse(false);
        } catch (DatabaseException e) {
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
            OffsetDateTime t = db.one("read " + table, "SELECT max(received_at) FROM " + table,
                    rs -> rs.getObject(1, OffsetDateTime.class)).orElse(null);
            if (t != null && (last == null || t.isAfter(last))) {
                last = t;
            }
        }
        return Optional.ofNullable(last);
    }

    /** Stores a segment unless the same line was stored before; true when it is new. */
    public boolean insertSegment(SmdrRecord r, OffsetDateTime callStart, String peer, OffsetDateTime now) {
        String sha = Hashes.sha256Hex(r.line().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return db.update("store an SMDR segment", "INSERT INTO phone_call_segment (call_id, call_start, continuation,"
                + " line_sha256, line, peer, received_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
                + " (SELECT 1 FROM phone_call_segment WHERE line_sha256 = ?)", r.callId(), callStart, r.continuation(),
                sha, text(cut(r.line(), MAX_LINE)), text(cut(peer, 100)), now, sha) == 1;
    }

    /** The stored lines of a call, in the order they arrived. */
    public List<String> segmentLines(long callId, OffsetDateTime callStart) {
        return db.list("read SMDR segments", "SELECT line FROM phone_call_segment WHERE call_id = ? AND call_start = ?"
                + " ORDER BY id", rs -> rs.getString(1), callId, callStart);
    }

    /** Calls whose final segment has not come, and whose last segment arrived before {@code before}. */
    public List<Object[]> incompleteCalls(OffsetDateTime before, int limit) {
        return db.list("read SMDR segments", "SELECT s.call_id, s.call_start FROM phone_call_segment s WHERE NOT EXISTS"
                + " (SELECT 1 FROM phone_call p WHERE p.call_id = s.call_id AND p.call_start = s.call_start)"
                + " GROUP BY s.call_id, s.call_start HAVING max(s.received_at) < ? ORDER BY s.call_start LIMIT " + limit,
                rs -> new Object[] { rs.getLong(1), rs.getObject(2, OffsetDateTime.class) }, before);
    }

    public Optional<StoredCall> findCall(long callId, OffsetDateTime callStart) {
        return db.one("read a call", "SELECT id, customer_status, customer_code, ticket_id FROM phone_call"
                + " WHERE call_id = ? AND call_start = ?", rs -> new StoredCall(rs.getLong(1), rs.getString(2),
                        rs.getString(3), (Long) rs.getObject(4, Long.class)), callId, callStart);
    }

    private static final String CALL_FIGURES = "direction, outcome, caller, called_number, dialled_number,"
            + " ring_seconds, answer_seconds, talk_seconds, hold_seconds, park_seconds, agent_extension, agent_name,"
            + " account_code, segments, complete";

    public long insertCall(PhoneCall call, OffsetDateTime callStart, OffsetDateTime now) {
        List<Object> args = new ArrayList<>(Arrays.asList(call.callId(), callStart));
        args.addAll(figures(call));
        args.add(now);
        return db.insert("store a call", "INSERT INTO phone_call (call_id, call_start, " + CALL_FIGURES
                + ", customer_status, assembled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'NONE', ?)",
                args.toArray());
    }

    /** A late segment changed the call: its figures are written again (its customer and ticket stay). */
    public void updateCall(long id, PhoneCall call, OffsetDateTime now) {
        StringBuilder sql = new StringBuilder("UPDATE phone_call SET assembled_at = ?");
        for (String col : CALL_FIGURES.split(",")) {
            sql.append(", ").append(col.strip()).append(" = ?");
        }
        sql.append(" WHERE id = ?");
        List<Object> args = new ArrayList<>(Arrays.asList(now));
        args.addAll(figures(call));
        args.add(id);
        db.update("update a call", sql.toString(), args.toArray());
    }

    /** The arguments of {@link #CALL_FIGURES}, in its order. */
    private static List<Object> figures(PhoneCall call) {
        return Arrays.asList(call.direction().name(), call.outcome().name(), text(cut(call.caller(), 64)),
                text(cut(call.calledNumber(), 64)), text(cut(call.dialledNumber(), 64)), call.ringSeconds(),
                Sql.typed(call.answerSeconds(), Types.INTEGER), call.talkSeconds(), call.holdSeconds(),
                call.parkSeconds(), text(cut(call.agentExtension(), 32)), text(cut(call.agentName(), 100)),
                text(cut(call.accountCode(), 64)), call.segments(), call.complete());
    }

    public void setCustomer(long id, String status, String customerCode, String reason, Long ticketId) {
        db.update("update a call", "UPDATE phone_call SET customer_status = ?, customer_code = ?, customer_reason = ?,"
                + " ticket_id = ? WHERE id = ?", text(status), text(customerCode), text(cut(reason, 300)),
                Sql.typed(ticketId, Types.BIGINT), id);
    }

    /** Calls whose customer could not be looked up (the ERP was down), oldest first. */
    public List<Long> callsWithUnknownCustomer(int limit) {
        return db.list("read calls", "SELECT id FROM phone_call WHERE customer_status = 'UNKNOWN' ORDER BY id LIMIT "
                + limit, rs -> rs.getLong(1));
    }

    /** The call's segment lines, by the call's row id (its call id and start, then its stored lines). */
    public Optional<Object[]> callKey(long id) {
        return db.one("read a call", "SELECT call_id, call_start, customer_status FROM phone_call WHERE id = ? FOR UPDATE",
                rs -> new Object[] { rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3) }, id);
    }

    public void insertRejected(String line, String reason, String peer, OffsetDateTime now) {
        db.update("record a rejected SMDR line", "INSERT INTO phone_rejected_line (line, reason, peer, received_at)"
                + " VALUES (?, ?, ?, ?)", text(cut(line, MAX_LINE)), text(cut(reason, 500)), text(cut(peer, 100)), now);
    }

    public List<Rejected> rejected(int limit) {
        return db.list("read rejected SMDR lines", "SELECT id, line, reason, peer, received_at FROM phone_rejected_line"
                + " ORDER BY id DESC LIMIT " + limit, rs -> new Rejected(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getObject(5, OffsetDateTime.class)));
    }

    /** Calls starting in [from, to), newest first; of one customer when {@code customer} is given. */
    public List<CallView> calls(OffsetDateTime from, OffsetDateTime to, String customer, int limit,
            java.time.ZoneId zone) {
        return calls(from, to, customer, limit, 0, zone);
    }

    /** The same, {@code limit} from {@code offset}. */
    public List<CallView> calls(OffsetDateTime from, OffsetDateTime to, String customer, int limit, int offset,
            java.time.ZoneId zone) {
        String sql = "SELECT p.id, p.call_id, p.call_start, p.direction, p.outcome, p.caller, p.called_number,"
                + " p.ring_seconds, p.answer_seconds, p.talk_seconds, p.hold_seconds, p.agent_extension, p.agent_name,"
                + " p.account_code, p.segments, p.complete, p.customer_status, p.customer_code, p.customer_reason,"
                + " t.number FROM phone_call p LEFT JOIN ticket t ON t.id = p.ticket_id"
                + " WHERE p.call_start >= ? AND p.call_start < ?" + (customer == null ? "" : " AND p.customer_code = ?")
                + " ORDER BY p.call_start DESC, p.id DESC LIMIT " + limit + " OFFSET " + offset;
        Object[] args = customer == null ? new Object[] { from, to } : new Object[] { from, to, customer };
        return db.list("read calls", sql, rs -> new CallView(rs.getLong(1), rs.getLong(2),
                rs.getObject(3, OffsetDateTime.class).atZoneSameInstant(zone).toOffsetDateTime(),
                rs.getString(4).toLowerCase(java.util.Locale.ROOT),
                rs.getString(5).toLowerCase(java.util.Locale.ROOT).replace('_', '-'), rs.getString(6),
                rs.getString(7), rs.getInt(8), (Integer) rs.getObject(9, Integer.class), rs.getInt(10),
                rs.getInt(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getInt(15),
                rs.getBoolean(16), rs.getString(17), rs.getString(18), rs.getString(19), rs.getString(20)), args);
    }

    /** One inbound call, for the figures. */
    @Override
    public ZoneId zone() {
        return zone;
    }

    @Override
    public List<InboundCall> inboundCalls(OffsetDateTime from, OffsetDateTime to) {
        return db.list("read calls", "SELECT call_start, outcome, answer_seconds, talk_seconds FROM phone_call"
                + " WHERE direction = 'INBOUND' AND call_start >= ? AND call_start < ?",
                rs -> new InboundCall(rs.getObject(1, OffsetDateTime.class), rs.getString(2),
                        (Integer) rs.getObject(3, Integer.class), rs.getInt(4)), from, to);
    }

    /** A string bound as {@code setString} binds it: a null as a typed VARCHAR null. */
    private static Object text(String s) {
        return Sql.typed(s, Types.VARCHAR);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
