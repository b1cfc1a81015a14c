package com.esii.support.hub.ticket;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.Hashes;
import com.esii.support.hub.util.HeldWrites;
import com.esii.support.hub.util.Sql;

/**
 * The ticket ledger: tickets, their messages, raw content and attachments. Each call is its own statement
 * ({@link Sql}) on the hub's data source; callers own the transaction (connections taken inside one are enlisted in
 * it). A few methods keep plain JDBC, each saying why.
 */
@ApplicationScoped
public class TicketLedger {

    private static final String TICKET_COLUMNS = "id, number, channel, customer_name, customer_email, customer_company,"
            + " access_code, product, language, subject, description, kind, criticality, status, access_token_hash,"
            + " jsm_key, created_at, updated_at, contract, priority, kind_rule, criticality_rule, customer_code, on_call,"
            + " hosted, calendar, contract_reason, take_charge_due, taken_in_charge_at, on_site_kind, on_site_decided_at,"
            + " on_site_due, on_site_done_at, quote_required, quote_accepted_at, waiting_since, paused_seconds,"
            + " resolved_at, access_code_recognised";

    private static final String READ = "read the ledger";
    private static final String WRITE = "write to the ledger";

    private final DataSource ds;
    private final Sql db;

    public TicketLedger(DataSource ds) {
        this.ds = ds;
        this.db = new Sql(ds);
    }

    /** A new ticket's row and the number it was given. */
    public record Numbered(long id, String number) {
    }

    /**
     * Writes a new ticket (its number ignored) and numbers it in the same statement: {@code head}
     * ({@link TicketNumber#head}) and the next value of {@code ticket_number_seq}, at least six digits, as
     * {@link TicketNumber#toString} writes it. A statement of its own drew the number before (issue 29).
     */
    public Numbered insertNumbered(Ticket t, String head) {
        List<Object> args = new ArrayList<>(Arrays.asList(head, t.channel().name(), text(t.customerName()),
                text(t.customerEmail()), text(t.customerCompany()), text(t.accessCode()), text(t.product()),
                t.language().code(), text(t.subject()), text(t.description()),
                text(t.kind() == null ? null : t.kind().name()),
                text(t.criticality() == null ? null : t.criticality().name()), t.status().name(),
                text(t.accessTokenHash()), text(t.jsmKey()), t.createdAt(), t.updatedAt()));
        args.addAll(triageAndSla(t));
        String number = "CONCAT(CAST(? AS VARCHAR(40)), (SELECT CASE WHEN n.v < 1000000"
                + " THEN LPAD(CAST(n.v AS VARCHAR(20)), 6, '0') ELSE CAST(n.v AS VARCHAR(20)) END"
                + " FROM (SELECT nextval('ticket_number_seq') AS v) n))";
        return db.insertNow(WRITE, INSERT_TICKET + " VALUES (" + number + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
                + ", ?".repeat(TRIAGE_AND_SLA_COUNT) + ")", new String[] { "id", "number" },
                rs -> new Numbered(rs.getLong(1), rs.getString(2)), args.toArray());
    }

    /** Keeps raw content, once per content: the same bytes kept again (a duplicate mail) name the first copy. */
    public long insertRaw(NewTicket.RawContent raw, OffsetDateTime now) {
        String sha = Hashes.sha256Hex(raw.content());
        // in memory: kept in one statement unless the same bytes are there (new content, the usual case, needs no
        // look first); a stream (below) is looked up first, so that a large copy is not sent for nothing
        long id = insert("INSERT INTO raw_content (content_type, sha256, size_bytes, content, created_at)"
                + " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM raw_content WHERE sha256 = ? AND size_bytes = ?"
                + " AND content_type = ?)", ps -> {
                    ps.setString(1, raw.contentType());
                    ps.setString(2, sha);
                    ps.setLong(3, raw.content().length);
                    ps.setBytes(4, raw.content());
                    ps.setObject(5, now);
                    ps.setString(6, sha);
                    ps.setLong(7, raw.content().length);
                    ps.setString(8, raw.contentType());
                });
        return id != -1 ? id : insertRaw(raw.contentType(), sha, raw.content().length, ps -> ps.setBytes(4, raw.content()),
                now);
    }

