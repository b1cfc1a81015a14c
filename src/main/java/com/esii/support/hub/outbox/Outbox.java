package com.esii.support.hub.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.StreamSupport;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.ticket.WritesTogether;
import com.esii.support.hub.util.HeldWrites;
import com.esii.support.hub.util.Sql;
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
public class Outbox implements WritesTogether {

    private static final String COLUMNS = "id, type, lane, ticket_id, payload, status, attempts, next_attempt_at,"
            + " last_error, created_at, done_at, claims";
    /** An earlier row of the same lane that is still to do or dead: it holds the row (lanes are performed in order). */
    private static final String HELD = "EXISTS (SELECT 1 FROM outbox p WHERE p.lane = o.lane"
            + " AND p.status IN ('PENDING', 'DEAD') AND p.id < o.id)";

    private static final String READ = "read the outbox";

    private final Sql db;
    private final ObjectMapper json;
    /** Where the urgent types come from: the edges' {@link UrgentTypes} beans. */
    private final Iterable<? extends UrgentTypes> edges;
    /**
     * The urgent types, gathered at the first look for due rows rather than here: asking the edges' beans builds
     * them, and some of them use the outbox.
     */
    private volatile String[] urgent;

    /** Where the relay reads the tickets of the rows a look claimed ({@link #withTickets}). */
    private final TicketLedger tickets;

    @Inject
    public Outbox(DataSource ds, ObjectMapper json, Instance<UrgentTypes> edges, TicketLedger tickets) {
        this.db = new Sql(ds);
        this.json = json;
        this.edges = edges;
        this.tickets = tickets;
    }

    /** An outbox without urgent types (tests of what needs no CDI). */
    Outbox(DataSource ds, ObjectMapper json) {
        this.db = new Sql(ds);
        this.json = json;
        this.edges = List.of();
        this.tickets = new TicketLedger(ds);
    }

    /**
     * Records a side effect to perform; call inside the transaction that makes it necessary. Answers the row's id:
     * inside {@link #together} the rows queued before it are written with it, in one statement.
     */
    public long enqueue(String type, String lane, Long ticketId, Object payload, OffsetDateTime now) {
        return enqueue(type, lane, ticketId, null, payload, now);
    }

    /** As {@link #enqueue(String, String, Long, Object, OffsetDateTime)}, for an automatic mail to {@code recipient}. */
    public long enqueue(String type, String lane, Long ticketId, String recipient, Object payload, OffsetDateTime now) {
        Queued row = new Queued(values(type, lane, ticketId, recipient, payload, now), null);
        List<Queued> queued = together.get();
        if (queued == null) {
            return write(List.of(row)).get(0);
        }
        queued.add(row);
        List<Queued> rows = List.copyOf(queued);
        queued.clear();
        List<Long> ids = write(rows);
        return ids.get(ids.size() - 1);
    }

    /**
     * As {@link #enqueue(String, String, Long, String, Object, OffsetDateTime)}, for a caller that needs not the
     * row's id: inside {@link #together}, the row is written with the others queued there, in one statement, when
     * {@code together} ends (or with the next row whose id is asked for).
     */
    public void add(String type, String lane, Long ticketId, String recipient, Object payload, OffsetDateTime now) {
        add(new Queued(values(type, lane, ticketId, recipient, payload, now), null));
    }

    /**
     * As {@link #add(String, String, Long, Object, OffsetDateTime)}, then {@code written} with the row's id once the
     * row is written (at once outside {@link #together}; inside, when the rows queued there are written, in the same
     * transaction): what a record naming its row does (the ERP record), without a statement of its own for the row.
     */
    public void add(String type, String lane, Long ticketId, Object payload, OffsetDateTime now,
            LongConsumer written) {
        add(new Queued(values(type, lane, ticketId, null, payload, now), written));
    }

    private void add(Queued row) {
        List<Queued> queued = together.get();
        if (queued == null) {
            write(List.of(row));
        } else {
            queued.add(row);
        }
    }

    /** A row queued inside {@link #together}: its values, and what to do with its id once written (or null). */
    private record Queued(Object[] values, LongConsumer written) {
    }

