package com.esii.support.hub.stats;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.CallLog;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.util.Sql;

/**
 * The support figures of a range of days, in total and per day or month: the call figures of the brochure
 * (abandoned-call rate, average answer time), the tickets opened by channel and the support figures
 * ({@link SupportFigures}). Days are in the phone system's time zone ({@code hub.phone.zone}). Read by
 * {@code /api/stats} and by the managers' dashboard.
 */
@ApplicationScoped
public class PeriodFigures {

    public enum Unit {
        RANGE, DAY, MONTH;

        public static Optional<Unit> parse(String s) {
            for (Unit u : values()) {
                if (u.name().equalsIgnoreCase(s.strip())) {
                    return Optional.of(u);
                }
            }
            return Optional.empty();
        }
    }

    public record Tickets(int total, Map<String, Integer> byChannel) {
    }

    public record Period(LocalDate start, LocalDate end, CallFigures calls, Tickets tickets,
            SupportFigures.Support support) {
    }

    public record Stats(LocalDate from, LocalDate to, String zone, String period, CallFigures calls, Tickets tickets,
            SupportFigures.Support support, List<Period> periods) {
    }

    private final CallLog phone;
    private final Sql db;
    private final ZoneId zone;
    private final Clock clock;
    private final SupportFigures support;

    public PeriodFigures(CallLog phone, DataSource ds, Clock clock, SupportFigures support) {
        this.phone = phone;
        this.db = new Sql(ds);
        this.zone = phone.zone();
        this.clock = clock;
        this.support = support;
    }

    public ZoneId zone() {
        return zone;
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }

    /** The figures of the days {@code first} to {@code last} (both included); {@code periods} null for RANGE. */
    public Stats of(LocalDate first, LocalDate last, Unit unit) {
        Function<LocalDate, LocalDate> bucket = switch (unit) {
            case RANGE -> null;
            case DAY -> d -> d;
            case MONTH -> d -> d.withDayOfMonth(1);
        };
        OffsetDateTime start = first.atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime end = last.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
        List<CallLog.InboundCall> calls = phone.inboundCalls(start, end);
        List<Object[]> tickets = tickets(start, end);
        List<Period> periods = null;
        if (bucket != null) {
            TreeMap<LocalDate, List<CallLog.InboundCall>> callsBy = new TreeMap<>();
            TreeMap<LocalDate, List<Object[]>> ticketsBy = new TreeMap<>();
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                callsBy.putIfAbsent(bucket.apply(d), new ArrayList<>());
                ticketsBy.putIfAbsent(bucket.apply(d), new ArrayList<>());
            }
            for (CallLog.InboundCall c : calls) {
                callsBy.get(bucket.apply(c.callStart().atZoneSameInstant(zone).toLocalDate())).add(c);
            }
            for (Object[] t : tickets) {
                ticketsBy.get(bucket.apply(((OffsetDateTime) t[1]).atZoneSameInstant(zone).toLocalDate())).add(t);
            }
            periods = new ArrayList<>();
            for (LocalDate key : callsBy.keySet()) {
                LocalDate pStart = key.isBefore(first) ? first : key;
                LocalDate pEnd = unit == Unit.DAY ? key : key.plusMonths(1).minusDays(1);
                LocalDate pLast = pEnd.isAfter(last) ? last : pEnd;
                periods.add(new Period(pStart, pLast, CallFigures.of(callsBy.get(key)), ticketFigures(ticketsBy.get(key)),
                        support.of(pStart.atStartOfDay(zone).toOffsetDateTime(),
                                pLast.plusDays(1).atStartOfDay(zone).toOffsetDateTime())));
            }
        }
        return new Stats(first, last, zone.getId(), unit.name().toLowerCase(Locale.ROOT), CallFigures.of(calls),
                ticketFigures(tickets), support.of(start, end), periods);
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
        return db.list("count tickets", "SELECT channel, created_at FROM ticket WHERE created_at >= ? AND created_at < ?",
                rs -> new Object[] { rs.getString(1), rs.getObject(2, OffsetDateTime.class) }, start, end);
    }
}