    /**
     * As {@link #insertRaw(NewTicket.RawContent, OffsetDateTime)}, for content its caller knows is new (a mail whose
     * seen key it has just taken: the same bytes would be the same mail), so that inside {@link HeldWrites} it is
     * held and written with its batch's rows instead of being looked for first.
     */
    public long insertNewRaw(NewTicket.RawContent raw, OffsetDateTime now) {
        if (!HeldWrites.holding()) {
            return insertRaw(raw, now);
        }
        return db.insert(WRITE, "INSERT INTO raw_content (content_type, sha256, size_bytes, content, created_at)"
                + " VALUES (?, ?, ?, ?, ?)", raw.contentType(), Hashes.sha256Hex(raw.content()),
                (long) raw.content().length, raw.content(), now);
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

    // plain JDBC: the content is bound by the caller's binder, as bytes or as a stream read while it is sent
    private long insertRaw(String contentType, String sha, long size, Binder content, OffsetDateTime now) {
        HeldWrites.writeHeld();
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

    private static final String TRIAGE_AND_SLA = "contract, priority, kind_rule, criticality_rule, customer_code,"
            + " on_call, hosted, calendar, contract_reason, take_charge_due, taken_in_charge_at, on_site_kind,"
            + " on_site_decided_at, on_site_due, on_site_done_at, quote_required, quote_accepted_at, waiting_since,"
            + " paused_seconds, resolved_at, access_code_recognised";
    private static final int TRIAGE_AND_SLA_COUNT = TRIAGE_AND_SLA.split(",").length;

    private static final String INSERT_TICKET = "INSERT INTO ticket (number, channel, customer_name, customer_email,"
            + " customer_company, access_code, product, language, subject, description, kind, criticality, status,"
            + " access_token_hash, jsm_key, created_at, updated_at, " + TRIAGE_AND_SLA + ")";

    /** Writes the ticket's status, triage and clock (a re-triage, or a step of support's work). */
    public void updateTriageAndSla(Ticket t) {
        StringBuilder sql = new StringBuilder("UPDATE ticket SET status = ?, updated_at = ?");
        for (String col : TRIAGE_AND_SLA.split(",")) {
            sql.append(", ").append(col.strip()).append(" = ?");
        }
        sql.append(" WHERE id = ?");
        List<Object> args = new ArrayList<>(Arrays.asList(t.status().name(), t.updatedAt()));
        args.addAll(triageAndSla(t));
        args.add(t.id());
        db.update(WRITE, sql.toString(), args.toArray());
    }

    /** The arguments of {@link #TRIAGE_AND_SLA}, in its order. */
    private static List<Object> triageAndSla(Ticket t) {
        Ticket.Triage tr = t.triage() == null ? Ticket.Triage.NONE : t.triage();
        Ticket.Sla sla = t.sla() == null ? Ticket.Sla.NONE : t.sla();
        return Arrays.asList(text(tr.contract()), Sql.typed(tr.priority(), Types.INTEGER), text(tr.kindRule()),
                text(tr.criticalityRule()), text(tr.customerCode()), Sql.typed(tr.onCall(), Types.BOOLEAN),
                Sql.typed(tr.hosted(), Types.BOOLEAN), text(tr.calendar()), text(cut(tr.contractReason(), 300)),
                sla.takeChargeDue(), sla.takenInChargeAt(), text(sla.onSiteKind()), sla.onSiteDecidedAt(),
                sla.onSiteDue(), sla.onSiteDoneAt(), sla.quoteRequired(), sla.quoteAcceptedAt(), sla.waitingSince(),
                sla.pausedSeconds(), sla.resolvedAt(), Sql.typed(tr.accessCodeRecognised(), Types.BOOLEAN));
    }

    /** A string bound as {@code setString} binds it: a null as a typed VARCHAR null. */
    private static Object text(String s) {
        return Sql.typed(s, Types.VARCHAR);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    public void setRestoredAt(long ticketId, OffsetDateTime at) {
        db.update(WRITE, "UPDATE ticket SET restored_at = ? WHERE id = ?", at, ticketId);
    }

    /** The ticket, locked until the end of the transaction (so that two events on it apply one after the other). */
    public Optional<Ticket> lockByNumber(String number) {
        return db.one(READ, "SELECT " + TICKET_COLUMNS + " FROM ticket WHERE number = ? FOR UPDATE", TicketLedger::ticket,
                number);
    }

    public Optional<Ticket> lockById(long id) {
        return db.one(READ, "SELECT " + TICKET_COLUMNS + " FROM ticket WHERE id = ? FOR UPDATE", TicketLedger::ticket, id);
    }

    /** One step in the ticket's history. */
    public record Event(String type, String detail, String source, OffsetDateTime at) {
    }

    public void insertEvent(long ticketId, Event e) {
        db.update(WRITE, "INSERT INTO ticket_event (ticket_id, type, detail, source, at) VALUES (?, ?, ?, ?, ?)",
                ticketId, text(e.type()), text(cut(e.detail(), 1000)), text(cut(e.source(), 64)), e.at());
    }

    /** Whether the ticket's history has this event, its detail as {@link #insertEvent} keeps it. */
    public boolean hasEvent(long ticketId, String type, String detail) {
        return db.one(READ, "SELECT 1 FROM ticket_event WHERE ticket_id = ? AND type = ? AND detail = ?",
                rs -> Boolean.TRUE, ticketId, type, cut(detail, 1000)).isPresent();
    }

    public java.util.List<Event> events(long ticketId) {
        return db.list(READ, "SELECT type, detail, source, at FROM ticket_event WHERE ticket_id = ? ORDER BY id",
                rs -> new Event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class)),
                ticketId);
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
        return insertMessage(ticketId, direction, channel, messageId, rawId, body, visibility, author, null, now);
    }

    /** @param kind what a public message of staff's is beyond a reply ({@link #WORKAROUND}...), or null */
    public long insertMessage(long ticketId, String direction, Channel channel, String messageId, Long rawId,
            String body, String visibility, String author, String kind, OffsetDateTime now) {
        return db.insert(WRITE, "INSERT INTO ticket_message (ticket_id, direction, channel, message_id, raw_id, body,"
                + " created_at, visibility, author, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ticketId,
                text(direction), channel.name(), text(messageId), Sql.typed(rawId, Types.BIGINT), text(body), now,
                text(visibility), text(cut(author, 200)), text(kind));
    }

    /** A message of staff's that is R&D's workaround. */
    public static final String WORKAROUND = "workaround";
    /** A message of staff's that says the fix is delivered; its body is the version. */
    public static final String FIX_DELIVERED = "fix-delivered";

    /**
     * A message of the conversation, with its attachments (without their content).
     *
     * @param kind {@link #WORKAROUND}, {@link #FIX_DELIVERED}, or null for a plain message
     */
    public record ConversationMessage(long id, String direction, Channel channel, String author, String body,
            OffsetDateTime at, java.util.List<AttachmentInfo> attachments, String kind) {
    }

    /** An attachment as listed: its row, name, type and size. */
    public record AttachmentInfo(long id, String filename, String contentType, long size) {
    }

    /** The ticket's public messages (the customer's and staff's public replies), oldest first. */
    public java.util.List<ConversationMessage> conversation(long ticketId) {
        Map<Long, List<AttachmentInfo>> files = db.list(READ, "SELECT id, message_id, filename, content_type, size_bytes"
                + " FROM attachment WHERE ticket_id = ? ORDER BY id", rs -> Map.entry(rs.getLong(2),
                        new AttachmentInfo(rs.getLong(1), rs.getString(3), rs.getString(4), rs.getLong(5))), ticketId)
                .stream().collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return db.list(READ, "SELECT id, direction, channel, author, body, created_at, kind FROM ticket_message"
                + " WHERE ticket_id = ? AND visibility = 'PUBLIC' ORDER BY created_at, id",
                rs -> new ConversationMessage(rs.getLong(1), rs.getString(2), Channel.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getObject(6, OffsetDateTime.class),
                        files.getOrDefault(rs.getLong(1), List.of()), rs.getString(7)), ticketId);
    }

    /** One attachment of the ticket's public messages, with its content; empty when it is not one of them. */
    public Optional<StoredAttachment> publicAttachment(long ticketId, long attachmentId) {
        return db.one(READ, "SELECT a.filename, a.content_type, a.content FROM attachment a JOIN ticket_message m"
                + " ON m.id = a.message_id WHERE a.id = ? AND a.ticket_id = ? AND m.ticket_id = ?"
                + " AND m.visibility = 'PUBLIC'", rs -> new StoredAttachment(rs.getString(1), rs.getString(2),
                        rs.getBytes(3)), attachmentId, ticketId, ticketId);
    }

    /** Keeps the hash of another token giving access to the ticket (kind link or session). */
    public void insertAccess(long ticketId, String tokenHash, String kind, OffsetDateTime now, OffsetDateTime expires) {
        db.update(WRITE, "INSERT INTO ticket_access (ticket_id, token_hash, kind, created_at, expires_at) VALUES (?, ?, ?,"
                + " ?, ?)", ticketId, text(tokenHash), text(kind), now, expires);
    }

    /** Whether this token hash of this kind gives access to the ticket at {@code now}. */
    public boolean hasAccess(long ticketId, String tokenHash, String kind, OffsetDateTime now) {
        return db.one(READ, "SELECT 1 FROM ticket_access WHERE token_hash = ? AND ticket_id = ? AND kind = ?"
                + " AND (expires_at IS NULL OR expires_at > ?)", rs -> true, text(tokenHash), ticketId, text(kind), now)
                .isPresent();
    }

    /**
     * What staff look for in the admin pages: part of the number, part of the customer (address, name, company or
     * ERP code; any case), a status; each null when not asked.
     */
    public record Search(String number, String customer, TicketStatus status) {
    }

    /** The tickets that match, newest first, {@code limit} from {@code offset}. */
    public java.util.List<Ticket> search(Search q, int offset, int limit) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        java.util.List<Object> args = new java.util.ArrayList<>();
        if (q.number() != null) {
            where.append(" AND lower(number) LIKE ? ESCAPE '!'");
            args.add(like(q.number()));
        }
        if (q.customer() != null) {
            where.append(" AND (lower(customer_email) LIKE ? ESCAPE '!' OR lower(customer_name) LIKE ? ESCAPE '!'"
                    + " OR lower(customer_company) LIKE ? ESCAPE '!' OR lower(customer_code) LIKE ? ESCAPE '!')");
            String c = like(q.customer());
            args.addAll(List.of(c, c, c, c));
        }
        if (q.status() != null) {
            where.append(" AND status = ?");
            args.add(q.status().name());
        }
        args.add(limit);
        args.add(offset);
        return db.list(READ, "SELECT " + TICKET_COLUMNS + " FROM ticket" + where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                TicketLedger::ticket, args.toArray());
    }

