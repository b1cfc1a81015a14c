package com.esii.support.hub.phone;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.security.AdminIdentityProvider;

/** Operators' view of the phone channel: the calls (a customer's call activity) and the rejected SMDR lines. */
@Path("/admin/phone")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminIdentityProvider.ROLE)
public class PhoneAdmin {

    private final PhoneLedger phone;
    private final ZoneId zone;

    public PhoneAdmin(PhoneLedger phone, PhoneConfig config) {
        this.phone = phone;
        this.zone = ZoneId.of(config.zone());
    }

    /** Calls started from {@code from} to {@code to} (days, included; default all), of one customer if given. */
    @GET
    @Path("calls")
    public Response calls(@RestQuery String from, @RestQuery String to, @RestQuery String customer,
            @RestQuery Integer limit) {
        OffsetDateTime start;
        OffsetDateTime end;
        try {
            start = from == null ? OffsetDateTime.parse("2000-01-01T00:00:00Z")
                    : LocalDate.parse(from).atStartOfDay(zone).toOffsetDateTime();
            end = to == null ? OffsetDateTime.parse("2200-01-01T00:00:00Z")
                    : LocalDate.parse(to).plusDays(1).atStartOfDay(zone).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            return Response.status(400).type("application/problem+json").entity(Map.of("title", "Bad range",
                    "status", 400, "detail", "from and to are dates: YYYY-MM-DD")).build();
        }
        return Response.ok(Map.of("calls", phone.calls(start, end, customer == null || customer.isBlank() ? null
                : customer.strip(), clamp(limit), zone))).build();
    }

    @GET
    @Path("rejected")
    public Response rejected(@RestQuery Integer limit) {
        return Response.ok(Map.of("rejected", phone.rejected(clamp(limit)))).build();
    }

    private static int clamp(Integer limit) {
        return limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
    }
}
