package com.esii.support.hub.email;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.DatabaseException;
import com.esii.support.hub.util.HeldWrites;
import com.esii.support.hub.util.Sql;

/**
 * The email channel's tables: receipts (verdicts), seen keys, mailbox start points (suppressed addresses are
 * {@link com.esii.support.hub.mailkit.Suppressions}).
 */
@ApplicationScoped
public class MailStore {

    private final Sql db;

    public MailStore(DataSource ds) {
        this.db = new Sql(ds);
    }

    /** A verdict as listed to operators. */
    public record Receipt(long id, String mailbox, String messageId, String sender, String subject, String verdict,
            String reason, Long ticketId, String ticketNumber, Long rawId, OffsetDateTime receivedAt) {
    }

    public long insertReceipt(String mailbox, ParsedMail m, Verdict verdict, String reason, Long ticketId, Long rawId,
            OffsetDateTime now) {
        return insertReceipt(mailbox, m, verdict, reason, ticketId, rawId, null, now);
    }

    /**
     * The verdict of a mail; {@code key}: the seen key the mail took in its transaction ({@link MailKeys}), which
     * this receipt names from then on (none for a duplicate or a mail that took no key).
     */
    public long insertReceipt(String mailbox, ParsedMail m, Verdict verdict, String reason, Long ticketId, Long rawId,
            String key, OffsetDateTime now) {
        return db.insert("record a mail verdict", RECORD, receipt(mailbox, m, verdict, reason, ticketId, rawId, key,
                now));
    }

    /** As {@link #insertReceipt(String, ParsedMail, Verdict, String, Long, Long, String, OffsetDateTime)}, for a caller
     * that needs not the receipt's id (then a batch's receipts are written together: {@link HeldWrites}). */
    public void recordReceipt(String mailbox, ParsedMail m, Verdict verdict, String reason, Long ticketId, Long rawId,
            String key, OffsetDateTime now) {
        db.update("record a mail verdict", RECORD, receipt(mailbox, m, verdict, reason, ticketId, rawId, key, now));
    }

    private static final String RECORD = "INSERT INTO mail_receipt (mailbox, message_id, sender, subject, verdict,"
            + " reason, ticket_id, raw_id, mail_key, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static Object[] receipt(String mailbox, ParsedMail m, Verdict verdict, String reason, Long ticketId,
            Long rawId, String key, OffsetDateTime now) {
        return new Object[] { mailbox, m == null ? null : cut(m.messageId(), 998),
                m == null ? null : cut(m.fromAddress(), 320), m == null ? null : cut(m.subject(), 1000), verdict.name(),
                cut(reason, 2000), Sql.typed(ticketId, java.sql.Types.BIGINT), Sql.typed(rawId, java.sql.Types.BIGINT),
                Sql.typed(key, java.sql.Types.VARCHAR), now };
    }

    /**
     * The receipt that first saw this key, if any: the one naming it (V24 on), else the one linked to the key (keys
     * taken before).
     */
    public Optional<Long> seen(String key) {
        return db.one("read seen mails", "SELECT COALESCE((SELECT min(r.id) FROM mail_receipt r WHERE r.mail_key ="
                + " s.mail_key), s.receipt_id) FROM mail_seen s WHERE s.mail_key = ?", rs -> rs.getLong(1), key);
    }

    /** Marks a key seen; a unique violation here means another replica took the same mail at the same time. */
    public void markSeen(String key, long receiptId, OffsetDateTime now) {
        db.update("mark a mail seen", "INSERT INTO mail_seen (mail_key, receipt_id, created_at) VALUES (?, ?, ?)", key,
                receiptId, now);
    }

    /** The first UID to answer in a mailbox; set on the first start. */
    public Optional<long[]> mailboxState(String mailbox) {
        return db.one("read mailbox state", "SELECT uid_validity, first_uid FROM mailbox_state WHERE mailbox = ?",
                rs -> new long[] { rs.getLong(1), rs.getLong(2) }, mailbox);
    }

    public void saveMailboxState(String mailbox, long uidValidity, long firstUid, OffsetDateTime now) {
        try {
            db.update("save mailbox state", "DELETE FROM mailbox_state WHERE mailbox = ?", mailbox);
            db.update("save mailbox state", "INSERT INTO mailbox_state (mailbox, uid_validity, first_uid, created_at)"
                    + " VALUES (?, ?, ?, ?)", mailbox, uidValidity, firstUid, now);
        } catch (DatabaseException e) {
            if (!DatabaseException.isUniqueViolation(e)) {
                throw e;
            }
        }
    }

    private static final String RECEIPT = "SELECT r.id, r.mailbox, r.message_id, r.sender, r.subject, r.verdict,"
            + " r.reason, r.ticket_id, t.number, r.raw_id, r.received_at FROM mail_receipt r LEFT JOIN ticket t"
            + " ON t.id = r.ticket_id";

    public List<Receipt> receipts(String verdict, int limit) {
        return receipts(verdict, limit, 0);
    }

    /** The verdicts (of one kind, when given), the latest first, {@code limit} from {@code offset}. */
    public List<Receipt> receipts(String verdict, int limit, int offset) {
        String sql = RECEIPT + (verdict == null ? "" : " WHERE r.verdict = ?") + " ORDER BY r.id DESC LIMIT ? OFFSET ?";
        Object[] args = verdict == null ? new Object[] { limit, offset } : new Object[] { verdict, limit, offset };
        return db.list("list mail verdicts", sql, MailStore::receipt, args);
    }

    /** One verdict. */
    public Optional<Receipt> receipt(long id) {
        return db.one("read a mail verdict", RECEIPT + " WHERE r.id = ?", MailStore::receipt, id);
    }

    private static Receipt receipt(java.sql.ResultSet rs) throws java.sql.SQLException {
        long t = rs.getLong(8);
        Long ticketId = rs.wasNull() ? null : t;
        long r = rs.getLong(10);
        Long rawId = rs.wasNull() ? null : r;
        return new Receipt(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), ticketId, rs.getString(9), rawId,
                rs.getObject(11, OffsetDateTime.class));
    }

    public Optional<byte[]> raw(long receiptId) {
        return db.one("read a raw mail", "SELECT c.content FROM mail_receipt r JOIN raw_content c ON c.id = r.raw_id"
                + " WHERE r.id = ?", rs -> rs.getBytes(1), receiptId);
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