    /** {@code %part%} for LIKE, in lower case, the wildcards the part holds taken as they are. */
    private static String like(String part) {
        String p = part.strip().toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%")
                .replace("_", "!_");
        return "%" + p + "%";
    }

    /** The numbers of these tickets, by id. */
    public Map<Long, String> numbers(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        return db.list(READ, "SELECT id, number FROM ticket WHERE id IN (" + marks + ")",
                rs -> Map.entry(rs.getLong(1), rs.getString(2)), ids.toArray()).stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * A message of the ticket as staff see it: the customer's, staff's public and internal ones, and the hub's own
     * mails ({@code visibility} null).
     */
    public record LoggedMessage(long id, String direction, Channel channel, String visibility, String author,
            String body, OffsetDateTime at, String kind, java.util.List<AttachmentInfo> attachments) {
    }

    /** Every message of the ticket, oldest first, with its attachments (without their content). */
    public java.util.List<LoggedMessage> messages(long ticketId) {
        Map<Long, List<AttachmentInfo>> files = db.list(READ, "SELECT id, message_id, filename, content_type, size_bytes"
                + " FROM attachment WHERE ticket_id = ? ORDER BY id", rs -> Map.entry(rs.getLong(2),
                        new AttachmentInfo(rs.getLong(1), rs.getString(3), rs.getString(4), rs.getLong(5))), ticketId)
                .stream().collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return db.list(READ, "SELECT id, direction, channel, visibility, author, body, created_at, kind FROM"
                + " ticket_message WHERE ticket_id = ? ORDER BY created_at, id",
                rs -> new LoggedMessage(rs.getLong(1), rs.getString(2), Channel.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class),
                        rs.getString(8), files.getOrDefault(rs.getLong(1), List.of())), ticketId);
    }

