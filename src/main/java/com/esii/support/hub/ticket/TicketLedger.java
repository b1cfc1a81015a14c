package com.esii.support.hub.ticket;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.Hashes;

/**
 * The ticket ledger: tickets, their messages, raw content and attachments. Plain JDBC on the hub's data source;
 * callers own the transaction (connections taken inside one are enlisted in it).
 */
@ApplicationScoped
public class TicketLedger {

    private static final String TICKET_COLUMNS = "id, number, channel, customer_name, customer_email, customer_company,"
            + " access_code, product, language, subject, description, kind, criticality, status, access_token_hash,"
            + " jsm_key, created_at, updated_at, contract, priority, kind_rule, criticality_rule, customer_code, on_call,"
            + " hosted, calendar, contract_reason, take_charge_due, taken_in_charge_at, on_site_kind, on_site_decided_at,"
            + " on_site_due, on_site_done_at, quote_required, quote_accepted_at, waiting_since, paused_seconds,"
            + " resolved_at";

    private final DataSource ds;

    public TicketLedger(DataSource ds) {
        this.ds = ds;
    }

    public long nextSequence() {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT nextval('ticket_number_seq')");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new LedgerException("Could not allocate a ticket number", e);
        }
    }

    /** Keeps raw content, once per content: the same bytes kept again (a duplicate mail) name the first copy. */
    public long insertRaw(NewTicket.RawContent raw, OffsetDateTime now) {
        String sha = Hashes.sha256Hex(raw.content());
        return insertRaw(raw.contentType(), sha, raw.content().length, ps -> ps.setBytes(4, raw.content()), now);
    }

    /**
     * Keeps raw content too large to hold in memory, streamed from {@code content} (opened only when these bytes
     * are not kept yet); {@code sha256} (hex) and {@code size} describe it, as {@link #insertRaw(NewTicket.RawContent,
     * OffsetDateTime)} would find them.
     */
    public long insertRaw(String contentType, String sha256, long size,
            java.util.function.Supplier<java.io.InputStream> content, OffsetDateTime now) {
        java.io.InputStream[] opened = new java.io.InputStream[1];
        try {
            return insertRaw(contentType, sha256, size, ps -> {
                opened[0] = content.get();
                ps.setBinaryStream(4, opened[0], size);
            }, now);
        } finally {
            if (opened[0] != null) {
                try {
                    opened[0].close();
                } catch (java.io.IOException ignored) {
                    // read to the end already
                }
            }
        }
    }

    private long insertRaw(String contentType, String sha, long size, Binder content, OffsetDateTime now) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM raw_content WHERE sha256 = ? AND size_bytes = ? AND content_type = ?"
                        + " ORDER BY id LIMIT 1")) {
            ps.setString(1, sha);
            ps.setLong(2, size);
            ps.setString(3, contentType);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read the raw content", e);
        }
        return insert("INSERT INTO raw_content (content_type, sha256, size_bytes, content, created_at)"
                + " VALUES (?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, contentType);
                    ps.setString(2, sha);
                    ps.setLong(3, size);
                    content.bind(ps);
                    ps.setObject(5, now);
                });
    }

    public long insertTicket(Ticket t) {
        return insert("INSERT INTO ticket (number, channel, customer_name, customer_email, customer_company,"
                + " access_code, product, language, subject, description, kind, criticality, status,"
                + " access_token_hash, jsm_key, created_at, updated_at, " + TRIAGE_AND_SLA + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + ", ?".repeat(TRIAGE_AND_SLA_COUNT) + ")",
                ps -> {
                    ps.setString(1, t.number());
                    ps.setString(2, t.channel().name());
                    ps.setString(3, t.customerName());
                    ps.setString(4, t.customerEmail());
                    ps.setString(5, t.customerCompany());
                    ps.setString(6, t.accessCode());
                    ps.setString(7, t.product());
                    ps.setString(8, t.language().code());
                    ps.setString(9, t.subject());
                    ps.setString(10, t.description());
                    ps.setString(11, t.kind() == null ? null : t.kind().name());
                    ps.setString(12, t.criticality() == null ? null : t.criticality().name());
                    ps.setString(13, t.status().name());
                    ps.setString(14, t.accessTokenHash());
                    ps.setString(15, t.jsmKey());
                    ps.setObject(16, t.createdAt());
                    ps.setObject(17, t.updatedAt());
                    bindTriageAndSla(ps, 18, t);
                });
    }

    private static final String TRIAGE_AND_SLA = "contract, priority, kind_rule, criticality_rule, customer_code,"
            + " on_call, hosted, calendar, contract_reason, take_charge_due, taken_in_charge_at, on_site_kind,"
            + " on_site_decided_at, on_site_due, on_site_done_at, quote_required, quote_accepted_at, waiting_since,"
            + " paused_seconds, resolved_at";
    private static final int TRIAGE_AND_SLA_COUNT = TRIAGE_AND_SLA.split(",").length;

    /** Writes the ticket's status, triage and clock (a re-triage, or a step of support's work). */
    public void updateTriageAndSla(Ticket t) {
        StringBuilder sql = new StringBuilder("UPDATE ticket SET status = ?, updated_at = ?");
        for (String col : TRIAGE_AND_SLA.split(",")) {
            sql.append(", ").append(col.strip()).append(" = ?");
        }
        sql.append(" WHERE id = ?");
        execute(sql.toString(), ps -> {
            ps.setString(1, t.status().name());
            ps.setObject(2, t.updatedAt());
            int next = bindTriageAndSla(ps, 3, t);
            ps.setLong(next, t.id());
        });
    }

    private static int bindTriageAndSla(PreparedStatement ps, int first, Ticket t) throws SQLException {
        Ticket.Triage tr = t.triage() == null ? Ticket.Triage.NONE : t.triage();
        Ticket.Sla sla = t.sla() == null ? Ticket.Sla.NONE : t.sla();
        int i = first;
        ps.setString(i++, tr.contract());
        ps.setObject(i++, tr.priority(), Types.INTEGER);
        ps.setString(i++, tr.kindRule());
        ps.setString(i++, tr.criticalityRule());
        ps.setString(i++, tr.customerCode());
        ps.setObject(i++, tr.onCall(), Types.BOOLEAN);
        ps.setObject(i++, tr.hosted(), Types.BOOLEAN);
        ps.setString(i++, tr.calendar());
        ps.setString(i++, cut(tr.contractReason(), 300));
        ps.setObject(i++, sla.takeChargeDue());
        ps.setObject(i++, sla.takenInChargeAt());
        ps.setString(i++, sla.onSiteKind());
        ps.setObject(i++, sla.onSiteDecidedAt());
        ps.setObject(i++, sla.onSiteDue());
        ps.setObject(i++, sla.onSiteDoneAt());
        ps.setBoolean(i++, sla.quoteRequired());
        ps.setObject(i++, sla.quoteAcceptedAt());
        ps.setObject(i++, sla.waitingSince());
        ps.setLong(i++, sla.pausedSeconds());
        ps.setObject(i++, sla.resolvedAt());
        return i;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    public void setRestoredAt(long ticketId, OffsetDateTime at) {
        execute("UPDATE ticket SET restored_at = ? WHERE id = ?", ps -> {
            ps.setObject(1, at);
            ps.setLong(2, ticketId);
        });
    }

    /** The ticket, locked until the end of the transaction (so that two events on it apply one after the other). */
    public Optional<Ticket> lockByNumber(String number) {
        return queryOne("SELECT " + TICKET_COLUMNS + " FROM ticket WHERE number = ? FOR UPDATE",
                ps -> ps.setString(1, number));
    }

    public Optional<Ticket> lockById(long id) {
        return queryOne("SELECT " + TICKET_COLUMNS + " FROM ticket WHERE id = ? FOR UPDATE", ps -> ps.setLong(1, id));
    }

    private Optional<Ticket> queryOne(String sql, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(ticket(rs, 0)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read the ledger", e);
        }
    }

    /** One step in the ticket's history. */
    public record Event(String type, String detail, String source, OffsetDateTime at) {
    }

    public void insertEvent(long ticketId, Event e) {
        insert("INSERT INTO ticket_event (ticket_id, type, detail, source, at) VALUES (?, ?, ?, ?, ?)", ps -> {
            ps.setLong(1, ticketId);
            ps.setString(2, e.type());
            ps.setString(3, cut(e.detail(), 1000));
            ps.setString(4, cut(e.source(), 64));
            ps.setObject(5, e.at());
        });
    }

    public java.util.List<Event> events(long ticketId) {
        java.util.List<Event> out = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT type, detail, source, at FROM ticket_event WHERE ticket_id = ? ORDER BY id")) {
            ps.setLong(1, ticketId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Event(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class)));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read the ledger", e);
        }
        return out;
    }

    /** A message the conversation does not show (the hub's own mails: acknowledgements, notices). */
    public long insertMessage(long ticketId, String direction, Channel channel, String messageId, Long rawId,
            String body, OffsetDateTime now) {
        return insertMessage(ticketId, direction, channel, messageId, rawId, body, null, null, now);
    }

    /**
     * @param visibility PUBLIC (the customer's messages and staff's public replies: the conversation of the request
     *                   page), INTERNAL (staff only), or null (the hub's own mails)
     * @param author     who wrote it, for staff's replies
     */
    public long insertMessage(long ticketId, String direction, Channel channel, String messageId, Long rawId,
            String body, String visibility, String author, OffsetDateTime now) {
        return insert("INSERT INTO ticket_message (ticket_id, direction, channel, message_id, raw_id, body, created_at,"
                + " visibility, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setLong(1, ticketId);
                    ps.setString(2, direction);
                    ps.setString(3, channel.name());
                    ps.setString(4, messageId);
                    if (rawId == null) {
                        ps.setNull(5, Types.BIGINT);
                    } else {
                        ps.setLong(5, rawId);
                    }
                    ps.setString(6, body);
                    ps.setObject(7, now);
                    ps.setString(8, visibility);
                    ps.setString(9, cut(author, 200));
                });
    }

    /** A message of the conversation, with its attachments (without their content). */
    public record ConversationMessage(long id, String direction, Channel channel, String author, String body,
            OffsetDateTime at, java.util.List<AttachmentInfo> attachments) {
    }

    /** An attachment as listed: its row, name, type and size. */
    public record AttachmentInfo(long id, String filename, String contentType, long size) {
    }

    /** The ticket's public messages (the customer's and staff's public replies), oldest first. */
    public java.util.List<ConversationMessage> conversation(long ticketId) {
        java.util.Map<Long, java.util.List<AttachmentInfo>> files = new java.util.HashMap<>();
        java.util.List<ConversationMessage> out = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, message_id, filename, content_type, size_bytes"
                    + " FROM attachment WHERE ticket_id = ? ORDER BY id")) {
                ps.setLong(1, ticketId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        files.computeIfAbsent(rs.getLong(2), k -> new java.util.ArrayList<>()).add(
                                new AttachmentInfo(rs.getLong(1), rs.getString(3), rs.getString(4), rs.getLong(5)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, direction, channel, author, body, created_at"
                    + " FROM ticket_message WHERE ticket_id = ? AND visibility = 'PUBLIC' ORDER BY created_at, id")) {
                ps.setLong(1, ticketId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        out.add(new ConversationMessage(id, rs.getString(2), Channel.valueOf(rs.getString(3)),
                                rs.getString(4), rs.getString(5), rs.getObject(6, OffsetDateTime.class),
                                files.getOrDefault(id, java.util.List.of())));
                    }
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read the ledger", e);
        }
        return out;
    }

    /** One attachment of the ticket's public messages, with its content; empty when it is not one of them. */
    public Optional<StoredAttachment> publicAttachment(long ticketId, long attachmentId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT a.filename, a.content_type, a.content FROM attachment a JOIN ticket_message m"
                        + " ON m.id = a.message_id WHERE a.id = ? AND a.ticket_id = ? AND m.ticket_id = ?"
                        + " AND m.visibility = 'PUBLIC'")) {
            ps.setLong(1, attachmentId);
            ps.setLong(2, ticketId);
            ps.setLong(3, ticketId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new StoredAttachment(rs.getString(1), rs.getString(2), rs.getBytes(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read the ledger", e);
        }
    }

    /** Keeps the hash of another token giving access to the ticket (kind link or session). */
    public void insertAccess(long ticketId, String tokenHash, String kind, OffsetDateTime now, OffsetDateTime expires) {
        execute("INSERT INTO ticket_access (ticket_id, token_hash, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                ps -> {
                    ps.setLong(1, ticketId);
                    ps.setString(2, tokenHash);
                    ps.setString(3, kind);
                    ps.setObject(4, now);
                    ps.setObject(5, expires);
                });
    }

    /** Whether this token hash of this kind gives access to the ticket at {@code now}. */
    public boolean hasAccess(long ticketId, String tokenHash, String kind, OffsetDateTime now) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM ticket_access WHERE token_hash = ? AND ticket_id = ? AND kind = ?"
                        + " AND (expires_at IS NULL OR expires_at > ?)")) {
            ps.setString(1, tokenHash);
            ps.setLong(2, ticketId);
            ps.setString(3, kind);
            ps.setObject(4, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read the ledger", e);
        }
    }

    /** The latest tickets of a customer's address (any case), newest first. */
    public java.util.List<Ticket> latestOf(String email, int max) {
        java.util.List<Ticket> out = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + TICKET_COLUMNS + " FROM ticket WHERE lower(customer_email) = ? ORDER BY id DESC")) {
            ps.setString(1, email.strip().toLowerCase(java.util.Locale.ROOT));
            ps.setMaxRows(max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(ticket(rs, 0));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read the ledger", e);
        }
        return out;
    }

    public long insertAttachment(long ticketId, long messageId, NewTicket.Upload u, OffsetDateTime now) {
        return insert("INSERT INTO attachment (ticket_id, message_id, filename, content_type, size_bytes, sha256,"
                + " content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setLong(1, ticketId);
                    ps.setLong(2, messageId);
                    ps.setString(3, u.filename());
                    ps.setString(4, u.contentType() == null ? "application/octet-stream" : u.contentType());
                    ps.setLong(5, u.content().length);
                    ps.setString(6, Hashes.sha256Hex(u.content()));
                    ps.setBytes(7, u.content());
                    ps.setObject(8, now);
                });
    }

    /**
     * Records what a request with this key opened: the key's hash, never the key, and the access token only sealed
     * (see {@link IdempotencyKey}), or none.
     */
    public void insertIdempotencyKey(String keyHash, String requestHash, long ticketId, String sealedToken,
            OffsetDateTime now) {
        execute("INSERT INTO idempotency_key (idem_key, request_hash, ticket_id, access_token_sealed, created_at)"
                + " VALUES (?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, keyHash);
                    ps.setString(2, requestHash);
                    ps.setLong(3, ticketId);
                    ps.setString(4, sealedToken);
                    ps.setObject(5, now);
                });
    }

    /** Forgets a key recorded before {@code before} (a resubmission window that has passed), so that it may be reused. */
    public void deleteIdempotencyKey(String keyHash, OffsetDateTime before) {
        execute("DELETE FROM idempotency_key WHERE idem_key = ? AND created_at < ?", ps -> {
            ps.setString(1, keyHash);
            ps.setObject(2, before);
        });
    }

    /** What an earlier request with this key created: the ticket, and its access token sealed (or null). */
    public record IdempotentResult(String requestHash, Ticket ticket, String sealedToken, OffsetDateTime createdAt) {
    }

    public Optional<IdempotentResult> findByIdempotencyKey(String keyHash) {
        String sql = "SELECT k.request_hash, k.access_token_sealed, k.created_at, " + prefixed("t")
                + " FROM idempotency_key k JOIN ticket t ON t.id = k.ticket_id WHERE k.idem_key = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new IdempotentResult(rs.getString(1), ticket(rs, 3), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class)));
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read idempotency key", e);
        }
    }

    /** Deletes the keys recorded before {@code before}; returns how many. */
    public int purgeIdempotencyKeys(OffsetDateTime before) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_key WHERE created_at < ?")) {
            ps.setObject(1, before);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not purge idempotency keys", e);
        }
    }

    /** {@link #sealClearIdempotencyRows(Connection)} on a connection of the pool. */
    public int sealClearIdempotencyRows() {
        try (Connection c = ds.getConnection()) {
            return sealClearIdempotencyRows(c);
        } catch (SQLException e) {
            throw new LedgerException("Could not convert idempotency keys", e);
        }
    }

    /**
     * Rows written before migration V13 (or, during a rolling upgrade, by a replica of the version before) hold the
     * key and the access token in clear: each becomes the key's SHA-256 and the token sealed under the key, as this
     * version writes them. A clear row whose key this version has recorded meanwhile is dropped (the hashed row
     * stands). Used by migration V13 and by the hourly purge, so that no clear row outlives a rolling upgrade.
     *
     * @return the rows converted or dropped
     */
    public static int sealClearIdempotencyRows(Connection c) throws SQLException {
        java.util.Map<String, String> clear = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT idem_key, access_token FROM idempotency_key WHERE access_token IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                clear.put(rs.getString(1), rs.getString(2));
            }
        }
        int n = 0;
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM idempotency_key WHERE idem_key = ?");
                PreparedStatement drop = c.prepareStatement(
                        "DELETE FROM idempotency_key WHERE idem_key = ? AND access_token IS NOT NULL");
                PreparedStatement seal = c.prepareStatement("UPDATE idempotency_key SET idem_key = ?,"
                        + " access_token_sealed = ?, access_token = NULL WHERE idem_key = ? AND access_token IS NOT NULL")) {
            for (var row : clear.entrySet()) {
                String hash = Hashes.sha256Hex(row.getKey());
                exists.setString(1, hash);
                boolean hashed;
                try (ResultSet rs = exists.executeQuery()) {
                    hashed = rs.next();
                }
                if (hashed) {
                    drop.setString(1, row.getKey());
                    n += drop.executeUpdate();
                } else {
                    seal.setString(1, hash);
                    seal.setString(2, row.getKey().isEmpty() ? null : Hashes.seal(row.getKey(), row.getValue()));
                    seal.setString(3, row.getKey());
                    n += seal.executeUpdate();
                }
            }
        }
        return n;
    }

    public Optional<Ticket> findById(long id) {
        return queryOne("SELECT " + TICKET_COLUMNS + " FROM ticket WHERE id = ?", ps -> ps.setLong(1, id));
    }

    /** A stored attachment. */
    public record StoredAttachment(String filename, String contentType, byte[] content) {
    }

    /** The attachments of one message of a ticket (the first message's when messageId is null). */
    public java.util.List<StoredAttachment> attachments(long ticketId, Long messageId) {
        String sql = "SELECT filename, content_type, content FROM attachment WHERE ticket_id = ? AND message_id = "
                + (messageId == null ? "(SELECT MIN(id) FROM ticket_message WHERE ticket_id = ?)" : "?") + " ORDER BY id";
        java.util.List<StoredAttachment> out = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, ticketId);
            ps.setLong(2, messageId == null ? ticketId : messageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredAttachment(rs.getString(1), rs.getString(2), rs.getBytes(3)));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read the ledger", e);
        }
        return out;
    }

    /** The Message-ID of the ticket's latest mail, in or out (to thread the next one), if any. */
    public Optional<String> lastMessageId(long ticketId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT message_id FROM ticket_message WHERE ticket_id = ? AND message_id IS NOT NULL ORDER BY id DESC")) {
            ps.setLong(1, ticketId);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read the ledger", e);
        }
    }

    public Optional<Ticket> findByNumber(String number) {
        return findOne("SELECT " + TICKET_COLUMNS + " FROM ticket WHERE number = ?", number);
    }

    /** The ticket one of these Message-IDs (sent or received by the hub) belongs to. */
    public Optional<Ticket> findByMessageIds(java.util.List<String> messageIds) {
        for (String id : messageIds) {
            if (id == null || id.isBlank()) {
                continue;
            }
            Optional<Ticket> t = findOne("SELECT " + prefixed("t") + " FROM ticket t WHERE t.id ="
                    + " (SELECT min(m.ticket_id) FROM ticket_message m WHERE m.message_id = ?)", id);
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }

    /** The language of the customer's latest ticket, if they wrote before. */
    public Optional<Language> lastLanguageOf(String email) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT language FROM ticket WHERE customer_email = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Language.fromCode(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read the customer's language", e);
        }
    }

    private Optional<Ticket> findOne(String sql, String arg) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(ticket(rs, 0)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read ticket", e);
        }
    }

    private static String prefixed(String alias) {
        StringBuilder b = new StringBuilder();
        for (String col : TICKET_COLUMNS.split(",")) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(alias).append('.').append(col.trim());
        }
        return b.toString();
    }

    private static Ticket ticket(ResultSet rs, int offset) throws SQLException {
        int i = offset;
        String kind = rs.getString(i + 12);
        String criticality = rs.getString(i + 13);
        return new Ticket(
                rs.getLong(i + 1),
                rs.getString(i + 2),
                Channel.valueOf(rs.getString(i + 3)),
                rs.getString(i + 4),
                rs.getString(i + 5),
                rs.getString(i + 6),
                rs.getString(i + 7),
                rs.getString(i + 8),
                Language.fromCode(rs.getString(i + 9)).orElse(Language.FR),
                rs.getString(i + 10),
                rs.getString(i + 11),
                kind == null ? null : Kind.valueOf(kind),
                criticality == null ? null : Criticality.valueOf(criticality),
                TicketStatus.valueOf(rs.getString(i + 14)),
                rs.getString(i + 15),
                rs.getString(i + 16),
                rs.getObject(i + 17, OffsetDateTime.class),
                rs.getObject(i + 18, OffsetDateTime.class),
                new Ticket.Triage(rs.getString(i + 19), rs.getString(i + 23), (Boolean) rs.getObject(i + 24),
                        (Boolean) rs.getObject(i + 25), rs.getString(i + 26), rs.getString(i + 27),
                        (Integer) rs.getObject(i + 20), rs.getString(i + 21), rs.getString(i + 22)),
                new Ticket.Sla(rs.getObject(i + 28, OffsetDateTime.class), rs.getObject(i + 29, OffsetDateTime.class),
                        rs.getString(i + 30), rs.getObject(i + 31, OffsetDateTime.class),
                        rs.getObject(i + 32, OffsetDateTime.class), rs.getObject(i + 33, OffsetDateTime.class),
                        rs.getBoolean(i + 34), rs.getObject(i + 35, OffsetDateTime.class),
                        rs.getObject(i + 36, OffsetDateTime.class), rs.getLong(i + 37),
                        rs.getObject(i + 38, OffsetDateTime.class)));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void execute(String sql, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not write to the ledger", e);
        }
    }

    private long insert(String sql, Binder binder) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            binder.bind(ps);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : -1L;
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not write to the ledger", e);
        }
    }
}
