package com.esii.support.hub.onsite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.Sql;

/** The interventions' table ({@code onsite_visit}, one row per ticket) and the replies kept unapplied. */
@ApplicationScoped
public class VisitStore {

    /** Where an intervention stands. */
    public enum Status {
        /** A quote must be accepted first (customer without maintenance). */
        QUOTE,
        /** A proposal is being computed (the {@code onsite-plan} row is queued). */
        PLANNING,
        /** Proposed to staff, not accepted yet. */
        PROPOSED,
        /** Nobody could be placed: staff plan it by hand. */
        UNPLANNED,
        /** Invitations sent to the customer and the technician. */
        INVITED,
        /** The customer accepted. */
        ACCEPTED,
        CANCELLED,
        DONE;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Row(long ticketId, String uid, int sequence, Status status, String worker, String workerName,
            String workerKind, String workerEmail, OffsetDateTime startsAt, OffsetDateTime endsAt,
            Integer travelMinutes, OffsetDateTime dueAt, String address, String postcode, String town,
            String department, String contact, List<Planner.Window> refused, OffsetDateTime remindedAt,
            String invitedEmail) {

        Row with(Status s) {
            return new Row(ticketId, uid, sequence, s, worker, workerName, workerKind, workerEmail, startsAt, endsAt,
                    travelMinutes, dueAt, address, postcode, town, department, contact, refused, remindedAt, invitedEmail);
        }

        Row invited(String email) {
            return new Row(ticketId, uid, sequence, status, worker, workerName, workerKind, workerEmail, startsAt,
                    endsAt, travelMinutes, dueAt, address, postcode, town, department, contact, refused, remindedAt,
                    email);
        }

        Row site(String newAddress, String newPostcode, String newTown, String newDepartment, String newContact,
                OffsetDateTime due) {
            return new Row(ticketId, uid, sequence, status, worker, workerName, workerKind, workerEmail, startsAt,
                    endsAt, travelMinutes, due, newAddress, newPostcode, newTown, newDepartment, newContact, refused,
                    remindedAt, invitedEmail);
        }

        Row planned(Status s, int seq, String code, String name, String kind, String email, OffsetDateTime from,
                OffsetDateTime to, Integer travel) {
            return new Row(ticketId, uid, seq, s, code, name, kind, email, from, to, travel, dueAt, address, postcode,
                    town, department, contact, refused, null, invitedEmail);
        }

        Row refusing(Planner.Window w) {
            List<Planner.Window> r = new ArrayList<>(refused);
            r.add(w);
            return new Row(ticketId, uid, sequence, status, worker, workerName, workerKind, workerEmail, startsAt,
                    endsAt, travelMinutes, dueAt, address, postcode, town, department, contact, r, remindedAt, invitedEmail);
        }
    }

    private static final String READ = "read the interventions";
    private static final String WRITE = "record the intervention";
    private static final String COLUMNS = "ticket_id, uid, sequence, status, worker, worker_name, worker_kind,"
            + " worker_email, starts_at, ends_at, travel_minutes, due_at, address, postcode, town, department, contact,"
            + " refused, reminded_at, invited_email";

    private final Sql db;

    public VisitStore(DataSource ds) {
        this.db = new Sql(ds);
    }

    public Optional<Row> byTicket(long ticketId) {
        return db.one(READ, "SELECT " + COLUMNS + " FROM onsite_visit WHERE ticket_id = ?", VisitStore::row, ticketId);
    }

    /** The row, locked until the transaction ends (two replies on one intervention apply one after the other). */
    public Optional<Row> lock(long ticketId) {
        return db.one(READ, "SELECT " + COLUMNS + " FROM onsite_visit WHERE ticket_id = ? FOR UPDATE", VisitStore::row,
                ticketId);
    }

    public Optional<Row> byUid(String uid) {
        return db.one(READ, "SELECT " + COLUMNS + " FROM onsite_visit WHERE uid = ?", VisitStore::row, uid);
    }

    /** Interventions planned (proposed, invited or accepted) that overlap [from, to), any ticket. */
    public List<Row> planned(OffsetDateTime from, OffsetDateTime to) {
        return db.list(READ, "SELECT " + COLUMNS + " FROM onsite_visit WHERE status IN ('proposed', 'invited',"
                + " 'accepted', 'done') AND starts_at < ? AND ends_at > ? ORDER BY starts_at", VisitStore::row, to, from);
    }

    /** Invited or accepted interventions starting in [from, to) not reminded yet. */
    public List<Row> toRemind(OffsetDateTime from, OffsetDateTime to) {
        return db.list(READ, "SELECT " + COLUMNS + " FROM onsite_visit WHERE status IN ('invited', 'accepted')"
                + " AND reminded_at IS NULL AND starts_at >= ? AND starts_at < ?", VisitStore::row, from, to);
    }

