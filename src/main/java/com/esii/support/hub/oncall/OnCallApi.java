package com.esii.support.hub.oncall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.sla.Calendars;

/**
 * Who is on call: now, or over a period. Staff only (HTTP Basic, role admin): the answer names technicians and
 * their phone numbers.
 */
@Path("/api/oncall")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminIdentityProvider.ROLE)
public class OnCallApi {

    static final Duration LONGEST_PERIOD = Duration.ofDays(92);

    /** A technician as the API shows them. */
    public record Person(String code, String name, String email, String phone) {
    }

    /** One stretch of duty: when, why the desk is closed, who is on call and who backs them up. */
    public record DutyView(OffsetDateTime from, OffsetDateTime to, String reason, Person technician, Person backup,
            String rotation, Long override) {
    }

    public record Now(OffsetDateTime at, boolean deskOpen, DutyView onCall) {
    }

    public record Period(OffsetDateTime from, OffsetDateTime to, List<DutyView> duties) {
    }

    private final OnCallDuty duty;
    private final Calendars calendars;
    private final Clock clock;

    public OnCallApi(OnCallDuty duty, Calendars calendars, Clock clock) {
        this.duty = duty;
        this.calendars = calendars;
        this.clock = clock;
    }

    @GET
    @Path("now")
    public Now now() {
        Instant t = clock.instant();
        OnCallRota.Duty d = duty.rota().at(t).orElse(null);
        return new Now(local(t), !duty.deskClosed(t), d == null ? null : view(d));
    }

    @GET
    public Response period(@RestQuery String from, @RestQuery String to) {
        Instant a;
        Instant b;
        try {
            a = instant(from, clock.instant());
            b = instant(to, a.plus(Duration.ofDays(7)));
        } catch (DateTimeParseException e) {
            return problem("from and to are ISO-8601 dates (2026-03-27, Paris midnight) or date-times with an offset");
        }
        if (!b.isAfter(a)) {
            return problem("to must be after from");
        }
        if (Duration.between(a, b).compareTo(LONGEST_PERIOD) > 0) {
            return problem("at most " + LONGEST_PERIOD.toDays() + " days at a time");
        }
        List<DutyView> duties = duty.rota().duties(a, b).stream().map(this::view).toList();
        return Response.ok(new Period(local(a), local(b), duties)).build();
    }

    private Instant instant(String s, Instant fallback) {
        if (s == null || s.isBlank()) {
            return fallback;
        }
        String v = s.strip();
        if (v.length() == 10) {
            return LocalDate.parse(v).atStartOfDay(calendars.desk().zone()).toInstant();
        }
        return OffsetDateTime.parse(v).toInstant();
    }

    private DutyView view(OnCallRota.Duty d) {
        OnCallRota.Assignment a = d.assignment();
        return new DutyView(local(d.from()), local(d.to()), d.reason().code(), person(a.technician()),
                person(a.backup()), a.rotation(), a.overrideId());
    }

    private Person person(String code) {
        if (code == null) {
            return null;
        }
        return duty.technician(code).map(t -> new Person(t.code(), t.name(), t.email(), t.phone()))
                .orElse(new Person(code, null, null, null));
    }

    private OffsetDateTime local(Instant t) {
        return t.atZone(calendars.desk().zone()).toOffsetDateTime();
    }

    private static Response problem(String detail) {
        return Response.status(400).type("application/problem+json")
                .entity(Map.of("title", "Bad period", "status", 400, "detail", detail)).build();
    }
}
