package com.esii.support.hub.oncall;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.esii.support.hub.sla.BusinessCalendar;
import com.esii.support.hub.sla.SupportClock;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketStatus;

/**
 * When the take-charge watchdog speaks, pure: a warning when each fraction of the take-charge time (50 % and 75 % by
 * default) has passed, then the breach at the deadline. Fractions are of business time on the ticket's calendar, so
 * a warning never falls at night, on a weekend or on a holiday; time the ticket spent waiting on the customer does
 * not count (the deadline moved by it too).
 */
public final class TakeChargeWatchdog {

    /** One thing the watchdog says, with the history type it is recorded under. */
    public record Step(String type, double fraction) {
        public boolean breach() {
            return fraction >= 1.0;
        }

        public String percent() {
            return Math.round(fraction * 100) + " %";
        }
    }

    /** The history type of a breach (what {@code hub_take_charge_breaches_total} counts). */
    public static final String BREACHED = "deadline-breached";

    private final List<Step> steps;
    private final Duration takeCharge;

    public TakeChargeWatchdog(List<Double> warnAt, Duration takeCharge) {
        List<Step> s = new ArrayList<>();
        warnAt.stream().filter(f -> f > 0 && f < 1).sorted().distinct()
                .forEach(f -> s.add(new Step("deadline-warning-" + Math.round(f * 100), f)));
        s.add(new Step(BREACHED, 1.0));
        this.steps = List.copyOf(s);
        this.takeCharge = takeCharge;
    }

    public List<Step> steps() {
        return steps;
    }

    /** Whether the watchdog still watches this ticket (a deadline, not yet taken in charge, not resolved). */
    public static boolean watches(Ticket t) {
        Ticket.Sla s = t.sla();
        return s != null && s.takeChargeDue() != null && s.takenInChargeAt() == null && s.resolvedAt() == null
                && t.status() != TicketStatus.RESOLVED && t.status() != TicketStatus.CLOSED;
    }

    /**
     * When a step falls as the ticket stands at {@code now}. A pause in progress is counted as if it ended now: the
     * true time can only be later, so a job scheduled there runs early or on time, never late, and moves itself on.
     */
    public Instant when(Step step, Ticket t, BusinessCalendar calendar, SupportClock clock, Instant now) {
        Ticket.Sla s = t.sla();
        if (step.breach()) {
            return clock.effectiveDue(s.takeChargeDue(), s.waitingSince(), now.atOffset(java.time.ZoneOffset.UTC))
                    .toInstant();
        }
        Duration paused = Duration.ofSeconds(s.pausedSeconds());
        if (s.waitingSince() != null) {
            paused = paused.plus(calendar.between(s.waitingSince().toInstant(), now));
        }
        long part = Math.round(takeCharge.toSeconds() * step.fraction());
        return calendar.plus(t.createdAt().toInstant(), Duration.ofSeconds(part).plus(paused));
    }

    /** The steps due at {@code now} not yet recorded, and when the next one falls. */
    public record Due(List<Step> now, Optional<Instant> next) {
    }

    public Due due(Ticket t, Set<String> recorded, BusinessCalendar calendar, SupportClock clock, Instant now) {
        List<Step> fire = new ArrayList<>();
        if (!watches(t)) {
            return new Due(fire, Optional.empty());
        }
        for (Step step : steps) {
            if (recorded.contains(step.type())) {
                continue;
            }
            Instant at = when(step, t, calendar, clock, now);
            if (at.isAfter(now)) {
                return new Due(fire, Optional.of(at));
            }
            fire.add(step);
        }
        return new Due(fire, Optional.empty());
    }

    static String describe(Step step, StaffTexts texts) {
        return step.breach() ? texts.text("watchdog.breach")
                : texts.text("watchdog.warning", "percent", step.percent());
    }
}
