package com.esii.support.hub.stats;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.security.AdminIdentityProvider;

/**
 * The support figures for a range of days ({@link PeriodFigures}): the call figures of the brochure
 * (abandoned-call rate, average answer time), the tickets opened by channel and the support figures, for the whole
 * range and per day or month. Business figures: HTTP Basic, role admin. Days are in the phone system's time zone
 * ({@code hub.phone.zone}).
 */
@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminIdentityProvider.ROLE)
public class StatsResource {

    /** Longest range asked at once. */
    static final long MAX_DAYS = 1100;

    private final PeriodFigures figures;
    private final ZoneId zone;
    private final java.time.Clock clock;
    private final HostedAvailability hosted;

    public StatsResource(PeriodFigures figures, java.time.Clock clock, HostedAvailability hosted) {
        this.figures = figures;
        this.hosted = hosted;
        this.zone = figures.zone();
        this.clock = clock;
    }

    /**
     * {@code GET /api/stats/availability?month=YYYY-MM} (default: this month): the hosted systems' availability
     * against the commitment, with each customer's remaining downtime budget.
     */
    @GET
    @jakarta.ws.rs.Path("availability")
    public Response availability(@RestQuery String month) {
        java.time.YearMonth m;
        try {
            m = month == null || month.isBlank() ? java.time.YearMonth.now(clock.withZone(zone))
                    : java.time.YearMonth.parse(month.strip());
        } catch (DateTimeParseException e) {
            return problem("month is YYYY-MM");
        }
        return Response.ok(hosted.of(m, OffsetDateTime.now(clock))).build();
    }

    /**
     * {@code from} and {@code to} (YYYY-MM-DD, both included; default the last 30 days up to today), {@code period}
     * = {@code range} (default: the totals only), {@code day} or {@code month}.
     */
    @GET
    public Response stats(@RestQuery String from, @RestQuery String to, @RestQuery String period) {
        LocalDate today = figures.today();
        LocalDate last;
        LocalDate first;
        try {
            last = to == null || to.isBlank() ? today : LocalDate.parse(to.strip());
            first = from == null || from.isBlank() ? last.minusDays(29) : LocalDate.parse(from.strip());
        } catch (DateTimeParseException e) {
            return problem("from and to are dates: YYYY-MM-DD");
        }
        if (first.isAfter(last)) {
            return problem("from must not be after to");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            return problem("at most " + MAX_DAYS + " days at once");
        }
        Optional<PeriodFigures.Unit> unit = period == null || period.isBlank() ? Optional.of(PeriodFigures.Unit.RANGE)
                : PeriodFigures.Unit.parse(period);
        if (unit.isEmpty()) {
            return problem("period must be range, day or month");
        }
        return Response.ok(figures.of(first, last, unit.get())).build();
    }

    private static Response problem(String detail) {
        return Response.status(400).type("application/problem+json")
                .entity(Map.of("title", "Bad range", "status", 400, "detail", detail)).build();
    }
}
