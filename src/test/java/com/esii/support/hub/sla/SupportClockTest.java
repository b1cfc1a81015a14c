package com.esii.support.hub.sla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.esii.support.hub.ticket.Ticket;

/** The contractual clock: 4 business hours to take charge, 16 on site, pauses while waiting on the customer. */
class SupportClockTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final SupportClock CLOCK = new SupportClock(BusinessCalendar.supportDesk(), Duration.ofHours(4),
            Duration.ofHours(16));

    static OffsetDateTime paris(String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toOffsetDateTime();
    }

    static String local(OffsetDateTime t) {
        return t == null ? null : t.atZoneSameInstant(PARIS).toLocalDateTime().toString();
    }

    @ParameterizedTest(name = "created {0}, waiting {1} → {2}: due {3} ({4})")
    @CsvSource(delimiter = '|', value = {
            // created (Paris)  | waiting from      | resumed           | take-charge due    | why
            "2026-03-02T09:00 | 2026-03-02T10:00 | 2026-03-02T11:30 | 2026-03-02T14:30 | a pause within the day",
            "2026-03-02T09:00 | 2026-03-02T10:00 | 2026-03-03T09:00 | 2026-03-03T12:00 | a pause across the night",
            "2026-03-06T15:00 | 2026-03-06T16:00 | 2026-03-09T10:00 | 2026-03-09T13:00 | a pause across the weekend",
            "2026-03-02T17:00 | 2026-03-02T19:00 | 2026-03-03T07:30 | 2026-03-03T10:30 | a pause out of hours moves nothing",
            "2026-03-02T09:00 | 2026-03-02T14:00 | 2026-03-02T16:00 | 2026-03-02T13:00 | a pause after the breach moves nothing",
            "2026-04-02T17:00 | 2026-04-03T09:00 | 2026-04-07T09:00 | 2026-04-07T10:30 | a pause across Easter Monday",
            "2026-03-27T17:00 | 2026-03-27T18:00 | 2026-03-30T08:00 | 2026-03-30T11:00 | a pause across the spring clock change",
            "2026-10-23T16:00 | 2026-10-23T17:00 | 2026-10-26T12:00 | 2026-10-26T15:00 | a pause across the autumn clock change",
            "2026-05-13T16:00 | 2026-05-13T17:00 | 2026-05-15T09:00 | 2026-05-15T12:00 | a pause across Ascension",
            "2026-07-13T16:30 | 2026-07-13T17:30 | 2026-07-15T08:00 | 2026-07-15T11:00 | a pause across 14 July",
            "2026-12-24T17:00 | 2026-12-24T18:00 | 2026-12-28T08:00 | 2026-12-28T11:00 | a pause across Christmas",
    })
    void aPauseMovesTheTakeChargeDeadlineByItsBusinessTime(String created, String waiting, String resumed,
            String due, String why) {
        Ticket.Sla s = CLOCK.opened(Ticket.MAINTAINED, paris(created));
        s = CLOCK.waiting(s, paris(waiting));
        s = CLOCK.resumed(s, paris(resumed));
        assertEquals(due, local(s.takeChargeDue()), why);
        assertNull(s.waitingSince());
        assertEquals(BusinessCalendar.supportDesk().between(paris(waiting).toInstant(), paris(resumed).toInstant())
                .toSeconds(), s.pausedSeconds());
    }

    @ParameterizedTest(name = "decided {0}: on site by {1} ({2})")
    @CsvSource(delimiter = '|', value = {
            "2026-03-02T10:00 | 2026-03-03T15:30 | the next afternoon",
            "2026-03-07T10:00 | 2026-03-10T13:30 | decided on a Saturday",
            "2026-12-24T15:00 | 2026-12-29T10:00 | Christmas 2026",
            "2026-05-13T12:00 | 2026-05-15T17:30 | Ascension 2026",
            "2026-10-23T16:00 | 2026-10-27T11:00 | autumn clock change",
            "2026-04-03T17:00 | 2026-04-08T12:00 | Easter Monday 2026",
            "2027-05-07T16:00 | 2027-05-11T11:00 | 8 May 2027 falls on a Saturday",
    })
    void aMaintainedCustomerIsServedOnSiteWithinSixteenBusinessHours(String decided, String due, String why) {
        Ticket.Sla s = CLOCK.onSiteDecided(CLOCK.opened(Ticket.MAINTAINED, paris(decided)), Ticket.MAINTAINED,
                "intervention", paris(decided));
        assertEquals(due, local(s.onSiteDue()), why);
        assertFalse(s.quoteRequired());
    }

    @Test
    void aPauseMovesTheOnSiteDeadlineButNotAMetTakeChargeDeadline() {
        Ticket.Sla s = CLOCK.opened(Ticket.MAINTAINED, paris("2026-03-02T09:00"));
        s = CLOCK.takenInCharge(s, paris("2026-03-02T09:30"));
        s = CLOCK.onSiteDecided(s, Ticket.MAINTAINED, "exchange", paris("2026-03-02T10:00"));
        assertEquals("2026-03-03T15:30", local(s.onSiteDue()));
        s = CLOCK.waiting(s, paris("2026-03-02T11:00"));
        s = CLOCK.resumed(s, paris("2026-03-02T15:00"));
        assertEquals("2026-03-02T13:00", local(s.takeChargeDue()), "met deadlines stay as they were");
        assertEquals("2026-03-04T09:00", local(s.onSiteDue()), "4 business hours later");
        s = CLOCK.waiting(s, paris("2026-03-03T17:00"));
        s = CLOCK.onSiteDone(s, paris("2026-03-04T09:00"));
        assertEquals(paris("2026-03-04T09:00"), s.onSiteDoneAt());
        assertNull(s.waitingSince(), "done ends the pause");
        assertEquals(Duration.ofHours(4).plus(Duration.ofMinutes(150)).toSeconds(), s.pausedSeconds());
    }

    @Test
    void whileWaitingTheEffectiveDeadlineMovesWithThePause() {
        Ticket.Sla s = CLOCK.waiting(CLOCK.opened(Ticket.MAINTAINED, paris("2026-03-02T09:00")),
                paris("2026-03-02T10:00"));
        assertEquals("2026-03-02T15:00",
                local(CLOCK.effectiveDue(s.takeChargeDue(), s.waitingSince(), paris("2026-03-02T12:00"))));
        assertEquals("2026-03-02T13:00", local(s.takeChargeDue()), "stored until the pause ends");
    }

    @Test
    void aCustomerWithoutMaintenanceHasNoDeadlineAndNeedsAQuote() {
        Ticket.Sla s = CLOCK.opened(Ticket.NOT_MAINTAINED, paris("2026-03-02T09:00"));
        assertNull(s.takeChargeDue());
        s = CLOCK.onSiteDecided(s, Ticket.NOT_MAINTAINED, "exchange", paris("2026-03-02T10:00"));
        assertNull(s.onSiteDue());
        assertTrue(s.quoteRequired());
        s = CLOCK.quoteAccepted(s, paris("2026-03-03T10:00"));
        assertEquals(paris("2026-03-03T10:00"), s.quoteAcceptedAt());
        assertNull(s.onSiteDue(), "no contractual deadline even once the quote is accepted");
    }

    @Test
    void anUnknownContractIsHeldToTheMaintainedDeadlinesUntilTheErpAnswers() {
        Ticket.Sla s = CLOCK.opened(Ticket.UNKNOWN, paris("2026-03-02T09:00"));
        assertEquals("2026-03-02T13:00", local(s.takeChargeDue()));
        s = CLOCK.onSiteDecided(s, Ticket.UNKNOWN, "intervention", paris("2026-03-02T10:00"));
        assertFalse(s.quoteRequired());
        Ticket.Sla maintained = CLOCK.retriaged(s, Ticket.MAINTAINED, paris("2026-03-02T09:00"));
        assertEquals(s.takeChargeDue(), maintained.takeChargeDue());
        assertEquals(s.onSiteDue(), maintained.onSiteDue());
        Ticket.Sla notMaintained = CLOCK.retriaged(s, Ticket.NOT_MAINTAINED, paris("2026-03-02T09:00"));
        assertNull(notMaintained.takeChargeDue());
        assertNull(notMaintained.onSiteDue());
        assertTrue(notMaintained.quoteRequired(), "the intervention now waits for a quote");
    }

    @Test
    void aMaintainedContractFoundLaterGetsItsDeadlinesFromTheTicketsCreation() {
        Ticket.Sla s = CLOCK.opened(Ticket.NOT_MAINTAINED, paris("2026-03-02T09:00"));
        s = CLOCK.onSiteDecided(s, Ticket.NOT_MAINTAINED, "intervention", paris("2026-03-02T10:00"));
        Ticket.Sla r = CLOCK.retriaged(s, Ticket.MAINTAINED, paris("2026-03-02T09:00"));
        assertEquals("2026-03-02T13:00", local(r.takeChargeDue()));
        assertEquals("2026-03-03T15:30", local(r.onSiteDue()));
        assertFalse(r.quoteRequired());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "MON-FRI 08:00-18:30 fr | 2026-04-06 | false | Easter Monday on the desk's calendar",
            "MON-FRI 08:00-18:30 none | 2026-04-06 | true | no holidays",
            "MON-SAT 07:00-20:00 fr | 2026-03-07 | true | a Saturday on an extended calendar",
            "MON,WED,FRI 09:00-17:00 fr | 2026-03-03 | false | a Tuesday on a three-day calendar",
            "MON-SUN 00:00-24:00 none | 2026-03-08 | true | round the clock",
    })
    void calendarsAreDescribedInOneLine(String spec, String day, boolean businessDay, String why) {
        BusinessCalendar c = BusinessCalendar.parse(PARIS, spec);
        assertEquals(businessDay, c.isBusinessDay(LocalDate.parse(day)), why);
    }

    @Test
    void aRoundTheClockCalendarCountsNightsAndWeekends() {
        BusinessCalendar c = BusinessCalendar.parse(PARIS, "MON-SUN 00:00-24:00 none");
        assertEquals("2026-03-08T02:00", local(c.plus(paris("2026-03-07T22:00").toInstant(), Duration.ofHours(4))
                .atZone(PARIS).toOffsetDateTime()));
        assertEquals(DayOfWeek.SUNDAY, LocalDate.parse("2026-03-08").getDayOfWeek());
    }

    @Test
    void aMalformedCalendarIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BusinessCalendar.parse(PARIS, "weekdays 8-18"));
        assertThrows(IllegalArgumentException.class, () -> BusinessCalendar.parse(PARIS, "MON-FRI 18:00-08:00 fr"));
        assertThrows(IllegalArgumentException.class, () -> BusinessCalendar.parse(PARIS, "XX-FRI 08:00-18:00 fr"));
    }
}
