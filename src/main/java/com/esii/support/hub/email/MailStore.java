package com.esii.support.hub.email;

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

/**
 * The email channel's tables: receipts (verdicts), seen keys, mailbox start points (suppressed addresses are
 * {@link com.esii.support.hub.mail.Suppressions}).
 */
@ApplicationScoped
public class MailStore {

    private final DataSource ds;

    public MailStore(DataSource ds) {
        this.ds = ds;
    }

    /** A verdict as listed to operators. */
    public record Receipt(long id, String mailbox, String messageId, String sender, String subject, String verdict,
            String reason, Long ticketId, String ticketNumber, Long rawId, OffsetDateTime receivedAt) {
    }

    public long insertReceipt(String mailbox, ParsedMail m, Verdict verdict, String reason, Long ticketId, Long rawId,
            OffsetDateTime now) {
        String sql = "INSERT INTO mail_receipt (mailbox, message_id, sender, subject, verdict, reason, ticket_id, raw_id,"
                + " received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, mailbox);
            ps.setString(2, m == null ? null : cut(m.messageId(), 998));
            ps.setString(3, m == null ? null : cut(m.fromAddress(), 320));
            ps.setString(4, m == null ? null : cut(m.subject(), 1000));
            ps.setString(5, verdict.name());
            ps.setString(6, cut(reason, 2000));
            setLong(ps, 7, ticketId);
            setLong(ps, 8, rawId);
            ps.setObject(9, now);
            ps.executeUpdate();
            try (ResultSet k = ps.getGeneratedKeys()) {
                k.next();
                return k.getLong(1);
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not record a mail verdict", e);
        }
    }

    /** The receipt that first saw this key, if any. */
    public Optional<Long> seen(String key) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT receipt_id FROM mail_seen WHERE mail_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read seen mails", e);
        }
    }

    /** Links a seen key to the receipt of the mail that took it. */
    public void linkSeen(String key, long receiptId) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE mail_seen SET receipt_id = ? WHERE mail_key = ?")) {
            ps.setLong(1, receiptId);
            ps.setString(2, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not link a seen mail to its receipt", e);
        }
    }

    /** Marks a key seen; a unique violation here means another replica took the same mail at the same time. */
    public void markSeen(String key, long receiptId, OffsetDateTime now) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO mail_seen (mail_key, receipt_id, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, key);
            ps.setLong(2, receiptId);
            ps.setObject(3, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not mark a mail seen", e);
        }
    }

    /** The first UID to answer in a mailbox; set on the first start. */
    public Optional<long[]> mailboxState(String mailbox) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT uid_validity, first_uid FROM mailbox_state WHERE mailbox = ?")) {
            ps.setString(1, mailbox);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new long[] { rs.getLong(1), rs.getLong(2) }) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read mailbox state", e);
        }
    }

    public void saveMailboxState(String mailbox, long uidValidity, long firstUid, OffsetDateTime now) {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM mailbox_state WHERE mailbox = ?")) {
                del.setString(1, mailbox);
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO mailbox_state (mailbox, uid_validity, first_uid, created_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, mailbox);
                ps.setLong(2, uidValidity);
                ps.setLong(3, firstUid);
                ps.setObject(4, now);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            if (!LedgerException.isUniqueViolation(e)) {
                throw new LedgerException("Could not save mailbox state", e);
            }
        }
    }

    public List<Receipt> receipts(String verdict, int limit) {
        String sql = "SELECT r.id, r.mailbox, r.message_id, r.sender, r.subject, r.verdict, r.reason, r.ticket_id,"
                + " t.number, r.raw_id, r.received_at FROM mail_receipt r LEFT JOIN ticket t ON t.id = r.ticket_id"
                + (verdict == null ? "" : " WHERE r.verdict = ?") + " ORDER BY r.id DESC LIMIT ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (verdict != null) {
                ps.setString(i++, verdict);
            }
            ps.setInt(i, limit);
            List<Receipt> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long t = rs.getLong(8);
                    Long ticketId = rs.wasNull() ? null : t;
                    long r = rs.getLong(10);
                    Long rawId = rs.wasNull() ? null : r;
                    out.add(new Receipt(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), ticketId, rs.getString(9), rawId,
                            rs.getObject(11, OffsetDateTime.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("Could not list mail verdicts", e);
        }
    }

    public Optional<byte[]> raw(long receiptId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT c.content FROM mail_receipt r JOIN raw_content c ON c.id = r.raw_id WHERE r.id = ?")) {
            ps.setLong(1, receiptId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read a raw mail", e);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
