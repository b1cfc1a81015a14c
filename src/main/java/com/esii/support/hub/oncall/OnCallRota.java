package com.esii.support.hub.oncall;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

import com.esii.support.hub.sla.BusinessCalendar;

/**
 * Who is on call when, pure: the desk's calendar says when the desk is closed (nights before opening and after
 * closing, weekends, public holidays); weekly rotations say whose week it is (the week changes hands at the handover,
 * e.g. Monday 08:00 in the desk's zone); overrides (swaps, leave) replace the rotation's technician for a period.
 * Everything is computed on local dates and times of the desk's zone, so daylight-saving nights are one hour
 * shorter or longer, never shifted.
 */
public final class OnCallRota {

    /** Why the desk is closed then. */
    public enum Reason {
        NIGHT, WEEKEND, HOLIDAY;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Rotation(String name, LocalDate startsOn, List<String> members) {
        public Rotation {
            members = List.copyOf(members);
            if (members.isEmpty()) {
                throw new IllegalArgumentException("A rotation needs at least one technician");
            }
        }
    }

    public record Override(long id, Instant startsAt, Instant endsAt, String technician, String reason) {
        boolean covers(Instant t) {
            return !t.isBefore(startsAt) && t.isBefore(endsAt);
        }
    }

    /**
     * The technician on duty at an instant: who, the backup (next in the rotation), and why (rotation or the
     * override's id).
     */
    public record Assignment(String technician, String backup, String rotation, Long overrideId) {
    }

    /** A stretch of on-call duty: from, to (exclusive), why the desk is closed, and who is on call. */
    public record Duty(Instant from, Instant to, Reason reason, Assignment assignment) {
    }

    private final BusinessCalendar desk;
    private final DayOfWeek handoverDay;
    private final LocalTime handoverTime;
    private final List<Rotation> rotations;
    private final List<Override> overrides;

    public OnCallRota(BusinessCalendar desk, String handover, List<Rotation> rotations, List<Override> overrides) {
        this.desk = desk;
        String[] parts = handover.strip().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("The handover is 'DAY HH:MM', e.g. MON 08:00, not: " + handover);
        }
        this.handoverDay = day(parts[0]);
        this.handoverTime = LocalTime.parse(parts[1]);
        this.rotations = rotations.stream().sorted(Comparator.comparing(Rotation::startsOn).reversed()).toList();
        // The latest override wins where two overlap.
        this.overrides = overrides.stream().sorted(Comparator.comparingLong(Override::id).reversed()).toList();
    }