    /** Proposals staff have not accepted before their slot began. */
    public List<Row> expiredProposals(OffsetDateTime now) {
        return db.list(READ, "SELECT " + COLUMNS + " FROM onsite_visit WHERE status = 'proposed' AND starts_at < ?",
                VisitStore::row, now);
    }

    /** Planned (any status but cancelled) to start in [from, to), for the figures. */
    public List<Row> starting(OffsetDateTime from, OffsetDateTime to) {
        return db.list(READ, "SELECT " + COLUMNS + " FROM onsite_visit WHERE status <> 'cancelled'"
                + " AND starts_at >= ? AND starts_at < ? ORDER BY starts_at", VisitStore::row, from, to);
    }

    /** Rows planned with this worker, from now on. */
    public List<Row> ofWorker(String worker, OffsetDateTime from) {
        return db.list(READ, "SELECT " + COLUMNS + " FROM onsite_visit WHERE worker = ? AND status IN ('proposed',"
                + " 'invited', 'accepted') AND ends_at > ?", VisitStore::row, worker, from);
    }

    public void insert(Row r, OffsetDateTime now) {
        db.update(WRITE, "INSERT INTO onsite_visit (" + COLUMNS + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r.ticketId(), r.uid(), r.sequence(), r.status().code(), r.worker(),
                r.workerName(), r.workerKind(), r.workerEmail(), r.startsAt(), r.endsAt(), r.travelMinutes(), r.dueAt(),
                r.address(), r.postcode(), r.town(), r.department(), r.contact(), windows(r.refused()), r.remindedAt(),
                r.invitedEmail(), now);
    }

    public void update(Row r, OffsetDateTime now) {
        db.update(WRITE, "UPDATE onsite_visit SET sequence = ?, status = ?, worker = ?, worker_name = ?, worker_kind = ?,"
                + " worker_email = ?, starts_at = ?, ends_at = ?, travel_minutes = ?, due_at = ?, refused = ?,"
                + " reminded_at = ?, invited_email = ?, address = ?, postcode = ?, town = ?, department = ?, contact = ?,"
                + " updated_at = ? WHERE ticket_id = ?", r.sequence(), r.status().code(), r.worker(), r.workerName(),
                r.workerKind(), r.workerEmail(), r.startsAt(), r.endsAt(), r.travelMinutes(), r.dueAt(),
                windows(r.refused()), r.remindedAt(), r.invitedEmail(), r.address(), r.postcode(), r.town(),
                r.department(), r.contact(), now, r.ticketId());
    }

    /** Marks the reminder sent; false when another replica did first. */
    public boolean reminded(long ticketId, OffsetDateTime at) {
        return db.update(WRITE, "UPDATE onsite_visit SET reminded_at = ? WHERE ticket_id = ? AND reminded_at IS NULL",
                at, ticketId) == 1;
    }

    /** Keeps a calendar reply the hub could not apply, for staff to read. */
    public void keepReply(String uid, String sender, String outcome, String calendar, OffsetDateTime at) {
        db.update("keep the calendar reply", "INSERT INTO onsite_reply (uid, sender, outcome, calendar, received_at)"
                + " VALUES (?, ?, ?, ?, ?)", uid, sender, outcome.length() > 300 ? outcome.substring(0, 300) : outcome,
                calendar, at);
    }

    private static Row row(ResultSet rs) throws SQLException {
        Object travel = rs.getObject(11);
        return new Row(rs.getLong(1), rs.getString(2), rs.getInt(3), Status.valueOf(rs.getString(4)
                .toUpperCase(java.util.Locale.ROOT)), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8), time(rs, 9), time(rs, 10), travel == null ? null : ((Number) travel).intValue(),
                time(rs, 12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16),
                rs.getString(17), windows(rs.getString(18)), time(rs, 19), rs.getString(20));
    }

    private static OffsetDateTime time(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String windows(List<Planner.Window> ws) {
        StringBuilder b = new StringBuilder();
        for (Planner.Window w : ws) {
            b.append(b.length() == 0 ? "" : ";").append(w.from()).append('/').append(w.to());
        }
        return b.toString();
    }

    private static List<Planner.Window> windows(String s) {
        List<Planner.Window> ws = new ArrayList<>();
        if (s != null && !s.isBlank()) {
            for (String w : s.split(";")) {
                String[] ends = w.split("/");
                ws.add(new Planner.Window(Instant.parse(ends[0]), Instant.parse(ends[1])));
            }
        }
        return ws;
    }
}
