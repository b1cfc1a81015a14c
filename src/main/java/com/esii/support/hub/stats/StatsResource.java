package com.esii.support.hub.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.phone.PhoneConfig;
import com.esii.support.hub.phone.PhoneLedger;
import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.LedgerException;

/**
 * The support figures for a range of days: the call figures of the brochure (abandoned-call rate, average answer
 * time) and the tickets opened by channel, for the whole range and per day or month. Business figures: HTTP Basic,
 * role admin. Days are in the phone system's time zone ({@code hub.phone.zone}).
 */
@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminIdentityProvider.ROLE)
public class StatsResource {

    /** Longest range asked at once. */
    static final long MAX_DAYS = 1100;

    private final PhoneLedger phone;
    private final DataSource ds;
    private final ZoneId zone;
    private final java.time.Clock clock;

    private final SupportFigures support;
    private final HostedAvailability hosted;

    public StatsResource(PhoneLedger phone, DataSource ds, PhoneConfig config, java.time.Clock clock,
            SupportFigures support, HostedAvailability hosted) {
        this.support = support;
        this.hosted = hosted;
        this.phone = phone;
        this.ds = ds;
        this.zone = ZoneId.of(config.zone());
        this.clock = clock;
    }

    public record Tickets(int total, Map<String, Integer> byChannel) {
    }

    public record Period(LocalDate start, LocalDate end, CallFigures calls, Tickets tickets,
            SupportFigures.Support support) {
    }

    public record Stats(LocalDate from, LocalDate to, String zone, String period, CallFigures calls, Tickets tickets,
            SupportFigures.Support support, List<Period> periods) {
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
        LocalDate today = LocalDate.now(clock.withZone(zone));
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
        String unit = period == null || period.isBlank() ? "range" : period.strip().toLowerCase(Locale.ROOT);
        Function<LocalDate, LocalDate> bucket;
        switch (unit) {
            case "range" -> bucket = null;
            case "day" -> bucket = d -> d;
            case "month" -> bucket = d -> d.withDayOfMonth(1);
            default -> {
                return problem("period must be range, day or month");
            }
        }
        OffsetDateTime start = first.atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime end = last.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
        List<PhoneLedger.InboundCall> calls = phone.inboundCalls(start, end);
        List<Object[]> tickets = tickets(start, end);
        List<Period> periods = null;
        if (bucket != null) {
            TreeMap<LocalDate, List<PhoneLedger.InboundCall>> callsBy = new TreeMap<>();
            TreeMap<LocalDate, List<Object[]>> ticketsBy = new TreeMap<>();
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                callsBy.putIfAbsent(bucket.apply(d), new ArrayList<>());
                ticketsBy.putIfAbsent(bucket.apply(d), new ArrayList<>());
            }
            for (PhoneLedger.InboundCall c : calls) {
                callsBy.get(bucket.apply(c.callStart().atZoneSameInstant(zone).toLocalDate())).add(c);
            }
            for (Object[] t : tickets) {
                ticketsBy.get(bucket.apply(((OffsetDateTime) t[1]).atZoneSameInstant(zone).toLocalDate())).add(t);
            }
            periods = new ArrayList<>();
            for (LocalDate key : callsBy.keySet()) {
                LocalDate pStart = key.isBefore(first) ? first : key;
                LocalDate pEnd = unit.equals("day") ? key : key.plusMonths(1).minusDays(1);
                LocalDate pLast = pEnd.isAfter(last) ? last : pEnd;
                periods.add(new Period(pStart, pLast, CallFigures.of(callsBy.get(key)), ticketFigures(ticketsBy.get(key)),
                        support.of(pStart.atStartOfDay(zone).toOffsetDateTime(),
                                pLast.plusDays(1).atStartOfDay(zone).toOffsetDateTime())));
            }
        }
        return Response.ok(new Stats(first, last, zone.getId(), unit, CallFigures.of(calls), ticketFigures(tickets),
                support.of(start, end), periods)).build();
    }

    private static Tickets ticketFigures(List<Object[]> tickets) {
        Map<String, Integer> by = new LinkedHashMap<>();
        for (Channel c : Channel.values()) {
            by.put(c.name().toLowerCase(Locale.ROOT), 0);
        }
        Map<String, Long> counted = tickets.stream()
                .collect(Collectors.groupingBy(t -> ((String) t[0]).toLowerCase(Locale.ROOT), Collectors.counting()));
        counted.forEach((k, v) -> by.put(k, v.intValue()));
        return new Tickets(tickets.size(), by);
    }

    /** Channel and creation time of the tickets opened in [start, end). */
    private List<Object[]> tickets(OffsetDateTime start, OffsetDateTime end) {
        List<Object[]> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT channel, created_at FROM ticket WHERE created_at >= ? AND created_at < ?")) {
            ps.setObject(1, start);
            ps.setObject(2, end);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Object[] { rs.getString(1), rs.getObject(2, OffsetDateTime.class) });
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not count tickets", e);
        }
        return out;
    }

    private static Response problem(String detail) {
        return Response.status(400).type("application/problem+json")
                .entity(Map.of("title", "Bad range", "status", 400, "detail", detail)).build();
    }
}
