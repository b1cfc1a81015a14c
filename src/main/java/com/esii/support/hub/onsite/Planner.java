package com.esii.support.hub.onsite;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.esii.support.hub.util.Departments;
import com.esii.support.hub.sla.BusinessCalendar;

/**
 * The proposal rules (issue 27), without a database: who goes to a site, and when.
 * <ol>
 * <li>The nearest technician (travel from their base's department to the site's) who can be on site before the
 * deadline: the first free slot in their working hours, leaving after now and within their hours (a trip too long
 * for one day is made the evening before), not overlapping their absences and
 * planned interventions (with the travel there and back), nor a slot the customer refused.</li>
 * <li>Else the partner company covering the site's department that can be there first before the deadline.</li>
 * <li>Else whoever can be there first, said to miss the deadline.</li>
 * </ol>
 * A site whose postcode names no department: no travel can be computed; the earliest technician is proposed and the
 * proposal says so. Slots start on the half hour; the search looks {@link #HORIZON_DAYS} days ahead.
 */
public final class Planner {

    static final int HORIZON_DAYS = 30;
    static final Duration STEP = Duration.ofMinutes(30);

    public static final String TECHNICIAN = "technician";
    public static final String PARTNER = "partner";

    /** A technician (based somewhere) or a partner company (covering departments), with their working hours. */
    public record Worker(String code, String name, String kind, String email, String baseDepartment,
            Set<String> covers, BusinessCalendar hours) {
    }

    /** A worker's time already taken: an absence, or a planned intervention with its travel. */
    public record Busy(String worker, Instant from, Instant to) {
    }

    /** A time the customer refused for this intervention. */
    public record Window(Instant from, Instant to) {
    }

    /**
     * What is to be planned.
     *
     * @param department the site's department, null when its postcode names none
     * @param earliest   no one leaves before this (now)
     * @param due        the on-site deadline, null when none (no maintenance contract)
     */
    public record Need(String department, Instant earliest, Instant due, List<Window> refused) {
    }

    /** Why this proposal: the rule that chose it. */
    public enum Basis {
        NEAREST, PARTNER, LATE, UNKNOWN_SITE
    }

    public record Proposal(Worker worker, Instant start, Instant end, Integer travelMinutes, Basis basis,
            boolean onTime) {
    }

    private final double roadSpeedKmh;
    private final double roadFactor;
    private final Duration duration;

    public Planner(double roadSpeedKmh, double roadFactor, Duration duration) {
        this.roadSpeedKmh = roadSpeedKmh;
        this.roadFactor = roadFactor;
        this.duration = duration;
    }

    /** Travel in minutes from a worker's base to the department (rounded up to 5), empty when either is unknown. */
    public Optional<Integer> travelMinutes(Worker w, String department) {
        Optional<Departments.Department> from = Departments.byCode(w.baseDepartment());
        Optional<Departments.Department> to = Departments.byCode(department);
        if (from.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        double km = Departments.roadKilometres(from.get(), to.get(), roadFactor);
        int minutes = (int) Math.ceil(km / roadSpeedKmh * 60 / 5) * 5;
        return Optional.of(Math.max(minutes, 15)); // even next door: leaving, parking, finding the contact
    }

    /** The proposal for a need, empty when nobody has a slot within the horizon. */
    public Optional<Proposal> propose(Need need, List<Worker> workers, List<Busy> busy) {
        if (need.department() == null) {
            return workers.stream().filter(w -> TECHNICIAN.equals(w.kind()))
                    .map(w -> slot(w, 0, need, busy).map(s -> proposal(w, s, null, Basis.UNKNOWN_SITE, need)))
                    .flatMap(Optional::stream).min(Comparator.comparing(Proposal::start));
        }
        List<Proposal> technicians = new ArrayList<>();
        List<Proposal> partners = new ArrayList<>();
        for (Worker w : workers) {
            boolean partner = PARTNER.equals(w.kind());
            if (partner && !w.covers().contains(need.department())) {
                continue;
            }
            Optional<Integer> travel = travelMinutes(w, need.department());
            if (travel.isEmpty() && !partner) {
                continue; // a technician whose base is unknown cannot be placed
            }
            int t = travel.orElse(0);
            slot(w, t, need, busy).ifPresent(s -> (partner ? partners : technicians)
                    .add(proposal(w, s, travel.orElse(null), partner ? Basis.PARTNER : Basis.NEAREST, need)));
        }
        Comparator<Proposal> nearest = Comparator
                .comparing((Proposal p) -> p.travelMinutes() == null ? Integer.MAX_VALUE : p.travelMinutes())
                .thenComparing(Proposal::start);
        Optional<Proposal> tech = technicians.stream().filter(Proposal::onTime).min(nearest);
        if (tech.isPresent()) {
            return tech;
        }
        Optional<Proposal> partner = partners.stream().filter(Proposal::onTime).min(Comparator.comparing(Proposal::start));
        if (partner.isPresent()) {
            return partner;
        }
        return java.util.stream.Stream.concat(technicians.stream(), partners.stream())
                .min(Comparator.comparing(Proposal::start))
                .map(p -> new Proposal(p.worker(), p.start(), p.end(), p.travelMinutes(),
                        need.due() == null ? p.basis() : Basis.LATE, p.onTime()));
    }

    private Proposal proposal(Worker w, Instant start, Integer travel, Basis basis, Need need) {
        return new Proposal(w, start, start.plus(duration), travel, basis, need.due() == null || !start.isAfter(need.due()));
    }

    /**
     * The worker's first free start: they leave {@code travel} minutes before it, within their hours of that day
     * and not before {@code need.earliest()}; the intervention ends within their hours; the trip there and back and
     * the intervention overlap none of their busy times, and the intervention no refused window.
     */
    Optional<Instant> slot(Worker w, int travel, Need need, List<Busy> busy) {
        BusinessCalendar hours = w.hours();
        Duration trip = Duration.ofMinutes(travel);
        LocalDate day = need.earliest().atZone(hours.zone()).toLocalDate();
        for (int i = 0; i < HORIZON_DAYS; i++, day = day.plusDays(1)) {
            if (!hours.isBusinessDay(day)) {
                continue;
            }
            Instant open = hours.opening(day).toInstant();
            Instant close = hours.closing(day).toInstant();
            // they leave within their hours that day; a trip too long for that is made the evening before
            boolean fitsInADay = !open.plus(trip).plus(duration).isAfter(close);
            Instant s = roundUp(max(fitsInADay ? open.plus(trip) : open, need.earliest().plus(trip)));
            for (; !s.plus(duration).isAfter(close); s = s.plus(STEP)) {
                Instant leave = s.minus(trip);
                Instant back = s.plus(duration).plus(trip);
                Instant start = s;
                boolean taken = busy.stream().anyMatch(b -> b.worker().equals(w.code())
                        && b.from().isBefore(back) && b.to().isAfter(leave));
                boolean refused = need.refused().stream().anyMatch(r -> r.from().isBefore(start.plus(duration))
                        && r.to().isAfter(start));
                if (!taken && !refused) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant roundUp(Instant t) {
        long step = STEP.getSeconds();
        long s = t.getEpochSecond();
        long r = (s + step - 1) / step * step;
        return Instant.ofEpochSecond(r == s && t.getNano() > 0 ? r + step : r);
    }
}