    private static DayOfWeek day(String s) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (s.length() >= 2 && d.name().startsWith(s.toUpperCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("Not a day of the week: " + s);
    }

    private ZoneId zone() {
        return desk.zone();
    }

    /** Whether the desk is closed at {@code t} (then someone may be on call), and why. */
    public Optional<Reason> closed(Instant t) {
        if (desk.isOpen(t)) {
            return Optional.empty();
        }
        return Optional.of(reason(t.atZone(zone()).toLocalDate()));
    }

    private Reason reason(LocalDate day) {
        if (desk.isHoliday(day)) {
            return Reason.HOLIDAY;
        }
        return desk.isBusinessDay(day) ? Reason.NIGHT : Reason.WEEKEND;
    }

    /** Who is on call now: empty while the desk is open, or when no rotation nor override names anyone. */
    public Optional<Duty> at(Instant t) {
        // Looked for within the weeks around t, so that the answer says since and until when.
        return duties(t.minus(Duration.ofDays(8)), t.plus(Duration.ofDays(8))).stream()
                .filter(d -> !t.isBefore(d.from()) && t.isBefore(d.to()))
                .findFirst();
    }

    /**
     * The technician whose duty it is at {@code t}, whether the desk is open or not (an escalation that goes on
     * after the desk opened still reaches the week's technician).
     */
    public Optional<Assignment> technicianAt(Instant t) {
        for (Override o : overrides) {
            if (o.covers(t)) {
                Optional<Assignment> rotation = rotationAt(t);
                String backup = rotation.map(a -> a.technician().equals(o.technician()) ? a.backup() : a.technician())
                        .orElse(null);
                return Optional.of(new Assignment(o.technician(), backup, rotation.map(Assignment::rotation).orElse(null),
                        o.id()));
            }
        }
        return rotationAt(t);
    }

    private Optional<Assignment> rotationAt(Instant t) {
        LocalDate weekStart = dutyWeekStart(t);
        for (Rotation r : rotations) {
            LocalDate first = r.startsOn().with(TemporalAdjusters.previousOrSame(handoverDay));
            if (!first.isAfter(weekStart)) {
                long week = ChronoUnit.WEEKS.between(first, weekStart);
                int n = r.members().size();
                String who = r.members().get((int) (week % n));
                String backup = n > 1 ? r.members().get((int) ((week + 1) % n)) : null;
                return Optional.of(new Assignment(who, backup, r.name(), null));
            }
        }
        return Optional.empty();
    }

    /** The local date of the handover that began the duty week containing {@code t}. */
    LocalDate dutyWeekStart(Instant t) {
        LocalDateTime local = t.atZone(zone()).toLocalDateTime();
        LocalDate candidate = local.toLocalDate().with(TemporalAdjusters.previousOrSame(handoverDay));
        if (local.isBefore(candidate.atTime(handoverTime))) {
            candidate = candidate.minusWeeks(1);
        }
        return candidate;
    }

    /**
     * The on-call duties between two instants: every stretch while the desk is closed, cut where the reason, the
     * technician or an override changes, and clipped to [from, to). Stretches without anyone on call are left out.
     */
    public List<Duty> duties(Instant from, Instant to) {
        List<Duty> out = new ArrayList<>();
        if (!to.isAfter(from)) {
            return out;
        }
        // Every instant where something may change: the desk's opening and closing, midnights (the reason), the
        // handovers, and the overrides' ends.
        TreeSet<Instant> cuts = new TreeSet<>();
        cuts.add(from);
        cuts.add(to);
        LocalDate first = from.atZone(zone()).toLocalDate().minusDays(1);
        LocalDate last = to.atZone(zone()).toLocalDate().plusDays(1);
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            for (LocalDateTime local : List.of(d.atStartOfDay(), d.atTime(openingOf(d)), closingOf(d))) {
                cuts.add(local.atZone(zone()).toInstant());
            }
            if (d.getDayOfWeek() == handoverDay) {
                cuts.add(d.atTime(handoverTime).atZone(zone()).toInstant());
            }
        }
        for (Override o : overrides) {
            cuts.add(o.startsAt());
            cuts.add(o.endsAt());
        }
        Instant start = null;
        Reason reason = null;
        Assignment who = null;
        for (Instant c : cuts.subSet(from, true, to, true)) {
            Reason r = null;
            Assignment a = null;
            if (c.isBefore(to)) {
                Optional<Reason> closed = closed(c);
                if (closed.isPresent()) {
                    r = closed.get();
                    a = technicianAt(c).orElse(null);
                }
            }
            boolean same = r == reason && java.util.Objects.equals(a, who);
            if (same) {
                continue;
            }
            if (start != null && who != null) {
                out.add(new Duty(start, c, reason, who));
            }
            start = r == null ? null : c;
            reason = r;
            who = a;
        }
        return out;
    }

    private LocalTime openingOf(LocalDate d) {
        // The calendar knows its hours; the desk opens at the first open minute of a business day.
        Instant midnight = d.atStartOfDay(zone()).toInstant();
        Instant open = desk.plus(midnight, Duration.ZERO);
        return open.atZone(zone()).toLocalDate().equals(d) ? open.atZone(zone()).toLocalTime() : LocalTime.MIDNIGHT;
    }

    private LocalDateTime closingOf(LocalDate d) {
        Instant open = d.atTime(openingOf(d)).atZone(zone()).toInstant();
        if (!desk.isOpen(open)) {
            return d.atStartOfDay();
        }
        // The first instant after opening where the desk is closed, found to the minute from the calendar itself.
        Duration day = desk.between(open, d.plusDays(1).atStartOfDay(zone()).toInstant());
        return LocalDateTime.ofInstant(open.plus(day), zone());
    }
}