    /** The latest tickets of a customer's address (any case), newest first. */
    // plain JDBC: setMaxRows bounds the rows read (the statement has no LIMIT), which util/Sql does not offer
    public java.util.List<Ticket> latestOf(String email, int max) {
        java.util.List<Ticket> out = new java.util.ArrayList<>();
        HeldWrites.writeHeld();
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
        return db.insert(WRITE, "INSERT INTO attachment (ticket_id, message_id, filename, content_type, size_bytes, sha256,"
                + " content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ticketId, messageId, text(u.filename()),
                u.contentType() == null ? "application/octet-stream" : u.contentType(), (long) u.content().length,
                Hashes.sha256Hex(u.content()), u.content(), now);
    }

    /**
     * Records what a request with this key opened: the key's hash, never the key, and the access token only sealed
     * (see {@link IdempotencyKey}), or none.
     */
    public void insertIdempotencyKey(String keyHash, String requestHash, long ticketId, String sealedToken,
            OffsetDateTime now) {
        db.update(WRITE, "INSERT INTO idempotency_key (idem_key, request_hash, ticket_id, access_token_sealed, created_at)"
                + " VALUES (?, ?, ?, ?, ?)", text(keyHash), text(requestHash), ticketId, text(sealedToken), now);
    }

    /** Forgets a key recorded before {@code before} (a resubmission window that has passed), so that it may be reused. */
    public void deleteIdempotencyKey(String keyHash, OffsetDateTime before) {
        db.update(WRITE, "DELETE FROM idempotency_key WHERE idem_key = ? AND created_at < ?", text(keyHash), before);
    }

