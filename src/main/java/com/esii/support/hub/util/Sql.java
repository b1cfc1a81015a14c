package com.esii.support.hub.util;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * One way to run a statement on the hub's database: a connection from the pool (enlisted in the caller's JTA
 * transaction when there is one), the arguments bound in order ({@code setObject}), the connection given back, and a
 * failure as a {@link DatabaseException} saying what could not be done ({@code "Could not " + what}). Inside
 * {@link HeldWrites}, a plain INSERT is held and written with the others of its table; any other statement writes
 * what is held first.
 */
public final class Sql {

    /** Reads one row of a result. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The generated key asked back from an INSERT: every table of the hub keys its rows by {@code id}. */
    public static final String[] ID = { "id" };

    private final DataSource ds;

    public Sql(DataSource ds) {
        this.ds = ds;
    }

    /** Runs an INSERT, UPDATE or DELETE; the number of rows it changed. */
    public int update(String what, String sql, Object... args) {
        if (HeldWrites.hold(ds, sql, args)) {
            return 1;
        }
        HeldWrites.writeHeld();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException("Could not " + what, e);
        }
    }

    /** Runs one statement for each row of arguments, as one batch. */
    public void batch(String what, String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        HeldWrites.writeHeld();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] args : rows) {
                bind(ps, args);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new DatabaseException("Could not " + what, e);
        }
    }

    /**
     * Runs an INSERT and answers the key the database generated for the row: its {@code id} column, the only one
     * asked back ({@code RETURNING id}; {@code RETURN_GENERATED_KEYS} made PostgreSQL's driver ask for the whole row,
     * an attachment's or raw mail's bytes included).
     */
    public long insert(String what, String sql, Object... args) {
        Long held = HeldWrites.holdForId(ds, sql, args);
        if (held != null) {
            return held;
        }
        return insert(what, sql, ID, rs -> rs.getLong(1), args);
    }

    /**
     * Runs an INSERT of one row and reads back the columns named (the values the database gave them: a generated
     * key, a column computed in the statement).
     */
    public <T> T insert(String what, String sql, String[] columns, Row<T> row, Object... args) {
        HeldWrites.writeHeld();
        return insertNow(what, sql, columns, row, args);
    }

    /**
     * As {@link #insert(String, String, String[], Row, Object...)}, at once even inside {@link HeldWrites}, without
     * writing the held rows first: for an INSERT that reads no row of its transaction and that no held row needs
     * (a ticket, numbered by its own statement, before its rows).
     */
    public <T> T insertNow(String what, String sql, String[] columns, Row<T> row, Object... args) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql, columns)) {
            bind(ps, args);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated key");
                }
                return row.read(keys);
            }
        } catch (SQLException e) {
            throw new DatabaseException("Could not " + what, e);
        }
    }

    /**
     * Runs an INSERT of several rows ({@code VALUES (..), (..)}) and answers the keys the database generated for
     * them ({@code id}), in ascending order: the order of the rows (one sequence, drawn row by row).
     */
    public List<Long> insertAll(String what, String sql, Object... args) {
        HeldWrites.writeHeld();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql, ID)) {
            bind(ps, args);
            ps.executeUpdate();
            List<Long> ids = new ArrayList<>();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                while (keys.next()) {
                    ids.add(keys.getLong(1));
                }
            }
            ids.sort(null);
            return ids;
        } catch (SQLException e) {
            throw new DatabaseException("Could not " + what, e);
        }
    }

    /**
     * Runs an UPDATE and answers the rows it changed, each read from {@code columns} (in that order) as they are
     * after it: one round trip where an UPDATE then a SELECT of the same rows would take two (the driver asks for
     * them as generated keys: {@code RETURNING} on PostgreSQL, a data change delta table on H2).
     */
    public <T> List<T> updateReturning(String what, String sql, String[] columns, Row<T> row, Object... args) {
        HeldWrites.writeHeld();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql, columns)) {
            bind(ps, args);
            ps.executeUpdate();
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("Could not " + what, e);
        }
    }

    /** The first row of a query, if any. */
    public <T> Optional<T> one(String what, String sql, Row<T> row, Object... args) {
        HeldWrites.writeHeld();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(row.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException("Could not " + what, e);
        }
    }

    /** Every row of a query. */
    public <T> List<T> list(String what, String sql, Row<T> row, Object... args) {
        HeldWrites.writeHeld();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("Could not " + what, e);
        }
    }

    /**
     * An argument bound with its SQL type ({@code setObject(i, value, sqlType)}): a null then reaches the database
     * typed ({@code Types.VARCHAR} as {@code setString} would, {@code Types.BIGINT}...), where a plain null is bound
     * as of no type and PostgreSQL must infer one from the statement, which it cannot in every position.
     */
    public static Object typed(Object value, int sqlType) {
        return new Typed(value, sqlType);
    }

    private record Typed(Object value, int sqlType) {
    }

    static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Typed t) {
                ps.setObject(i + 1, t.value(), t.sqlType());
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }
}
