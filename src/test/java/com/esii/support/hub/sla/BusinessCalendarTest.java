package com.esii.support.hub.sla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The support desk's calendar: Monday–Friday 08:00–18:30 Paris, French public holidays. */
class BusinessCalendarTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final BusinessCalendar DESK = BusinessCalendar.supportDesk();

    static Instant paris(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(PARIS).toInstant();
    }

    @ParameterizedTest(name = "{0} + {1}h = {2} ({3})")
    @CsvSource(delimiter = '|', value = {
            // created (Paris)        | business hours | due (Paris)          | why
            "2026-04-02T17:00 | 4  | 2026-04-03T10:30 | the issue's example: evening carried over",
            "2026-04-03T17:00 | 4  | 2026-04-07T10:30 | the issue's example: weekend and Easter Monday",
            "2026-03-02T09:00 | 4  | 2026-03-02T13:00 | within one day",
            "2026-03-02T08:00 | 4  | 2026-03-02T12:00 | at opening",
            "2026-03-02T06:00 | 4  | 2026-03-02T12:00 | created before opening",
            "2026-03-02T18:30 | 4  | 2026-03-03T12:00 | created at closing",
            "2026-03-02T20:00 | 4  | 2026-03-03T12:00 | created in the evening",
            "2026-03-07T11:00 | 4  | 2026-03-09T12:00 | created on a Saturday",
            "2026-11-08T15:00 | 4  | 2026-11-09T12:00 | created on a Sunday",
            "2026-03-27T17:00 | 4  | 2026-03-30T10:30 | spring daylight-saving weekend (29 March)",
            "2026-10-23T16:00 | 4  | 2026-10-26T09:30 | autumn daylight-saving weekend (25 October)",
            "2025-12-31T17:00 | 4  | 2026-01-02T10:30 | New Year's Day 2026 (Thursday)",
            "2026-04-30T18:00 | 4  | 2026-05-04T11:30 | 1 May 2026 (Friday)",
            "2026-05-07T18:00 | 4  | 2026-05-11T11:30 | 8 May 2026 (Friday)",
            "2026-05-13T16:00 | 4  | 2026-05-15T09:30 | Ascension 2026 (Thursday 14 May)",
            "2026-05-22T18:00 | 4  | 2026-05-26T11:30 | Whit Monday 2026 (25 May)",
            "2026-07-13T16:30 | 4  | 2026-07-15T10:00 | 14 July 2026 (Tuesday)",
            "2026-08-14T17:00 | 4  | 2026-08-17T10:30 | 15 August 2026 falls on a Saturday",
            "2026-10-30T17:00 | 4  | 2026-11-02T10:30 | 1 November 2026 falls on a Sunday",
            "2026-11-10T15:00 | 4  | 2026-11-12T08:30 | 11 November 2026 (Wednesday)",
            "2026-12-24T17:00 | 4  | 2026-12-28T10:30 | Christmas 2026 (Friday)",
            "2026-12-31T18:00 | 4  | 2027-01-04T11:30 | New Year's Day 2027 (Friday)",
            "2027-03-26T15:00 | 4  | 2027-03-30T08:30 | Easter Monday 2027 (29 March) on the daylight-saving weekend",
            "2027-04-30T17:00 | 4  | 2027-05-03T10:30 | 1 May 2027 falls on a Saturday",
            "2027-05-05T17:00 | 4  | 2027-05-07T10:30 | Ascension 2027 (Thursday 6 May)",
            "2027-05-07T17:00 | 4  | 2027-05-10T10:30 | 8 May 2027 falls on a Saturday",
            "2027-05-14T17:00 | 4  | 2027-05-18T10:30 | Whit Monday 2027 (17 May)",
            "2027-07-13T17:00 | 4  | 2027-07-15T10:30 | 14 July 2027 (Wednesday)",
            "2027-08-13T17:00 | 4  | 2027-08-16T10:30 | 15 August 2027 falls on a Sunday",
            "2027-10-29T17:00 | 4  | 2027-11-02T10:30 | 1 November 2027 (Monday) after the daylight-saving weekend",
            "2027-11-10T17:00 | 4  | 2027-11-12T10:30 | 11 November 2027 (Thursday)",
            "2027-12-24T17:00 | 4  | 2027-12-27T10:30 | Christmas 2027 falls on a Saturday",
            "2026-03-02T09:00 | 16 | 2026-03-03T14:30 | on-site: 16 business hours",
            "2026-03-06T16:00 | 16 | 2026-03-10T11:00 | on-site across a weekend",
            "2026-03-02T10:00 | 0  | 2026-03-02T10:00 | nothing to add during business hours"
    })
    void deadlinesCountBusinessTimeOnly(String created, int hours, String due, String why) {
        assertEquals(paris(due), DESK.plus(paris(created), Duration.ofHours(hours)), why);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25", "2026-07-14",
            "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25",
            "2027-01-01", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-08", "2027-05-17", "2027-07-14",
            "2027-08-15", "2027-11-01", "2027-11-11", "2027-12-25"
    })
    void everyFrenchPublicHolidayOf2026And2027IsClosed(String day) {
        assertTrue(DESK.isHoliday(LocalDate.parse(day)), day);
        assertFalse(DESK.isBusinessDay(LocalDate.parse(day)), day);
    }

    @Test
    void goodFridayIsAWorkingDayInFrance() {
        assertTrue(DESK.isBusinessDay(LocalDate.parse("2026-04-03")));
        assertTrue(DESK.isOpen(paris("2026-04-03T10:00")));
        assertFalse(DESK.isOpen(paris("2026-04-03T18:30")));
    }

    @ParameterizedTest(name = "paused {0} to {1}: {2} min")
    @CsvSource(delimiter = '|', value = {
            // A pause (waiting on the customer) counts only its business time; the deadline moves by that much.
            "2026-04-02T17:00 | 2026-04-07T10:00 | 840 | Thursday evening to Tuesday after Easter (Good Friday counts)",
            "2026-03-02T20:00 | 2026-03-03T07:00 | 0   | a night",
            "2026-03-06T18:00 | 2026-03-09T09:00 | 90  | a weekend",
            "2026-03-27T12:00 | 2026-03-30T12:00 | 630 | across the spring daylight-saving change",
            "2026-03-02T10:00 | 2026-03-02T09:00 | 0   | an end before the start"
    })
    void pausesCountBusinessTimeOnly(String from, String to, long minutes, String why) {
        assertEquals(Duration.ofMinutes(minutes), DESK.between(paris(from), paris(to)), why);
    }

    @Test
    void aPauseMovesTheDeadlineByItsBusinessTime() {
        Instant created = paris("2026-04-02T17:00");
        Instant due = DESK.plus(created, Duration.ofHours(4));
        assertEquals(paris("2026-04-03T10:30"), due);
        // Waiting on the customer from Friday 17:00 to Tuesday 09:00 (Easter Monday between): 150 business minutes.
        Duration paused = DESK.between(paris("2026-04-03T17:00"), paris("2026-04-07T09:00"));
        assertEquals(Duration.ofMinutes(150), paused);
        assertEquals(paris("2026-04-03T13:00"), DESK.plus(due, paused));
    }
}