    /** As {@link #add(String, String, Long, String, Object, OffsetDateTime)}, for a row to no one. */
    public void add(String type, String lane, Long ticketId, Object payload, OffsetDateTime now) {
        add(type, lane, ticketId, null, payload, now);
    }

    /**
     * The rows this thread queues inside {@link #together} with {@link #add}, not yet written: a new ticket's four
     * rows (the JSM request, its note, the ERP record, the acknowledgement) took four INSERTs, one each (issue 29).
     */
    private final ThreadLocal<List<Queued>> together = new ThreadLocal<>();

    /**
     * Runs {@code fire} (the intake firing a ticket event in its transaction) and writes the rows its subscribers
     * queued meanwhile in one INSERT, in the order they were queued (so their ids, and their lanes' order, are as
     * if each had been written at once), before returning. Nothing is kept when {@code fire} fails.
     */
    @Override
    public void together(Runnable fire) {
        if (together.get() != null) {
            fire.run(); // the outer one writes them
            return;
        }
        List<Queued> queued = new ArrayList<>();
        together.set(queued);
        try {
            fire.run();
            while (!queued.isEmpty()) { // what is done with the ids may queue more
                List<Queued> rows = List.copyOf(queued);
                queued.clear();
                // a batch of mails written together: with its other mails' rows, in one INSERT when it ends
                if (!HeldWrites.together(this, rows, this::write)) {
                    write(rows);
                }
            }
        } finally {
            together.remove();
        }
    }

    /** A row's values, as {@link #write} binds them. */
    private Object[] values(String type, String lane, Long ticketId, String recipient, Object payload,
            OffsetDateTime now) {
        String body;
        try {
            body = payload instanceof String s ? s : json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Outbox payload cannot be serialised", e);
        }
        return new Object[] { text(type), text(lane), Sql.typed(ticketId, Types.BIGINT), text(body), now,
                text(recipient == null ? null : recipient.toLowerCase(java.util.Locale.ROOT)) };
    }

