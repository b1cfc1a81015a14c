package com.esii.support.hub.oncall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.esii.support.hub.sla.BusinessCalendar;
import com.esii.support.hub.sla.SupportClock;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.Criticality;
import com.esii.support.hub.ticket.Kind;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketStatus;

/**
 * When the take-charge watchdog warns (50 %, 75 %) and declares the breach, in business time on the desk's calendar
 * (Mon–Fri 08:00–18:30 Paris, French holidays), with the instant given as "now" (the injectable clock).
 */
class TakeChargeWatchdogTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final BusinessCalendar DESK = BusinessCalendar.supportDesk();
    static final SupportClock CLOCK = new SupportClock(DESK, Duration.ofHours(4), Duration.ofHours(16));
    static final TakeChargeWatchdog WATCHDOG = new TakeChargeWatchdog(List.of(0.5, 0.75), Duration.ofHours(4));

    static Instant paris(String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }

    static Ticket ticket(Instant created) {
        OffsetDateTime c = created.atOffset(ZoneOffset.UTC);
        return new Ticket(1, "SUP-2026-000001", Channel.API, "Jo", "jo@example.com", null, null, null, Language.FR,
                "Printer down", "Nothing prints", Kind.PROBLEM, Criticality.BLOCKING, TicketStatus.NEW, "h", null, c, c,
                new Ticket.Triage(Ticket.MAINTAINED, "C0002", false, false, null, "test", 1, "form", "form", null),
                CLOCK.opened(Ticket.MAINTAINED, c));
    }

    static String when(TakeChargeWatchdog.Step step, Ticket t, Instant now) {
        return WATCHDOG.when(step, t, DESK, CLOCK, now).atZone(PARIS).toLocalDateTime().toString();
    }

    @ParameterizedTest(name = "created {0}: 50 % {1}, 75 % {2}, breach {3}")
    @CsvSource({
            "2026-03-02T09:00, 2026-03-02T11:00, 2026-03-02T12:00, 2026-03-02T13:00", // a Monday morning
            "2026-03-02T16:30, 2026-03-02T18:30, 2026-03-03T09:00, 2026-03-03T10:00", // across the night
            "2026-03-06T17:00, 2026-03-09T08:30, 2026-03-09T09:30, 2026-03-09T10:30", // Friday afternoon: Monday
            "2026-03-07T22:00, 2026-03-09T10:00, 2026-03-09T11:00, 2026-03-09T12:00", // Saturday night
            "2026-03-02T03:00, 2026-03-02T10:00, 2026-03-02T11:00, 2026-03-02T12:00", // Monday 3 a.m.
            "2026-05-13T17:00, 2026-05-15T08:30, 2026-05-15T09:30, 2026-05-15T10:30", // Ascension Thursday skipped
            "2026-04-03T17:00, 2026-04-07T08:30, 2026-04-07T09:30, 2026-04-07T10:30", // Easter Monday skipped
            "2026-03-27T17:00, 2026-03-30T08:30, 2026-03-30T09:30, 2026-03-30T10:30", // spring DST weekend
            "2026-10-23T17:00, 2026-10-26T08:30, 2026-10-26T09:30, 2026-10-26T10:30", // autumn DST weekend
    })
    void warningsAndBreachFallInBusinessTime(String created, String half, String threeQuarters, String breach) {
        Ticket t = ticket(paris(created));
        List<TakeChargeWatchdog.Step> steps = WATCHDOG.steps();
        assertEquals(List.of("deadline-warning-50", "deadline-warning-75", "deadline-breached"),
                steps.stream().map(TakeChargeWatchdog.Step::type).toList());
        Instant now = paris(created);
        assertEquals(half, when(steps.get(0), t, now));
        assertEquals(threeQuarters, when(steps.get(1), t, now));
        assertEquals(breach, when(steps.get(2), t, now));
    }

    @Test
    void eachRunFiresWhatIsDueOnceAndSaysWhenTheNextStepFalls() {
        Ticket t = ticket(paris("2026-03-02T09:00"));
        TakeChargeWatchdog.Due early = WATCHDOG.due(t, Set.of(), DESK, CLOCK, paris("2026-03-02T10:59"));
        assertEquals(List.of(), early.now(), "nothing before its time");
        assertEquals(Optional.of(paris("2026-03-02T11:00")), early.next());

        TakeChargeWatchdog.Due half = WATCHDOG.due(t, Set.of(), DESK, CLOCK, paris("2026-03-02T11:00"));
        assertEquals(List.of("deadline-warning-50"), half.now().stream().map(TakeChargeWatchdog.Step::type).toList());
        assertEquals(Optional.of(paris("2026-03-02T12:00")), half.next());

        TakeChargeWatchdog.Due again = WATCHDOG.due(t, Set.of("deadline-warning-50"), DESK, CLOCK,
                paris("2026-03-02T11:30"));
        assertEquals(List.of(), again.now(), "a step recorded is never said twice");

        // A hub that was down all afternoon catches up at once, in order.
        TakeChargeWatchdog.Due late = WATCHDOG.due(t, Set.of("deadline-warning-50"), DESK, CLOCK,
                paris("2026-03-02T17:00"));
        assertEquals(List.of("deadline-warning-75", "deadline-breached"),
                late.now().stream().map(TakeChargeWatchdog.Step::type).toList());
        assertEquals(Optional.empty(), late.next());
    }

    @Test
    void aTicketTakenInChargeOrResolvedIsNoLongerWatched() {
        Ticket t = ticket(paris("2026-03-02T09:00"));
        OffsetDateTime at = paris("2026-03-02T10:00").atOffset(ZoneOffset.UTC);
        Ticket taken = t.with(TicketStatus.IN_PROGRESS, t.triage(), CLOCK.takenInCharge(t.sla(), at), at);
        assertEquals(new TakeChargeWatchdog.Due(List.of(), Optional.empty()),
                WATCHDOG.due(taken, Set.of(), DESK, CLOCK, paris("2026-03-02T15:00")));
        Ticket resolved = t.with(TicketStatus.RESOLVED, t.triage(), CLOCK.resolved(t.sla(), at), at);
        assertTrue(WATCHDOG.due(resolved, Set.of(), DESK, CLOCK, paris("2026-03-02T15:00")).now().isEmpty());
    }

    @Test
    void timeWaitingOnTheCustomerDoesNotCount() {
        Ticket t = ticket(paris("2026-03-02T09:00"));
        OffsetDateTime from = paris("2026-03-02T09:30").atOffset(ZoneOffset.UTC);
        Ticket waiting = t.with(TicketStatus.WAITING_ON_CUSTOMER, t.triage(), CLOCK.waiting(t.sla(), from), from);
        // Still waiting at 10:00: the 50 % step is at least 30 min later than planned (projected as if it ended now).
        assertEquals("2026-03-02T11:30", when(WATCHDOG.steps().get(0), waiting, paris("2026-03-02T10:00")));
        assertEquals(Optional.of(paris("2026-03-02T11:30")),
                WATCHDOG.due(waiting, Set.of(), DESK, CLOCK, paris("2026-03-02T10:00")).next());
        // The customer answers at 10:30: one hour of pause moves every step by one business hour.
        OffsetDateTime back = paris("2026-03-02T10:30").atOffset(ZoneOffset.UTC);
        Ticket resumed = waiting.with(TicketStatus.NEW, t.triage(), CLOCK.resumed(waiting.sla(), back), back);
        Instant now = paris("2026-03-02T11:30");
        assertEquals("2026-03-02T12:00", when(WATCHDOG.steps().get(0), resumed, now));
        assertEquals("2026-03-02T13:00", when(WATCHDOG.steps().get(1), resumed, now));
        assertEquals("2026-03-02T14:00", when(WATCHDOG.steps().get(2), resumed, now));
        assertEquals(List.of(), WATCHDOG.due(resumed, Set.of(), DESK, CLOCK, now).now(),
                "the job scheduled for 11:30 ran early and moves on to 12:00");
    }

    @Test
    void noStepEverFallsAtNightOnAWeekendOrOnAHoliday() {
        // Tickets created every 7 minutes over three weeks around Easter 2026.
        for (Instant c = paris("2026-03-28T00:00"); c.isBefore(paris("2026-04-18T00:00")); c = c.plusSeconds(7 * 60)) {
            Ticket t = ticket(c);
            for (TakeChargeWatchdog.Step step : WATCHDOG.steps()) {
                Instant at = WATCHDOG.when(step, t, DESK, CLOCK, c);
                var local = at.atZone(PARIS);
                boolean inHours = DESK.isBusinessDay(local.toLocalDate())
                        && !local.toLocalTime().isBefore(LocalTime.of(8, 0))
                        && !local.toLocalTime().isAfter(LocalTime.of(18, 30));
                assertTrue(inHours, step.type() + " of a ticket created " + c.atZone(PARIS) + " falls at " + local);
                assertTrue(!at.isBefore(c), "never before the ticket");
            }
        }
    }
}
