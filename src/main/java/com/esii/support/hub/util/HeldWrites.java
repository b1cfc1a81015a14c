package com.esii.support.hub.util;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Writes held back within one transaction and sent together: the rows a batch of mails writes, one multi-row INSERT
 * per table at the end instead of one INSERT per row (issue 29). While open on a thread, {@link Sql} holds every
 * plain INSERT ({@code INSERT INTO t (a, b) VALUES (?, ?)}), giving it, when its caller asks for the row's id, one
 * drawn ahead from the table's sequence; any other statement (a read, an UPDATE, an INSERT ... SELECT) first
 * writes everything held, each table in the place it first took, so that the transaction always reads what it
 * wrote. Code that reaches the database without {@link Sql} calls {@link #writeHeld()} first.
 *
 * <p>Hand-written, in the hub's plain JDBC (no ORM here to flush an action queue): one multi-row VALUES per table
 * rather than PgJDBC's {@code reWriteBatchedInserts}, which cuts a batch into power-of-two statements (50 rows: 3)
 * and would apply to the whole pool. A burst of 300 mails went from 19.5 to 12.7 statements per new ticket with it
 * ({@code bench/results/cost-profile-2026-12-05.md}).
 *
 * <p>PostgreSQL only (the ids drawn ahead with {@code nextval}): on another database {@link #open} holds nothing
 * and every statement runs at once, as without it. Held rows are the transaction's: when it rolls back they are
 * dropped, and a row that cannot be written fails the statement that writes the held rows (so
 * would a row naming a row of a table first held after its own: each mail of a batch holds its raw content first,
 * then its messages, then its receipt; the intake takes a failed batch again mail by mail).
 */
public final class HeldWrites {

    private static final ThreadLocal<HeldWrites> CURRENT = new ThreadLocal<>();
    /** Whether a pool's database is PostgreSQL, asked once per pool. */
    private static final Map<DataSource, Boolean> POSTGRES = new ConcurrentHashMap<>();
    /** A plain single-row INSERT: its table, its columns, nothing but parameters for values. */
    private static final Pattern PLAIN = Pattern.compile(
            "INSERT INTO (\\w+) \\(([\\w, ]+)\\) VALUES \\((\\?(?:, \\?)*)\\)");
    /** Parameters per statement, well under PostgreSQL's 65,535. */
    private static final int MAX_PARAMETERS = 30_000;

    private final DataSource ds;
    /** Ids drawn ahead at once for a table: about what the batch will write. */
    private final int draw;
    private final Map<String, ArrayDeque<Long>> ids = new HashMap<>();
    /** The held rows by statement head ({@code INSERT INTO t (cols)}). */
    private final Map<String, List<Object[]>> rows = new HashMap<>();
    /**
     * The heads in the order they first came since {@link #open}, kept across writes: a table is written in the same
     * place each time, so a row comes after the rows it names (a mail's raw content, first of its rows, before its
     * message and receipt), whatever was written in between.
     */
    private final java.util.LinkedHashSet<String> order = new java.util.LinkedHashSet<>();
    /** What runs when the held rows are written the last time ({@link #last}). */
    private final List<Runnable> last = new ArrayList<>();
    /** Rows a caller writes itself, all at once, after the held ones (the outbox's: {@link #together}). */
    private final LinkedHashMap<Object, Together<?>> together = new LinkedHashMap<>();
    private boolean writing;
    private int statements;

    private HeldWrites(DataSource ds, int draw) {
        this.ds = ds;
        this.draw = Math.max(1, draw);
    }

    /**
     * Holds this thread's plain INSERTs on {@code ds} until {@link #writeHeld()} (or the next other statement), in
     * the transaction running now, which must write them ({@link #writeHeld()}) before it commits; when it ends,
     * nothing is held any more. {@code rows}: about how many rows a table will get (ids drawn at once). False,
     * holding nothing, when the database is not PostgreSQL.
     */
    public static boolean open(DataSource ds, int rows, TransactionSynchronizationRegistry transaction) {
        CURRENT.remove();
        if (!postgres(ds)) {
            return false;
        }
        HeldWrites held = new HeldWrites(ds, rows);
        AfterCompletion.register(transaction, status -> {
            if (CURRENT.get() == held) {
                CURRENT.remove();
            }
        });
        CURRENT.set(held);
        return true;
    }

    /** Whether {@link #open} holds anything on this pool's database (PostgreSQL). */
    public static boolean supported(DataSource ds) {
        return postgres(ds);
    }

    /** Whether this thread holds its plain INSERTs. */
    public static boolean holding() {
        return CURRENT.get() != null;
    }

    /** The statements that wrote held rows since {@link #open} (for the tests and the logs). */
    public static int statements() {
        HeldWrites h = CURRENT.get();
        return h == null ? 0 : h.statements;
    }

    /**
     * Writes what this thread holds, before a statement that may read it (nothing when holding nothing, or while the
     * held rows are being written).
     */
    public static void writeHeld() {
        HeldWrites h = CURRENT.get();
        if (h != null && !h.writing) {
            h.flush();
        }
    }

    /**
     * Holds a plain INSERT on this thread, if it holds them: then true, and the row is written with the others of
     * its table. False for any other statement, which the caller runs (after {@link #writeHeld()}).
     */
    static boolean hold(DataSource ds, String sql, Object[] args) {
        HeldWrites h = CURRENT.get();
        Matcher m = h == null ? null : h.plain(ds, sql, args);
        if (m == null) {
            return false;
        }
        h.held("INSERT INTO " + m.group(1) + " (" + m.group(2) + ")").add(args.clone());
        return true;
    }

    /**
     * As {@link #hold}, for a caller that wants the row's id: the id is drawn ahead from the table's sequence and
     * written with the row. Null when not held.
     */
    static Long holdForId(DataSource ds, String sql, Object[] args) {
        HeldWrites h = CURRENT.get();
        Matcher m = h == null ? null : h.plain(ds, sql, args);
        if (m == null) {
            return null;
        }
        long id = h.nextId(m.group(1));
        Object[] row = new Object[args.length + 1];
        row[0] = id;
        System.arraycopy(args, 0, row, 1, args.length);
        h.held("INSERT INTO " + m.group(1) + " (id, " + m.group(2) + ")").add(row);
        return id;
    }

    /**
     * Rows a caller writes itself in one statement of its own (its ids drawn then, in order: the outbox's lanes keep
     * their order), held with the others: {@code write} gets every row held under {@code key} since the last write,
     * after the plain INSERTs held before them. False when this thread holds nothing: the caller writes them now.
     */
    public static <T> boolean together(Object key, List<T> held, Consumer<List<T>> write) {
        HeldWrites h = CURRENT.get();
        if (h == null) {
            return false;
        }
        @SuppressWarnings("unchecked")
        Together<T> t = (Together<T>) h.together.computeIfAbsent(key, k -> new Together<>(write));
        t.rows.addAll(held);
        return true;
    }

    private static final class Together<T> {
        final Consumer<List<T>> write;
        final List<T> rows = new ArrayList<>();

        Together(Consumer<List<T>> write) {
            this.write = write;
        }

        void write() {
            write.accept(rows);
        }
    }

    /** The statement as a plain INSERT on this holder's pool (its table, columns, values), or null. */
    private Matcher plain(DataSource pool, String sql, Object[] args) {
        if (pool != ds) {
            return null;
        }
        Matcher m = PLAIN.matcher(sql);
        return m.matches() && count(m.group(3)) == args.length ? m : null;
    }

    private List<Object[]> held(String head) {
        order.add(head);
        return rows.computeIfAbsent(head, k -> new ArrayList<>());
    }

    /**
     * Runs {@code step} when this thread's held rows are written the last time ({@link #finish}), still in their
     * transaction, instead of now: for a write that takes a lock other transactions take after the rows' own
     * (Quartz's trigger lock: held from the first ticket to the commit, it would stall every replica's scheduler for
     * the batch's length). False, and nothing kept, when this thread holds nothing: the caller runs it now.
     */
    public static boolean last(Runnable step) {
        HeldWrites h = CURRENT.get();
        if (h == null) {
            return false;
        }
        h.last.add(step);
        return true;
    }

    /** The last write before the commit: what is held, the steps kept for the end ({@link #last}), what they held. */
    public static void finish() {
        HeldWrites h = CURRENT.get();
        if (h == null) {
            return;
        }
        h.flush();
        while (!h.last.isEmpty()) {
            List<Runnable> steps = new ArrayList<>(h.last);
            h.last.clear();
            steps.forEach(Runnable::run);
            h.flush();
        }
    }

    /** The held rows written: one statement per table (more above {@value #MAX_PARAMETERS} parameters), in order. */
    private void flush() {
        writing = true;
        try {
            while (!rows.isEmpty() || !together.isEmpty()) {
                for (String head : order) {
                    List<Object[]> held = rows.remove(head);
                    if (held != null) {
                        write(head, held);
                    }
                }
                List<Together<?>> theirs = new ArrayList<>(together.values());
                together.clear();
                for (Together<?> t : theirs) {
                    statements++;
                    t.write(); // what it does with its ids may hold more rows: the loop writes them
                }
            }
        } finally {
            writing = false;
        }
    }

    private void write(String head, List<Object[]> held) {
        int width = held.get(0).length;
        int perStatement = Math.max(1, MAX_PARAMETERS / width);
        String one = "(" + String.join(", ", java.util.Collections.nCopies(width, "?")) + ")";
        for (int from = 0; from < held.size(); from += perStatement) {
            List<Object[]> part = held.subList(from, Math.min(held.size(), from + perStatement));
            StringBuilder sql = new StringBuilder(head).append(" VALUES ");
            List<Object> args = new ArrayList<>(part.size() * width);
            for (Object[] row : part) {
                sql.append(args.isEmpty() ? "" : ", ").append(one);
                args.addAll(Arrays.asList(row));
            }
            statements++;
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Sql.bind(ps, args.toArray());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new DatabaseException("Could not write the held rows (" + head + ")", e);
            }
        }
    }

    /** An id of the table's sequence, drawn ahead with others (one statement for {@link #draw} of them). */
    private long nextId(String table) {
        ArrayDeque<Long> pool = ids.computeIfAbsent(table, k -> new ArrayDeque<>());
        if (pool.isEmpty()) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)")) {
                ps.setString(1, table);
                ps.setInt(2, draw);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pool.add(rs.getLong(1));
                    }
                }
            } catch (SQLException e) {
                throw new DatabaseException("Could not draw ids for " + table, e);
            }
            statements++;
        }
        return pool.poll();
    }

    private static int count(String params) {
        return (params.length() + 2) / 3; // "?", "?, ?", ...
    }

    private static boolean postgres(DataSource ds) {
        return POSTGRES.computeIfAbsent(ds, d -> {
            try (Connection c = d.getConnection()) {
                return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                        .contains("postgres");
            } catch (SQLException e) {
                throw new DatabaseException("Could not ask which database this is", e);
            }
        });
    }
}
