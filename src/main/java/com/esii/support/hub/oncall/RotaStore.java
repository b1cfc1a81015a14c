package com.esii.support.hub.oncall;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.Sql;

/** The rota's tables: technicians, rotations and overrides. Each call is its own statement ({@link Sql}). */
@ApplicationScoped
public class RotaStore {

    public record Technician(String code, String name, String email, String phone) {
    }

    private static final String READ = "read the rota";
    private static final String WRITE = "update the rota";

    private final Sql db;

    public RotaStore(DataSource ds) {
        this.db = new Sql(ds);
    }

    public List<Technician> technicians() {
        return db.list(READ, "SELECT code, name, email, phone FROM oncall_technician ORDER BY code", RotaStore::technician);
    }

    public Optional<Technician> technician(String code) {
        return db.one(READ, "SELECT code, name, email, phone FROM oncall_technician WHERE code = ?",
                RotaStore::technician, code);
    }

    private static Technician technician(ResultSet rs) throws SQLException {
        return new Technician(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
    }

    /** Creates or replaces a technician. */
    public void putTechnician(Technician t, OffsetDateTime now) {
        int updated = db.update(WRITE, "UPDATE oncall_technician SET name = ?, email = ?, phone = ?, updated_at = ?"
                + " WHERE code = ?", t.name(), t.email(), t.phone(), now, t.code());
        if (updated == 0) {
            db.update(WRITE, "INSERT INTO oncall_technician (code, name, email, phone, updated_at) VALUES (?, ?, ?, ?, ?)",
                    t.code(), t.name(), t.email(), t.phone(), now);
        }
    }

    public boolean deleteTechnician(String code) {
        return db.update(WRITE, "DELETE FROM oncall_technician WHERE code = ?", code) == 1;
    }

    public List<OnCallRota.Rotation> rotations() {
        return db.list(READ, "SELECT name, starts_on, members FROM oncall_rotation ORDER BY starts_on",
                rs -> new OnCallRota.Rotation(rs.getString(1), rs.getObject(2, LocalDate.class),
                        Arrays.stream(rs.getString(3).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()));
    }

    public void putRotation(OnCallRota.Rotation r, OffsetDateTime now) {
        String members = String.join(",", r.members());
        int updated = db.update(WRITE, "UPDATE oncall_rotation SET starts_on = ?, members = ?, updated_at = ? WHERE name = ?",
                r.startsOn(), members, now, r.name());
        if (updated == 0) {
            db.update(WRITE, "INSERT INTO oncall_rotation (name, starts_on, members, updated_at) VALUES (?, ?, ?, ?)",
                    r.name(), r.startsOn(), members, now);
        }
    }

    public boolean deleteRotation(String name) {
        return db.update(WRITE, "DELETE FROM oncall_rotation WHERE name = ?", name) == 1;
    }

    public List<OnCallRota.Override> overrides() {
        return db.list(READ, "SELECT id, starts_at, ends_at, technician, reason FROM oncall_override ORDER BY starts_at, id",
                rs -> new OnCallRota.Override(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4), rs.getString(5)));
    }

    public long addOverride(Instant startsAt, Instant endsAt, String technician, String reason, OffsetDateTime now) {
        return db.insert("store the override", "INSERT INTO oncall_override (starts_at, ends_at, technician, reason,"
                + " created_at) VALUES (?, ?, ?, ?, ?)", startsAt.atOffset(ZoneOffset.UTC), endsAt.atOffset(ZoneOffset.UTC),
                technician, reason, now);
    }

    public boolean deleteOverride(long id) {
        return db.update(WRITE, "DELETE FROM oncall_override WHERE id = ?", id) == 1;
    }
}
