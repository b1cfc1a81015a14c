package com.esii.support.hub.sla;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;

/**
 * Business hours on a holiday calendar: by default the support desk's, Monday to Friday 08:00–18:30 Europe/Paris
 * without French public holidays (from jollyday, so Easter-based ones are computed, not listed). Deadlines are
 * counted in business time: an evening, a weekend or a holiday does not count, and daylight-saving changes do not
 * move the opening hours.
 */
public final class BusinessCalendar {

    private final ZoneId zone;
    private final LocalTime opens;
    private final LocalTime closes;
    private final Set<DayOfWeek> workingDays;
    private final HolidayManager holidays;
    private final Map<Integer, Set<LocalDate>> holidaysByYear = new ConcurrentHashMap<>();

    public BusinessCalendar(ZoneId zone, LocalTime opens, LocalTime closes, Set<DayOfWeek> workingDays,
            String holidayCalendar) {
        if (!opens.isBefore(closes)) {
            throw new IllegalArgumentException("Business hours must open before they close: " + opens + "-" + closes);
        }
        this.zone = zone;
        this.opens = opens;
        this.closes = closes;
        this.workingDays = EnumSet.copyOf(workingDays);
        this.holidays = holidayCalendar == null ? null
                : HolidayManager.getInstance(ManagerParameters.create(holidayCalendar));
    }

    /** The support desk of the brochure: Monday–Friday 08:00–18:30, Paris, French public holidays. */
    public static BusinessCalendar supportDesk() {
        return new BusinessCalendar(ZoneId.of("Europe/Paris"), LocalTime.of(8, 0), LocalTime.of(18, 30),
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "fr");
    }

    /**
     * A calendar from its short description: days, hours and holidays, e.g. {@code MON-FRI 08:00-18:30 fr},
     * {@code MON-SAT 07:00-20:00 fr} or {@code MON-SUN 00:00-24:00 none} (no public holiday).
     */
    public static BusinessCalendar parse(ZoneId zone, String spec) {
        String[] parts = spec.strip().split("\\s+");
        if (parts.length != 3) {
            throw new IllegalArgumentException("A calendar is 'DAYS HH:MM-HH:MM HOLIDAYS', not: " + spec);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String range : parts[0].split(",")) {
            String[] ends = range.split("-");
            DayOfWeek first = day(ends[0]);
            DayOfWeek last = ends.length > 1 ? day(ends[1]) : first;
            for (DayOfWeek d = first;; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        String[] hours = parts[1].split("-");
        if (hours.length != 2) {
            throw new IllegalArgumentException("Hours are 'HH:MM-HH:MM', not: " + parts[1]);
        }
        LocalTime closes = "24:00".equals(hours[1]) ? LocalTime.MAX : LocalTime.parse(hours[1]);
        return new BusinessCalendar(zone, LocalTime.parse(hours[0]), closes, days,
                "none".equalsIgnoreCase(parts[2]) ? null : parts[2].toLowerCase(java.util.Locale.ROOT));
    }

    private static DayOfWeek day(String s) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(s.strip().toUpperCase(java.util.Locale.ROOT)) && s.strip().length() >= 2) {
                return d;
            }
        }
        throw new IllegalArgumentException("Not a day of the week: " + s);
    }

    public ZoneId zone() {
        return zone;
    }

    public boolean isHoliday(LocalDate day) {
        if (holidays == null) {
            return false;
        }
        return holidaysByYear.computeIfAbsent(day.getYear(), y -> holidays
                .getHolidays(Year.of(y), HolidayType.PUBLIC_HOLIDAY).stream()
                .map(Holiday::getDate)
                .collect(Collectors.toUnmodifiableSet()))
                .contains(day);
    }

    public boolean isBusinessDay(LocalDate day) {
        return workingDays.contains(day.getDayOfWeek()) && !isHoliday(day);
    }

    /** When the desk opens that day. */
    public ZonedDateTime opening(LocalDate day) {
        return day.atTime(opens).atZone(zone);
    }

    /** When the desk closes that day ("24:00" is the next midnight). */
    public ZonedDateTime closing(LocalDate day) {
        return closes.equals(LocalTime.MAX) ? day.plusDays(1).atStartOfDay(zone) : day.atTime(closes).atZone(zone);
    }

    /** Whether the desk is open at this instant. */
    public boolean isOpen(Instant t) {
        ZonedDateTime z = t.atZone(zone);
        LocalTime time = z.toLocalTime();
        return isBusinessDay(z.toLocalDate()) && !time.isBefore(opens) && time.isBefore(closes);
    }

    /** The instant {@code amount} of business time after {@code start}. */
    public Instant plus(Instant start, Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("Negative business time: " + amount);
        }
        ZonedDateTime t = start.atZone(zone);
        Duration remaining = amount;
        for (int guard = 0; guard < 3700; guard++) {
            LocalDate day = t.toLocalDate();
            ZonedDateTime open = day.atTime(opens).atZone(zone);
            ZonedDateTime close = closing(day);
            if (!isBusinessDay(day) || !t.isBefore(close)) {
                t = day.plusDays(1).atTime(opens).atZone(zone);
                continue;
            }
            if (t.isBefore(open)) {
                t = open;
            }
            Duration available = Duration.between(t, close);
            if (remaining.compareTo(available) <= 0) {
                return t.plus(remaining).toInstant();
            }
            remaining = remaining.minus(available);
            t = day.plusDays(1).atTime(opens).atZone(zone);
        }
        throw new IllegalStateException("No business day within ten years of " + start);
    }

    /** The business time between two instants (zero when {@code to} is not after {@code from}). */
    public Duration between(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        Duration total = Duration.ZERO;
        LocalDate day = from.atZone(zone).toLocalDate();
        LocalDate last = to.atZone(zone).toLocalDate();
        for (; !day.isAfter(last); day = day.plusDays(1)) {
            if (!isBusinessDay(day)) {
                continue;
            }
            Instant open = day.atTime(opens).atZone(zone).toInstant();
            Instant close = closing(day).toInstant();
            Instant a = from.isAfter(open) ? from : open;
            Instant b = to.isBefore(close) ? to : close;
            if (b.isAfter(a)) {
                total = total.plus(Duration.between(a, b));
            }
        }
        return total;
    }
}
