package com.esii.support.hub.oncall;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.LedgerException;

/** The rota's tables: technicians, rotations and overrides. Plain JDBC; each call is its own statement. */
@ApplicationScoped
public class RotaStore {

    public record Technician(String code, String name, String email, String phone) {
    }

    private final DataSource ds;

    public RotaStore(DataSource ds) {
        this.ds = ds;
    }

    public List<Technician> technicians() {
        List<Technician> out = new ArrayList<>();
        query("SELECT code, name, email, phone FROM oncall_technician ORDER BY code", null,
                rs -> out.add(new Technician(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))));
        return out;
    }

    public Optional<Technician> technician(String code) {
        List<Technician> out = new ArrayList<>();
        query("SELECT code, name, email, phone FROM oncall_technician WHERE code = ?", ps -> ps.setString(1, code),
                rs -> out.add(new Technician(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))));
        return out.stream().findFirst();
    }

    /** Creates or replaces a technician. */
    public void putTechnician(Technician t, OffsetDateTime now) {
        int updated = update("UPDATE oncall_technician SET name = ?, email = ?, phone = ?, updated_at = ? WHERE code = ?",
                ps -> {
                    ps.setString(1, t.name());
                    ps.setString(2, t.email());
                    ps.setString(3, t.phone());
                    ps.setObject(4, now);
                    ps.setString(5, t.code());
                });
        if (updated == 0) {
            update("INSERT INTO oncall_technician (code, name, email, phone, updated_at) VALUES (?, ?, ?, ?, ?)", ps -> {
                ps.setString(1, t.code());
                ps.setString(2, t.name());
                ps.setString(3, t.email());
                ps.setString(4, t.phone());
                ps.setObject(5, now);
            });
        }
    }

    public boolean deleteTechnician(String code) {
        return update("DELETE FROM oncall_technician WHERE code = ?", ps -> ps.setString(1, code)) == 1;
    }

    public List<OnCallRota.Rotation> rotations() {
        List<OnCallRota.Rotation> out = new ArrayList<>();
        query("SELECT name, starts_on, members FROM oncall_rotation ORDER BY starts_on", null,
                rs -> out.add(new OnCallRota.Rotation(rs.getString(1), rs.getObject(2, LocalDate.class),
                        Arrays.stream(rs.getString(3).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())));
        return out;
    }

    public void putRotation(OnCallRota.Rotation r, OffsetDateTime now) {
        String members = String.join(",", r.members());
        int updated = update("UPDATE oncall_rotation SET starts_on = ?, members = ?, updated_at = ? WHERE name = ?", ps -> {
            ps.setObject(1, r.startsOn());
            ps.setString(2, members);
            ps.setObject(3, now);
            ps.setString(4, r.name());
        });
        if (updated == 0) {
            update("INSERT INTO oncall_rotation (name, starts_on, members, updated_at) VALUES (?, ?, ?, ?)", ps -> {
                ps.setString(1, r.name());
                ps.setObject(2, r.startsOn());
                ps.setString(3, members);
                ps.setObject(4, now);
            });
        }
    }

    public boolean deleteRotation(String name) {
        return update("DELETE FROM oncall_rotation WHERE name = ?", ps -> ps.setString(1, name)) == 1;
    }

    public List<OnCallRota.Override> overrides() {
        List<OnCallRota.Override> out = new ArrayList<>();
        query("SELECT id, starts_at, ends_at, technician, reason FROM oncall_override ORDER BY starts_at, id", null,
                rs -> out.add(new OnCallRota.Override(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4), rs.getString(5))));
        return out;
    }

    public long addOverride(Instant startsAt, Instant endsAt, String technician, String reason, OffsetDateTime now) {
        String sql = "INSERT INTO oncall_override (starts_at, ends_at, technician, reason, created_at) VALUES (?, ?, ?, ?, ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setObject(1, startsAt.atOffset(ZoneOffset.UTC));
            ps.setObject(2, endsAt.atOffset(ZoneOffset.UTC));
            ps.setString(3, technician);
            ps.setString(4, reason);
            ps.setObject(5, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not store the override", e);
        }
    }

    public boolean deleteOverride(long id) {
        return update("DELETE FROM oncall_override WHERE id = ?", ps -> ps.setLong(1, id)) == 1;
    }

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Binder binder, RowReader reader) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (binder != null) {
                binder.bind(ps);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read the rota", e);
        }
    }

    private int update(String sql, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not update the rota", e);
        }
    }
}
