package com.esii.support.hub.onsite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.Sql;

/** The field team's tables: technicians and partner companies, and their absences. */
@ApplicationScoped
public class FieldTeam {

    /**
     * A member of the field team.
     *
     * @param kind        technician or partner
     * @param departments for a partner, the departments it covers (a technician goes anywhere)
     * @param hours       working hours as a calendar ({@code MON-FRI 08:00-17:00 fr}), null: the support desk's
     */
    public record Member(String code, String name, String kind, String email, String phone, String basePostcode,
            Set<String> departments, String hours) {
    }

    public record Absence(long id, String worker, OffsetDateTime from, OffsetDateTime to, String reason) {
    }

    private static final String READ = "read the field team";
    private static final String WRITE = "update the field team";
    private static final String COLUMNS = "code, name, kind, email, phone, base_postcode, departments, hours";

    private final Sql db;

    public FieldTeam(DataSource ds) {
        this.db = new Sql(ds);
    }

    public List<Member> members() {
        return db.list(READ, "SELECT " + COLUMNS + " FROM field_worker ORDER BY kind DESC, code", FieldTeam::member);
    }

    public Optional<Member> member(String code) {
        return db.one(READ, "SELECT " + COLUMNS + " FROM field_worker WHERE code = ?", FieldTeam::member, code);
    }

    private static Member member(ResultSet rs) throws SQLException {
        Set<String> deps = new LinkedHashSet<>();
        Arrays.stream(rs.getString(7).split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(deps::add);
        return new Member(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), deps, rs.getString(8));
    }

    /** Creates or replaces a member. */
    public void put(Member m, OffsetDateTime now) {
        String deps = String.join(",", m.departments());
        int updated = db.update(WRITE, "UPDATE field_worker SET name = ?, kind = ?, email = ?, phone = ?,"
                + " base_postcode = ?, departments = ?, hours = ?, updated_at = ? WHERE code = ?", m.name(), m.kind(),
                m.email(), m.phone(), m.basePostcode(), deps, m.hours(), now, m.code());
        if (updated == 0) {
            db.update(WRITE, "INSERT INTO field_worker (" + COLUMNS + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    m.code(), m.name(), m.kind(), m.email(), m.phone(), m.basePostcode(), deps, m.hours(), now);
        }
    }

    public boolean remove(String code) {
        return db.update(WRITE, "DELETE FROM field_worker WHERE code = ?", code) == 1;
    }

    public long addAbsence(String worker, OffsetDateTime from, OffsetDateTime to, String reason) {
        return db.insert(WRITE, "INSERT INTO field_absence (worker, starts_at, ends_at, reason) VALUES (?, ?, ?, ?)",
                worker, from, to, reason);
    }

    public boolean removeAbsence(long id) {
        return db.update(WRITE, "DELETE FROM field_absence WHERE id = ?", id) == 1;
    }

    /** Absences that overlap [from, to). */
    public List<Absence> absences(OffsetDateTime from, OffsetDateTime to) {
        return db.list(READ, "SELECT id, worker, starts_at, ends_at, reason FROM field_absence WHERE starts_at < ?"
                + " AND ends_at > ? ORDER BY starts_at", rs -> new Absence(rs.getLong(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC),
                        rs.getObject(4, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC), rs.getString(5)),
                to, from);
    }
}