    /** What an earlier request with this key created: the ticket, and its access token sealed (or null). */
    public record IdempotentResult(String requestHash, Ticket ticket, String sealedToken, OffsetDateTime createdAt) {
    }

    public Optional<IdempotentResult> findByIdempotencyKey(String keyHash) {
        String sql = "SELECT k.request_hash, k.access_token_sealed, k.created_at, " + prefixed("t")
                + " FROM idempotency_key k JOIN ticket t ON t.id = k.ticket_id WHERE k.idem_key = ?";
        return db.one("read idempotency key", sql, rs -> new IdempotentResult(rs.getString(1), ticket(rs, 3),
                rs.getString(2), rs.getObject(3, OffsetDateTime.class)), text(keyHash));
    }

    /**
     * Forgets the page sessions expired at {@code now} and the links issued before {@code linksBefore}; returns how
     * many.
     */
    public int purgeAccess(OffsetDateTime now, OffsetDateTime linksBefore) {
        return db.update("purge page access", "DELETE FROM ticket_access WHERE (expires_at IS NOT NULL"
                + " AND expires_at < ?) OR (kind = 'link' AND created_at < ?)", now, linksBefore);
    }

    /** Deletes the keys recorded before {@code before}; returns how many. */
    public int purgeIdempotencyKeys(OffsetDateTime before) {
        return db.update("purge idempotency keys", "DELETE FROM idempotency_key WHERE created_at < ?", before);
    }

    /** {@link #sealClearIdempotencyRows(Connection)} on a connection of the pool. */
    // plain JDBC: the conversion runs its statements on one connection, the one migration V13 gives it too
    public int sealClearIdempotencyRows() {
        HeldWrites.writeHeld();
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
        return db.one(READ, "SELECT " + TICKET_COLUMNS + " FROM ticket WHERE id = ?", TicketLedger::ticket, id);
    }

    /** A ticket with its participants ({@link Participants#of}: lower-cased, in the order they were added). */
    public record Read(Ticket ticket, java.util.Set<String> participants) {
    }

