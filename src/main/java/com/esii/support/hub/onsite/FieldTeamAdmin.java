package com.esii.support.hub.onsite;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;

import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.util.Departments;
import com.esii.support.hub.sla.BusinessCalendar;

/**
 * Editing the field team: technicians and partner companies, and their absences. HTTP Basic, role admin. Removing
 * a member who is planned proposes their interventions again.
 */
@Path("/admin/field-team")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminIdentityProvider.ROLE)
public class FieldTeamAdmin {

    private static final Logger LOG = Logger.getLogger(FieldTeamAdmin.class);

    /**
     * A member: {@code kind} technician or partner, {@code basePostcode} (a French postcode), {@code departments}
     * a partner covers, {@code hours} as a calendar ({@code MON-FRI 08:00-17:00 fr}; empty: the desk's).
     */
    public record MemberRequest(String name, String kind, String email, String phone, String basePostcode,
            List<String> departments, String hours) {
    }

    public record AbsenceRequest(String from, String to, String reason) {
    }

    public record Team(List<FieldTeam.Member> members, List<FieldTeam.Absence> absences) {
    }

    private final FieldTeam team;
    private final OnSitePlanning planning;
    private final Clock clock;

    public FieldTeamAdmin(FieldTeam team, OnSitePlanning planning, Clock clock) {
        this.team = team;
        this.planning = planning;
        this.clock = clock;
    }

    @GET
    public Team team() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return new Team(team.members(), team.absences(now.minusDays(1), now.plusYears(1)));
    }

    @PUT
    @Path("{code}")
    public Response put(@RestPath String code, MemberRequest r) {
        List<Map<String, String>> bad = new ArrayList<>();
        if (!code.matches("[A-Za-z0-9._-]{1,64}")) {
            bad.add(param("code", "letters, digits, '.', '_' or '-', at most 64"));
        }
        if (r == null) {
            return invalid(List.of(param("body", "a member is required")));
        }
        if (r.name() == null || r.name().isBlank()) {
            bad.add(param("name", "required"));
        }
        String kind = r.kind() == null ? Planner.TECHNICIAN : r.kind().strip();
        if (!kind.equals(Planner.TECHNICIAN) && !kind.equals(Planner.PARTNER)) {
            bad.add(param("kind", "technician or partner"));
        }
        if (r.email() == null || !r.email().strip().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            bad.add(param("email", "an email address is required (invitations are mailed there)"));
        }
        if (r.basePostcode() == null || Departments.ofPostcode(r.basePostcode()).isEmpty()) {
            bad.add(param("basePostcode", "a French postcode of a known department, e.g. 34880"));
        }
        Set<String> deps = new LinkedHashSet<>();
        for (String d : r.departments() == null ? List.<String>of() : r.departments()) {
            String c = d == null ? "" : d.strip().toUpperCase(java.util.Locale.ROOT);
            if (Departments.byCode(c).isEmpty()) {
                bad.add(param("departments", "no department " + d + " (01…95, 2A, 2B, 971…976)"));
            } else {
                deps.add(c);
            }
        }
        if (kind.equals(Planner.PARTNER) && deps.isEmpty()) {
            bad.add(param("departments", "a partner covers at least one department"));
        }
        String hours = r.hours() == null || r.hours().isBlank() ? null : r.hours().strip();
        if (hours != null) {
            try {
                BusinessCalendar.parse(ZoneId.of("Europe/Paris"), hours);
            } catch (RuntimeException e) {
                bad.add(param("hours", "days, hours and holidays, e.g. MON-FRI 08:00-17:00 fr: " + e.getMessage()));
            }
        }
        if (!bad.isEmpty()) {
            return invalid(bad);
        }
        team.put(new FieldTeam.Member(code, r.name().strip(), kind, r.email().strip(),
                r.phone() == null || r.phone().isBlank() ? null : r.phone().strip(), r.basePostcode().strip(), deps,
                hours), OffsetDateTime.now(clock));
        LOG.infof("Field team member %s stored", code);
        return Response.ok(team.member(code).orElseThrow()).build();
    }

    @DELETE
    @Path("{code}")
    public Response remove(@RestPath String code) {
        if (!team.remove(code)) {
            return Response.status(404).build();
        }
        LOG.infof("Field team member %s removed", code);
        planning.workerRemoved(code, OffsetDateTime.now(clock));
        return Response.noContent().build();
    }

    @POST
    @Path("{code}/absences")
    public Response absence(@RestPath String code, AbsenceRequest r) {
        if (team.member(code).isEmpty()) {
            return Response.status(404).build();
        }
        List<Map<String, String>> bad = new ArrayList<>();
        OffsetDateTime from = time(r == null ? null : r.from(), "from", bad);
        OffsetDateTime to = time(r == null ? null : r.to(), "to", bad);
        if (from != null && to != null && !to.isAfter(from)) {
            bad.add(param("to", "after from"));
        }
        if (!bad.isEmpty()) {
            return invalid(bad);
        }
        long id = team.addAbsence(code, from, to, r.reason());
        return Response.status(201).entity(Map.of("id", id)).build();
    }

    @DELETE
    @Path("absences/{id}")
    public Response removeAbsence(@RestPath long id) {
        return team.removeAbsence(id) ? Response.noContent().build() : Response.status(404).build();
    }

    private static OffsetDateTime time(String s, String name, List<Map<String, String>> bad) {
        try {
            if (s != null && !s.isBlank()) {
                return OffsetDateTime.parse(s.strip());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        bad.add(param(name, "an ISO-8601 date-time with offset, e.g. 2026-12-07T08:00:00+01:00"));
        return null;
    }

    private static Map<String, String> param(String name, String reason) {
        return Map.of("name", name, "reason", reason);
    }

    private static Response invalid(List<Map<String, String>> params) {
        return Response.status(400).type("application/problem+json").entity(Map.of("title", "Invalid field team entry",
                "status", 400, "invalid-params", params)).build();
    }
}