    /** Writes rows in one INSERT, then hands each its id (when it asked); their ids, in the rows' order. */
    private List<Long> write(List<Queued> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        // Due at once by the database's clock (a replica whose clock is ahead must not delay its rows).
        StringBuilder sql = new StringBuilder("INSERT INTO outbox (type, lane, ticket_id, payload, status, attempts,"
                + " next_attempt_at, created_at, recipient) VALUES ");
        List<Object> args = new ArrayList<>();
        for (Queued row : rows) {
            sql.append(args.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, 'PENDING', 0, CURRENT_TIMESTAMP, ?, ?)");
            args.addAll(Arrays.asList(row.values()));
        }
        List<Long> ids = db.insertAll("write to the outbox", sql.toString(), args.toArray());
        if (ids.size() != rows.size()) {
            throw new IllegalStateException("The outbox wrote " + rows.size() + " rows and gave " + ids.size()
                    + " ids back");
        }
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).written() != null) {
                rows.get(i).written().accept(ids.get(i));
            }
        }
        return ids;
    }

    /**
     * Ids of rows due at {@code now} (the database's time) that are free to claim: pending, due, not leased, and
     * first of their lane that is neither pending nor dead (so that one lane's rows are performed in order, and a
     * dead row holds the rest). Rows of the urgent types the edges declare ({@link UrgentTypes}: the mails people
     * wait for) come first: a burst of tickets must not queue the acknowledgements behind its Jira requests and ERP
     * records. The relay's own look ({@link #LOOK}), which {@link #claimDue} claims in the same statement: asked
     * alone, it shows what a look would take (the outbox's tests).
     */
    public List<Due> due(OffsetDateTime now, int limit) {
        String[] urgent = urgentTypes();
        Long[] none = new Long[0];
        return db.list(READ, "SELECT id, urgent FROM (" + LOOK + ") d ORDER BY urgent DESC, next_attempt_at, id",
                rs -> new Due(rs.getLong(1), rs.getBoolean(2)), lookParameters(urgent, none, now, limit, limit));
    }

    /**
     * The relay's look and claim in one statement (issue 29: a look, then a claim of what it chose, took two): claims
     * for {@code node} until {@code until} the rows {@link #due} answers ({@link #LOOK}, the same query), as {@link
     * #claim(List, String, OffsetDateTime, OffsetDateTime)} claims them, and answers them claimed, the urgent first
     * (then by due time): at most {@code limit} rows, of which at most {@code othersLimit} not urgent, none of
     * {@code exclude} (the rows this replica is performing). A row another replica claimed meanwhile is not among
     * them: the claim's own condition (pending, not leased) is checked again on the row it updates.
     */
    public List<OutboxRow> claimDue(String node, OffsetDateTime now, OffsetDateTime until, int limit, int othersLimit,
            Collection<Long> exclude) {
        if (limit <= 0) {
            return List.of();
        }
        String sql = "UPDATE outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1, claims = claims + 1"
                + " WHERE id IN (SELECT id FROM (" + LOOK + ") d) AND status = 'PENDING'"
                + " AND (claimed_until IS NULL OR claimed_until < ?)";
        String[] urgent = urgentTypes();
        List<Object> parameters = new ArrayList<>();
        parameters.add(text(node));
        parameters.add(until);
        parameters.addAll(Arrays.asList(lookParameters(urgent, exclude.toArray(Long[]::new), now,
                Math.max(0, Math.min(othersLimit, limit)), limit)));
        parameters.add(now);
        List<OutboxRow> rows = new ArrayList<>(db.updateReturning("claim due outbox rows", sql, COLUMN_NAMES,
                Outbox::row, parameters.toArray()));
        Set<String> urgentSet = Set.of(urgent);
        rows.sort(Comparator.comparing((OutboxRow r) -> !urgentSet.contains(r.type()))
                .thenComparing(OutboxRow::nextAttemptAt).thenComparingLong(OutboxRow::id));
        return rows;
    }

    /**
     * The rows, each with its ticket and the ticket's participants, read in one statement for all of them (issue 29:
     * the acknowledgement, the JSM request, its note and the ERP record each read their ticket again, four statements
     * per new ticket, and the JSM request its participants). Rows
     * without a ticket are answered as they were; so are all of them when the tickets cannot be read (the handlers
     * then read their ticket themselves, as they did before).
     */
    public List<OutboxRow> withTickets(List<OutboxRow> rows) {
        Set<Long> ids = new HashSet<>();
        for (OutboxRow row : rows) {
            if (row.ticketId() != null) {
                ids.add(row.ticketId());
            }
        }
        if (ids.isEmpty()) {
            return rows;
        }
        Map<Long, TicketLedger.Read> found = tickets.findByIds(ids);
        List<OutboxRow> read = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            TicketLedger.Read t = row.ticketId() == null ? null : found.get(row.ticketId());
            read.add(t == null ? row : row.withTicket(t.ticket(), t.participants()));
        }
        return read;
    }

    /**
     * The relay's look for rows due and free (its columns: id, urgent, next_attempt_at): the urgent rows and the others
     * looked for apart, so that a look reads the rows it may take and not the whole backlog (one query sorting every
     * pending row by urgency, with an anti-join over every pending row of the backlog, was 94 % of PostgreSQL's time
     * in a burst of mail, issue 29). The urgent rows, few (they go first), by type (outbox_pending_type_ix); the others
     * walked in due order (outbox_due_ix), past the held and claimed ones, until their limit; at most the limit in
     * all, the urgent first. A row is free when due, not leased, not excluded, and the first pending or dead row of
     * its lane ({@link #firstOfLane}: asked of each candidate through the lane's index). Its parameters:
     * {@link #lookParameters}.
     */
    private static final String LOOK;

    static {
        String free = " AND NOT (o.id = ANY(?)) AND o.next_attempt_at <= ?"
                + " AND (o.claimed_until IS NULL OR o.claimed_until < ?) AND " + firstOfLane();
        LOOK = "SELECT id, urgent, next_attempt_at FROM ((SELECT o.id, TRUE AS urgent, o.next_attempt_at FROM outbox o"
                + " WHERE o.status = 'PENDING' AND o.type = ANY(?)" + free + ")"
                + " UNION ALL (SELECT o.id, FALSE AS urgent, o.next_attempt_at FROM outbox o"
                + " WHERE o.status = 'PENDING' AND NOT (o.type = ANY(?))" + free
                + " ORDER BY o.next_attempt_at, o.id LIMIT ?)) l ORDER BY urgent DESC, next_attempt_at, id LIMIT ?";
    }

    /** {@link #LOOK}'s parameters, in order. */
    private static Object[] lookParameters(String[] urgent, Long[] exclude, OffsetDateTime now, int othersLimit,
            int limit) {
        return new Object[] { urgent, exclude, now, now, urgent, exclude, now, now, othersLimit, limit };
    }

    /** Whether rows of this type are urgent ({@link UrgentTypes}). */
    public boolean urgent(String type) {
        return Arrays.asList(urgentTypes()).contains(type);
    }

    /**
     * A pending row is the first of its lane that is pending or dead: nothing earlier of its lane is still to do or
     * holds it (the same as {@code NOT} {@link #HELD}, asked per row: PostgreSQL turned the {@code NOT EXISTS} into
     * an anti-join hashing every pending row).
     */
    private static String firstOfLane() {
        return "(SELECT min(p.id) FROM outbox p WHERE p.lane = o.lane AND p.status IN ('PENDING', 'DEAD')) = o.id";
    }

    /** A row free to claim, and whether it is of an urgent type (taken first). */
    public record Due(long id, boolean urgent) {
    }

    /** The types the edges declare urgent, sorted (bound as an SQL array). */
    /**
     * Whether the relay marks a performed row of this type done at once, on its own: a mail a later claim cannot
     * find sent ({@link UrgentTypes}).
     */
    public boolean markedAtOnce(String type) {
        return urgent(type) && !recorded().contains(type);
    }

    private volatile Set<String> recorded;

    private Set<String> recorded() {
        Set<String> types = recorded;
        if (types == null) {
            types = StreamSupport.stream(edges.spliterator(), false).flatMap(e -> e.recordedTypes().stream())
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
            recorded = types;
        }
        return types;
    }

    String[] urgentTypes() {
        String[] types = urgent;
        if (types == null) {
            types = StreamSupport.stream(edges.spliterator(), false).flatMap(e -> e.urgentTypes().stream())
                    .distinct().sorted().toArray(String[]::new);
            urgent = types;
        }
        return types;
    }

    /**
     * Claims a row for {@code node} until {@code until} ({@code now} and {@code until}: the database's time); false
     * when another replica holds it or it is no longer pending. The claim is the attempt: it is counted before
     * anything is sent, so that a replica killed mid-way leaves a row that says it may have been performed.
     */
    public boolean claim(long id, String node, OffsetDateTime now, OffsetDateTime until) {
        String sql = "UPDATE outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1, claims = claims + 1"
                + " WHERE id = ? AND status = 'PENDING' AND (claimed_until IS NULL OR claimed_until < ?)";
        return db.update("claim outbox row " + id, sql, text(node), until, id, now) == 1;
    }

    /**
     * Claims the rows {@code ids} that are still free (as {@link #claim(long, String, OffsetDateTime, OffsetDateTime)}
     * does each) in one statement, and answers them as claimed (attempts and claims counted): what a look of the
     * relay takes. A row another replica took meanwhile, or no longer pending, is not among them.
     */
    public List<OutboxRow> claim(List<Long> ids, String node, OffsetDateTime now, OffsetDateTime until) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String sql = "UPDATE outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1, claims = claims + 1"
                + " WHERE id = ANY(?) AND status = 'PENDING' AND (claimed_until IS NULL OR claimed_until < ?)";
        return db.updateReturning("claim outbox rows " + ids, sql, COLUMN_NAMES, Outbox::row, text(node), until,
                ids.toArray(Long[]::new), now);
    }

    /** {@link #COLUMNS}, one by one (for the rows an UPDATE returns). */
    private static final String[] COLUMN_NAMES = COLUMNS.split(",\\s*");

    public Optional<OutboxRow> find(long id) {
        return db.one("read outbox row " + id, "SELECT " + COLUMNS + " FROM outbox WHERE id = ?", Outbox::row, id);
    }

    /**
     * Marks a claimed row done; false when the claim was lost meanwhile (another replica took it over). Its
     * payload's access tokens go with it ({@link #withoutTokens}): they were only kept to write the mail.
     */
    public boolean done(OutboxRow row, String node, OffsetDateTime now) {
        String sql = "UPDATE outbox SET status = 'DONE', done_at = ?, claimed_by = NULL, claimed_until = NULL,"
                + " last_error = NULL, failing_since = NULL, payload = ? WHERE id = ? AND claimed_by = ?";
        return db.update("update outbox row " + row.id(), sql, now, text(withoutTokens(row.payload())), row.id(),
                text(node)) == 1;
    }

    /**
     * Marks claimed rows done in one statement (as {@link #done(OutboxRow, String, OffsetDateTime)} does each, tokens
     * scrubbed from the payloads that hold some) and answers the ids marked: a row missing had lost its claim
     * meanwhile (another replica took it over). What the relay does with the rows its workers finished together.
     */
    public Set<Long> done(List<OutboxRow> rows, String node, OffsetDateTime now) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(now);
        StringBuilder payloads = new StringBuilder();
        for (OutboxRow row : rows) {
            String scrubbed = withoutTokens(row.payload());
            if (!Objects.equals(scrubbed, row.payload())) {
                payloads.append(" WHEN ? THEN ?");
                args.add(row.id());
                args.add(text(scrubbed));
            }
        }
        String sql = "UPDATE outbox SET status = 'DONE', done_at = ?, claimed_by = NULL, claimed_until = NULL,"
                + " last_error = NULL, failing_since = NULL"
                + (payloads.isEmpty() ? "" : ", payload = CASE id" + payloads + " ELSE payload END")
                + " WHERE id = ANY(?) AND claimed_by = ?";
        args.add(rows.stream().map(OutboxRow::id).toArray(Long[]::new));
        args.add(text(node));
        return new HashSet<>(db.updateReturning("update outbox rows "
                + rows.stream().map(OutboxRow::id).toList(), sql, Sql.ID, rs -> rs.getLong(1), args.toArray()));
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
        return db.update("release outbox row " + id, sql, id, text(node)) == 1;
    }

    /**
     * Keeps a claim this replica is still performing: its lease runs until {@code until} (the database's time).
     * False when the claim was no longer ours (another replica took the row over) or the row is no longer pending.
     */
    public boolean extend(long id, String node, OffsetDateTime until) {
        String sql = "UPDATE outbox SET claimed_until = ? WHERE id = ? AND claimed_by = ? AND status = 'PENDING'";
        return db.update("extend the claim of outbox row " + id, sql, until, id, text(node)) == 1;
    }

    /**
     * Records a failed attempt and when to try again ({@code next}: the database's time); {@code failingSince}
     * is when the target started failing (kept from the first failure: see {@link #overdue}).
     */
    public boolean retry(long id, String node, OffsetDateTime next, String error, OffsetDateTime failingSince) {
        String sql = "UPDATE outbox SET next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL, last_error = ?,"
                + " failing_since = COALESCE(failing_since, ?) WHERE id = ? AND claimed_by = ?";
        return db.update("update outbox row " + id, sql, next, text(truncate(error)), failingSince, id, text(node)) == 1;
    }

    /** Gives up on a row: it stays visible as DEAD, holding its lane, until an operator replays or skips it. */
    public boolean dead(long id, String node, OffsetDateTime now, String error) {
        return db.update("update outbox row " + id, "UPDATE outbox SET status = 'DEAD', done_at = ?, claimed_by = NULL,"
                + " claimed_until = NULL, last_error = ? WHERE id = ? AND claimed_by = ?", now, text(truncate(error)), id,
                text(node)) == 1;
    }

    /**
     * Puts a dead row back in the queue with a fresh retry budget (its {@code claims} are kept: it may have reached
     * its target, so its handler asks first).
     */
    public boolean replay(long id, OffsetDateTime now) {
        String sql = "UPDATE outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ?, done_at = NULL,"
                + " failing_since = NULL WHERE id = ? AND status = 'DEAD'";
        return db.update("replay outbox row " + id, sql, now, id) == 1;
    }

    /** An operator gives up on a dead row for good: it is kept as SKIPPED and no longer holds its lane. */
    public boolean skip(long id, OffsetDateTime now) {
        Optional<OutboxRow> row = find(id);
        if (row.isEmpty()) {
            return false;
        }
        String sql = "UPDATE outbox SET status = 'SKIPPED', done_at = ?, payload = ? WHERE id = ? AND status = 'DEAD'";
        return db.update("skip outbox row " + id, sql, now, text(withoutTokens(row.get().payload())), id) == 1;
    }

    /** Pending rows held behind a dead row of their lane. */
    public long held() {
        return single("SELECT count(*) FROM outbox o WHERE o.status = 'PENDING' AND EXISTS (SELECT 1 FROM outbox p"
                + " WHERE p.lane = o.lane AND p.status = 'DEAD' AND p.id < o.id)");
    }

    /** When the oldest pending row was written (held rows included), if any row is pending. */
    public Optional<OffsetDateTime> oldestPending() {
        return db.one(READ, "SELECT min(created_at) FROM outbox WHERE status = 'PENDING'",
                rs -> rs.getObject(1, OffsetDateTime.class));
    }

    /**
     * Pending rows, by type, whose target has been failing since before {@code before} (the database's time):
     * what an operator must hear about although the rows keep waiting.
     */
    public Map<String, Long> overdue(OffsetDateTime before) {
        String sql = "SELECT type, count(*) FROM outbox WHERE status = 'PENDING' AND failing_since < ? GROUP BY type";
        Map<String, Long> counts = new java.util.TreeMap<>();
        db.list(READ, sql, rs -> Map.entry(rs.getString(1), rs.getLong(2)), before)
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    private long single(String sql) {
        return db.one(READ, sql, rs -> rs.getLong(1)).orElseThrow();
    }

    public Map<OutboxStatus, Long> countByStatus() {
        Map<OutboxStatus, Long> counts = new EnumMap<>(OutboxStatus.class);
        for (OutboxStatus s : OutboxStatus.values()) {
            counts.put(s, 0L);
        }
        db.list("count the outbox", "SELECT status, count(*) FROM outbox GROUP BY status",
                rs -> Map.entry(OutboxStatus.valueOf(rs.getString(1)), rs.getLong(2)))
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    public List<OutboxRow> list(OutboxStatus status, int limit) {
        return list(status, limit, 0);
    }

    /** Rows in {@code status}, the latest first, {@code limit} from {@code offset}. */
    public List<OutboxRow> list(OutboxStatus status, int limit, int offset) {
        String sql = "SELECT " + COLUMNS + " FROM outbox WHERE status = ? ORDER BY id DESC LIMIT ? OFFSET ?";
        return db.list("list the outbox", sql, Outbox::row, status.name(), limit, offset);
    }

    /** The rows of one ticket, in their order (the latest {@code limit}). */
    public List<OutboxRow> ofTicket(long ticketId, int limit) {
        List<OutboxRow> rows = new java.util.ArrayList<>(db.list("list a ticket's outbox", "SELECT " + COLUMNS
                + " FROM outbox WHERE ticket_id = ? ORDER BY id DESC LIMIT ?", Outbox::row, ticketId, limit));
        java.util.Collections.reverse(rows);
        return rows;
    }

    /** Deletes rows done before {@code before}; dead rows are kept until replayed or handled by hand. */
    public int purgeDone(OffsetDateTime before) {
        String sql = "DELETE FROM outbox WHERE status = 'DONE' AND done_at < ?";
        return db.update("purge the outbox", sql, before);
    }

    /** A string bound as {@code setString} binds it: a null as a typed VARCHAR null. */
    private static Object text(String s) {
        return Sql.typed(s, Types.VARCHAR);
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
