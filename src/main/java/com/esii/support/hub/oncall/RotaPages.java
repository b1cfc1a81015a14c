package com.esii.support.hub.oncall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.security.AdminFrame;
import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.security.AdminPages;

import io.quarkus.qute.TemplateData;

/**
 * The rota's page, for a browser ({@code GET /admin/oncall}, where other clients get {@link RotaAdmin}'s JSON): who
 * is on call now (or that the desk is open), the duties of the coming week, the technicians, the weekly rotations
 * and the overrides. Changes go through the JSON API ({@link RotaAdmin}).
 */
@Path("/admin/oncall")
@RolesAllowed(AdminIdentityProvider.ROLE)
public class RotaPages {

    /** The coming duties shown. */
    static final Duration AHEAD = Duration.ofDays(7);

    @TemplateData
    public record DutyView(OffsetDateTime from, OffsetDateTime to, String reason, String technician, String backup,
            String why) {
    }

    @TemplateData
    public record RotationView(String name, LocalDate startsOn, List<String> members) {
    }

    @TemplateData
    public record OverrideView(long id, OffsetDateTime from, OffsetDateTime to, String technician, String reason) {
    }

    @TemplateData
    public record RotaView(OffsetDateTime now, boolean deskOpen, DutyView current, List<DutyView> coming,
            List<RotaStore.Technician> technicians, List<RotationView> rotations, List<OverrideView> overrides) {
    }

    private final AdminPages pages;
    private final OnCallDuty duty;
    private final RotaStore store;
    private final Clock clock;

    public RotaPages(AdminPages pages, OnCallDuty duty, RotaStore store, Clock clock) {
        this.pages = pages;
        this.duty = duty;
        this.store = store;
        this.clock = clock;
    }

    /** In the same place as {@link RotaAdmin#rota()}, which consumes JSON, so that only the Accept header decides. */
    @GET
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(AdminPages.PAGE)
    public Response page(@RestQuery String lang, @Context UriInfo uri) {
        AdminFrame frame = pages.frame("oncall", lang, uri);
        Instant now = clock.instant();
        OnCallRota rota = duty.rota();
        Map<String, RotaStore.Technician> technicians = store.technicians().stream()
                .collect(Collectors.toMap(RotaStore.Technician::code, Function.identity()));
        DutyView current = rota.at(now).map(d -> view(frame, d, technicians)).orElse(null);
        List<DutyView> coming = rota.duties(now, now.plus(AHEAD)).stream().map(d -> view(frame, d, technicians))
                .toList();
        List<RotationView> rotations = store.rotations().stream().map(r -> new RotationView(r.name(), r.startsOn(),
                r.members().stream().map(m -> name(m, technicians)).toList())).toList();
        List<OverrideView> overrides = store.overrides().stream().map(o -> new OverrideView(o.id(), utc(o.startsAt()),
                utc(o.endsAt()), name(o.technician(), technicians), o.reason())).toList();
        return AdminPages.page(Templates.rota(frame, new RotaView(utc(now), !duty.deskClosed(now), current, coming,
                List.copyOf(technicians.values().stream().sorted((a, b) -> a.code().compareTo(b.code())).toList()),
                rotations, overrides)));
    }

    private static DutyView view(AdminFrame frame, OnCallRota.Duty d, Map<String, RotaStore.Technician> technicians) {
        OnCallRota.Assignment a = d.assignment();
        String why = a.overrideId() != null ? frame.text("admin.oncall.by-override", "id", a.overrideId())
                : frame.text("admin.oncall.by-rotation", "rotation", a.rotation() == null ? "" : a.rotation());
        return new DutyView(utc(d.from()), utc(d.to()), frame.text("admin.oncall.reason." + d.reason().code()),
                name(a.technician(), technicians), a.backup() == null ? "–" : name(a.backup(), technicians), why);
    }

    /** The technician's name and code, or the code alone when the technician is no longer known. */
    private static String name(String code, Map<String, RotaStore.Technician> technicians) {
        RotaStore.Technician t = code == null ? null : technicians.get(code);
        return t == null ? String.valueOf(code) : t.name() + " (" + t.code() + ")";
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