    /**
     * The tickets of these ids with their participants, in one statement (the outbox relay's look: the tickets of
     * the rows it claimed).
     */
    public java.util.Map<Long, Read> findByIds(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return java.util.Map.of();
        }
        int participants = TICKET_COLUMNS.split(",").length + 1;
        java.util.Map<Long, Read> found = new java.util.HashMap<>();
        for (Read r : db.list(READ, "SELECT " + prefixed("t") + ", (SELECT ARRAY_AGG(p.address ORDER BY p.added_at,"
                + " p.address) FROM ticket_participant p WHERE p.ticket_id = t.id) FROM ticket t WHERE t.id = ANY(?)",
                rs -> new Read(ticket(rs), addresses(rs.getArray(participants))), (Object) ids.toArray(Long[]::new))) {
            found.put(r.ticket().id(), r);
        }
        return found;
    }

    private static java.util.Set<String> addresses(java.sql.Array array) throws SQLException {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        if (array != null) {
            for (Object a : (Object[]) array.getArray()) {
                out.add(String.valueOf(a));
            }
        }
        return out;
    }

    /** A stored attachment. */
    public record StoredAttachment(String filename, String contentType, byte[] content) {
    }

    /** The attachments of one message of a ticket (the first message's when messageId is null). */
    public java.util.List<StoredAttachment> attachments(long ticketId, Long messageId) {
        String sql = "SELECT filename, content_type, content FROM attachment WHERE ticket_id = ? AND message_id = "
                + (messageId == null ? "(SELECT MIN(id) FROM ticket_message WHERE ticket_id = ?)" : "?") + " ORDER BY id";
        return db.list(READ, sql, rs -> new StoredAttachment(rs.getString(1), rs.getString(2), rs.getBytes(3)), ticketId,
                messageId == null ? ticketId : messageId);
    }

    /** Whether the ticket's first message has files (without reading them). */
    public boolean firstMessageHasAttachments(long ticketId) {
        return db.one(READ, "SELECT 1 FROM attachment WHERE ticket_id = ? AND message_id = (SELECT MIN(id) FROM"
                + " ticket_message WHERE ticket_id = ?) LIMIT 1", rs -> Boolean.TRUE, ticketId, ticketId).isPresent();
    }

    /** The Message-ID of the ticket's latest mail, in or out (to thread the next one), if any. */
    // plain JDBC: setMaxRows(1) keeps the driver from reading every message id of the ticket
    public Optional<String> lastMessageId(long ticketId) {
        HeldWrites.writeHeld();
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

    /** Whether the ticket keeps a message with this Message-ID (a mail the hub sent, recorded once it went). */
    public boolean hasMessage(long ticketId, String messageId) {
        return db.one(READ, "SELECT 1 FROM ticket_message WHERE ticket_id = ? AND direction = 'OUT' AND message_id = ?", rs -> Boolean.TRUE,
                ticketId, messageId).isPresent();
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
        return db.one("read the customer's language", "SELECT language FROM ticket WHERE customer_email = ?"
                + " ORDER BY id DESC LIMIT 1", rs -> rs.getString(1), text(email)).flatMap(Language::fromCode);
    }

    /**
     * {@link #lastLanguageOf} for several customers in one statement (the email channel asks for a batch's senders
     * before their mails' transactions): by address as given, those with no earlier ticket left out.
     */
    public Map<String, Language> lastLanguagesOf(Collection<String> emails) {
        List<String> distinct = emails.stream().filter(e -> e != null && !e.isBlank()).distinct().toList();
        Map<String, Language> out = new LinkedHashMap<>();
        if (distinct.isEmpty()) {
            return out;
        }
        String values = String.join(", ", java.util.Collections.nCopies(distinct.size(), "(CAST(? AS VARCHAR(320)))"));
        db.list("read the customers' languages", "SELECT a.x, (SELECT language FROM ticket WHERE customer_email = a.x"
                + " ORDER BY id DESC LIMIT 1) FROM (VALUES " + values + ") a (x)", rs -> {
                    String email = rs.getString(1);
                    Language.fromCode(rs.getString(2)).ifPresent(l -> out.put(email, l));
                    return true;
                }, distinct.toArray());
        return out;
    }

    private Optional<Ticket> findOne(String sql, String arg) {
        return db.one("read ticket", sql, TicketLedger::ticket, text(arg));
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

    private static Ticket ticket(ResultSet rs) throws SQLException {
        return ticket(rs, 0);
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
                        (Integer) rs.getObject(i + 20), rs.getString(i + 21), rs.getString(i + 22),
                        (Boolean) rs.getObject(i + 39)),
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

    private long insert(String sql, Binder binder) {
        HeldWrites.writeHeld();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql, Sql.ID)) {
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
