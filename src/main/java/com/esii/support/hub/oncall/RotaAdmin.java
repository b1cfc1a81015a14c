package com.esii.support.hub.oncall;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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

/**
 * Editing the rota: technicians, weekly rotations and overrides (swaps, leave). HTTP Basic, role admin. Every change
 * applies at once on every replica (the rota is read from the database).
 */
@Path("/admin/oncall")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminIdentityProvider.ROLE)
public class RotaAdmin {

    private static final Logger LOG = Logger.getLogger(RotaAdmin.class);

    public record TechnicianRequest(String name, String email, String phone) {
    }

    public record RotationRequest(String startsOn, List<String> members) {
    }

    public record OverrideRequest(String from, String to, String technician, String reason) {
    }

    public record Rota(List<RotaStore.Technician> technicians, List<OnCallRota.Rotation> rotations,
            List<OnCallRota.Override> overrides) {
    }

    private final RotaStore store;
    private final Clock clock;

    public RotaAdmin(RotaStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @GET
    public Rota rota() {
        return new Rota(store.technicians(), store.rotations(), store.overrides());
    }

    @PUT
    @Path("technicians/{code}")
    public Response putTechnician(@RestPath String code, TechnicianRequest r) {
        List<Map<String, String>> bad = new ArrayList<>();
        if (!code.matches("[A-Za-z0-9._-]{1,64}")) {
            bad.add(param("code", "letters, digits, '.', '_' or '-', at most 64"));
        }
        if (r == null || r.name() == null || r.name().isBlank()) {
            bad.add(param("name", "required"));
        }
        if (r == null || r.email() == null || !r.email().strip().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            bad.add(param("email", "an email address is required (pages are mailed there)"));
        }
        if (!bad.isEmpty()) {
            return invalid(bad);
        }
        store.putTechnician(new RotaStore.Technician(code, r.name().strip(), r.email().strip(),
                r.phone() == null || r.phone().isBlank() ? null : r.phone().strip()), now());
        LOG.infof("On-call technician %s stored", code);
        return Response.ok(store.technician(code).orElseThrow()).build();
    }

    @DELETE
    @Path("technicians/{code}")
    public Response deleteTechnician(@RestPath String code) {
        boolean inRotation = store.rotations().stream().anyMatch(r -> r.members().contains(code));
        if (inRotation) {
            return Response.status(409).type("application/problem+json").entity(Map.of("title", "In a rotation",
                    "status", 409, "detail", code + " is in a rotation: change the rotation first")).build();
        }
        try {
            return store.deleteTechnician(code) ? Response.noContent().build() : Response.status(404).build();
        } catch (RuntimeException e) {
            return Response.status(409).type("application/problem+json").entity(Map.of("title", "Still referenced",
                    "status", 409, "detail", code + " has overrides: delete them first")).build();
        }
    }

    @PUT
    @Path("rotations/{name}")
    public Response putRotation(@RestPath String name, RotationRequest r) {
        List<Map<String, String>> bad = new ArrayList<>();
        LocalDate startsOn = null;
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            bad.add(param("name", "letters, digits, '.', '_' or '-', at most 64"));
        }
        try {
            startsOn = r == null || r.startsOn() == null ? null : LocalDate.parse(r.startsOn().strip());
        } catch (DateTimeParseException e) {
            // reported below
        }
        if (startsOn == null) {
            bad.add(param("startsOn", "the first week's Monday, e.g. 2026-01-05"));
        } else if (startsOn.getDayOfWeek() != DayOfWeek.MONDAY) {
            bad.add(param("startsOn", startsOn + " is a " + startsOn.getDayOfWeek() + ", not a Monday"));
        }
        List<String> members = r == null || r.members() == null ? List.of()
                : r.members().stream().map(m -> m == null ? "" : m.strip()).toList();
        Set<String> known = store.technicians().stream().map(RotaStore.Technician::code).collect(Collectors.toSet());
        List<String> unknown = members.stream().filter(m -> !known.contains(m)).toList();
        if (members.isEmpty()) {
            bad.add(param("members", "at least one technician code, in the order of the weeks"));
        } else if (!unknown.isEmpty()) {
            bad.add(param("members", "unknown technicians " + unknown + ": add them first"));
        }
        if (!bad.isEmpty()) {
            return invalid(bad);
        }
        store.putRotation(new OnCallRota.Rotation(name, startsOn, members), now());
        LOG.infof("On-call rotation %s stored from %s: %s", name, startsOn, members);
        return Response.ok(new OnCallRota.Rotation(name, startsOn, members)).build();
    }

    @DELETE
    @Path("rotations/{name}")
    public Response deleteRotation(@RestPath String name) {
        return store.deleteRotation(name) ? Response.noContent().build() : Response.status(404).build();
    }

    @POST
    @Path("overrides")
    public Response addOverride(OverrideRequest r) {
        List<Map<String, String>> bad = new ArrayList<>();
        OffsetDateTime from = time(r == null ? null : r.from(), "from", bad);
        OffsetDateTime to = time(r == null ? null : r.to(), "to", bad);
        if (from != null && to != null && !to.isAfter(from)) {
            bad.add(param("to", "must be after from"));
        }
        String technician = r == null || r.technician() == null ? null : r.technician().strip();
        if (technician == null || store.technician(technician).isEmpty()) {
            bad.add(param("technician", "the code of a known technician"));
        }
        if (!bad.isEmpty()) {
            return invalid(bad);
        }
        long id = store.addOverride(from.toInstant(), to.toInstant(), technician, r.reason(), now());
        LOG.infof("On-call override %d: %s from %s to %s", id, technician, from, to);
        return Response.status(201).entity(Map.of("id", id)).build();
    }

    @DELETE
    @Path("overrides/{id}")
    public Response deleteOverride(@RestPath long id) {
        return store.deleteOverride(id) ? Response.noContent().build() : Response.status(404).build();
    }

    private static OffsetDateTime time(String s, String name, List<Map<String, String>> bad) {
        try {
            if (s != null && !s.isBlank()) {
                return OffsetDateTime.parse(s.strip());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        bad.add(param(name, "an ISO-8601 date-time with offset, e.g. 2026-03-27T18:30:00+01:00"));
        return null;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }

    private static Map<String, String> param(String name, String reason) {
        return Map.of("name", name, "reason", reason);
    }

    private static Response invalid(List<Map<String, String>> params) {
        return Response.status(400).type("application/problem+json").entity(Map.of("title", "Invalid rota entry",
                "status", 400, "invalid-params", params)).build();
    }
}
