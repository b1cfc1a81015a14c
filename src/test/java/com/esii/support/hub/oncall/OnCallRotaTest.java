package com.esii.support.hub.oncall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.sla.BusinessCalendar;

/**
 * Who is on call, as a table: weeknights, weekends, French public holidays, daylight-saving nights, the weekly
 * handover (Monday 08:00 Paris) and overrides. Rotation "main" from Monday 2026-01-05: alice, bob, carol, one week
 * each. Override 1: dave instead of whoever, Sat 2026-03-14 10:00 to Sun 2026-03-15 10:00 (a swap). Override 2:
 * erin from Fri 2026-05-01 18:30 to Mon 2026-05-04 08:00 (bob on leave over the May Day weekend).
 */
class OnCallRotaTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final OnCallRota ROTA = new OnCallRota(BusinessCalendar.supportDesk(), "MON 08:00",
            List.of(new OnCallRota.Rotation("main", LocalDate.of(2026, 1, 5), List.of("alice", "bob", "carol"))),
            List.of(new OnCallRota.Override(1, paris("2026-03-14T10:00"), paris("2026-03-15T10:00"), "dave", "swap"),
                    new OnCallRota.Override(2, paris("2026-05-01T18:30"), paris("2026-05-04T08:00"), "erin",
                            "bob on leave")));

    static Instant paris(String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }

    @ParameterizedTest(name = "{0} Paris: {1} {2}")
    @CsvSource({
            // weeks from 2026-01-05: week 0 alice, 1 bob, 2 carol, 3 alice...
            "2026-01-05T07:59, -, -",                 // Monday before the first handover: before the rotation
            "2026-01-05T08:00, -, -",                 // desk open
            "2026-01-05T12:00, -, -",                 // desk open
            "2026-01-05T18:29, -, -",                 // desk open, one minute before closing
            "2026-01-05T18:30, night, alice",         // closed: week 0
            "2026-01-06T07:59, night, alice",
            "2026-01-09T23:00, night, alice",         // Friday night
            "2026-01-10T00:00, weekend, alice",
            "2026-01-11T23:59, weekend, alice",
            "2026-01-12T07:59, night, alice",         // Monday before the handover: still last week's
            "2026-01-12T18:30, night, bob",           // after the handover: week 1
            "2026-01-19T19:00, night, carol",         // week 2
            "2026-01-26T19:00, night, alice",         // week 3: round again
            "2026-01-01T10:00, -, -",                 // New Year's Day: before the rotation starts, nobody
            "2026-04-06T10:00, holiday, bob",         // Easter Monday 2026 (week 13 = bob), a holiday all day
            "2026-04-03T10:00, -, -",                 // Good Friday is a working day in France
            "2026-05-01T10:00, holiday, bob",         // May Day (Friday), week 16 = bob
            "2026-05-01T19:00, holiday, erin",        // override 2 from 18:30
            "2026-05-02T12:00, weekend, erin",
            "2026-05-04T07:59, night, erin",
            "2026-05-04T08:00, -, -",
            "2026-05-04T18:30, night, carol",         // override over; week 17 = carol
            "2026-05-14T12:00, holiday, alice",       // Ascension Thursday, week 18 = alice
            "2026-03-14T09:59, weekend, alice",       // week 9 = alice
            "2026-03-14T10:00, weekend, dave",        // override 1 (swap)
            "2026-03-15T09:59, weekend, dave",
            "2026-03-15T10:00, weekend, alice",
            // daylight saving: 2026-03-29 02:00 → 03:00 (week 11 = carol), 2026-10-25 03:00 → 02:00 (week 41 = carol, then 42 = alice)
            "2026-03-29T01:59, weekend, carol",
            "2026-03-29T03:00, weekend, carol",
            "2026-03-30T07:59, night, carol",
            "2026-03-30T08:00, -, -",
            "2026-03-30T18:30, night, alice",
            "2026-10-25T02:30, weekend, carol",
            "2026-10-26T07:59, night, carol",
            "2026-10-26T08:00, -, -",
            "2026-10-26T18:30, night, alice",
    })
    void whoIsOnCall(String local, String reason, String technician) {
        var duty = ROTA.at(paris(local));
        assertEquals("-".equals(reason) ? null : reason, duty.map(d -> d.reason().code()).orElse(null), local);
        assertEquals("-".equals(technician) ? null : technician, duty.map(d -> d.assignment().technician()).orElse(null),
                local);
    }

    @Test
    void theBackupIsTheNextInTheRotationAndTheSwappedOutTechnicianBacksUpTheOverride() {
        assertEquals("carol", ROTA.technicianAt(paris("2026-01-12T20:00")).orElseThrow().backup());
        OnCallRota.Assignment swap = ROTA.technicianAt(paris("2026-03-14T12:00")).orElseThrow();
        assertEquals("dave", swap.technician());
        assertEquals("alice", swap.backup());
        assertEquals(1L, swap.overrideId());
        // During opening hours nobody is "on call", but the week still has its technician (escalations use it).
        assertEquals("bob", ROTA.technicianAt(paris("2026-01-12T10:00")).orElseThrow().technician());
    }

    @Test
    void aWeekendAcrossTheSpringDaylightSavingChangeIsOneHourShorter() {
        // Friday 2026-03-27 18:30 CET to Monday 2026-03-30 08:00 CEST: Friday night, the weekend, Monday night.
        List<OnCallRota.Duty> d = ROTA.duties(paris("2026-03-27T12:00"), paris("2026-03-30T12:00"));
        assertEquals(List.of("night carol 2026-03-27T17:30:00Z 2026-03-27T23:00:00Z",
                "weekend carol 2026-03-27T23:00:00Z 2026-03-29T22:00:00Z",
                "night carol 2026-03-29T22:00:00Z 2026-03-30T06:00:00Z"), describe(d));
        Duration total = d.stream().map(x -> Duration.between(x.from(), x.to())).reduce(Duration.ZERO, Duration::plus);
        assertEquals(Duration.ofHours(61).plusMinutes(30).minusHours(1), total, "61.5 h of wall time less the lost hour");
    }

    @Test
    void aWeekendAcrossTheAutumnChangeIsOneHourLongerAndTheHandoverCutsTheNight() {
        List<OnCallRota.Duty> d = ROTA.duties(paris("2026-10-23T12:00"), paris("2026-10-26T20:00"));
        assertEquals(List.of("night carol 2026-10-23T16:30:00Z 2026-10-23T22:00:00Z",
                "weekend carol 2026-10-23T22:00:00Z 2026-10-25T23:00:00Z",
                "night carol 2026-10-25T23:00:00Z 2026-10-26T07:00:00Z",
                "night alice 2026-10-26T17:30:00Z 2026-10-26T19:00:00Z"), describe(d));
        Duration weekend = Duration.between(d.get(1).from(), d.get(1).to());
        assertEquals(Duration.ofHours(49), weekend);
    }

    @Test
    void anOverrideCutsTheDutyWhereItStartsAndEnds() {
        List<OnCallRota.Duty> d = ROTA.duties(paris("2026-03-13T12:00"), paris("2026-03-16T12:00"));
        assertEquals(List.of("night alice 2026-03-13T17:30:00Z 2026-03-13T23:00:00Z",
                "weekend alice 2026-03-13T23:00:00Z 2026-03-14T09:00:00Z",
                "weekend dave 2026-03-14T09:00:00Z 2026-03-15T09:00:00Z",
                "weekend alice 2026-03-15T09:00:00Z 2026-03-15T23:00:00Z",
                "night alice 2026-03-15T23:00:00Z 2026-03-16T07:00:00Z"), describe(d));
    }

    @Test
    void aNewRotationTakesOverFromItsFirstWeek() {
        OnCallRota rota = new OnCallRota(BusinessCalendar.supportDesk(), "MON 08:00",
                List.of(new OnCallRota.Rotation("2026", LocalDate.of(2026, 1, 5), List.of("alice", "bob")),
                        new OnCallRota.Rotation("summer", LocalDate.of(2026, 7, 6), List.of("zoe"))),
                List.of());
        assertEquals("bob", rota.at(paris("2026-07-05T12:00")).orElseThrow().assignment().technician());
        assertEquals("zoe", rota.at(paris("2026-07-06T19:00")).orElseThrow().assignment().technician());
        assertTrue(rota.at(paris("2026-07-06T10:00")).isEmpty(), "desk open");
    }

    static List<String> describe(List<OnCallRota.Duty> duties) {
        return duties.stream().map(x -> x.reason().code() + " " + x.assignment().technician() + " " + x.from() + " "
                + x.to()).collect(Collectors.toList());
    }
}
