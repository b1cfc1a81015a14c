package com.esii.support.hub.onsite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.sla.BusinessCalendar;

/** The proposal rules of issue 27, on the support calendar (Monday–Friday 08:00–18:30, Paris, French holidays). */
class PlannerTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final BusinessCalendar DESK = BusinessCalendar.supportDesk();
    final Planner planner = new Planner(80, 1.3, Duration.ofHours(2));

    static Planner.Worker tech(String code, String base) {
        return new Planner.Worker(code, code, Planner.TECHNICIAN, code + "@esii.example", base, Set.of(), DESK);
    }

    static Planner.Worker partner(String code, String base, String... covers) {
        return new Planner.Worker(code, code, Planner.PARTNER, code + "@p.example", base, Set.of(covers), DESK);
    }

    static Instant paris(int month, int day, int hour, int minute) {
        return LocalDateTime.of(2026, month, day, hour, minute).atZone(PARIS).toInstant();
    }

    // Monday 7 December 2026, 10:00: 16 working hours later is Tuesday 8 December at 15:30 (10.5 h mon... see below)
    static final Instant MONDAY_10 = paris(12, 7, 10, 0);
    static final Instant DUE = DESK.plus(MONDAY_10, Duration.ofHours(16));

    Planner.Need hérault(Instant due) {
        return new Planner.Need("34", MONDAY_10, due, List.of());
    }

    @Test
    void theNearestTechnicianWhoCanBeThereInTimeGoes() {
        List<Planner.Worker> team = List.of(tech("creteil", "94"), tech("laverune", "34"), tech("toulouse", "31"));
        Planner.Proposal p = planner.propose(hérault(DUE), team, List.of()).orElseThrow();
        assertEquals("laverune", p.worker().code());
        assertEquals(Planner.Basis.NEAREST, p.basis());
        assertEquals(15, p.travelMinutes(), "within the department: the 15 minutes' floor");
        // leaves at once (10:00), rounded up to the half hour after the travel
        assertEquals(paris(12, 7, 10, 30), p.start());
        assertEquals(paris(12, 7, 12, 30), p.end());
        assertTrue(p.onTime());
    }

    @Test
    void travelIsTheDistanceBetweenPrefecturesAtTheRoadSpeed() {
        // Toulouse → Montpellier: about 196 km as the crow flies, × 1.3 at 80 km/h ≈ 190 min
        int t = planner.travelMinutes(tech("toulouse", "31"), "34").orElseThrow();
        assertTrue(t >= 170 && t <= 210, "Toulouse → Montpellier: " + t + " min");
        assertEquals(0, t % 5, "rounded up to five minutes");
        assertTrue(planner.travelMinutes(tech("x", null), "34").isEmpty());
    }

    @Test
    void aBusyOrAbsentNearestTechnicianGivesWayToTheNextNearestWhoIsInTime() {
        List<Planner.Worker> team = List.of(tech("laverune", "34"), tech("toulouse", "31"), tech("creteil", "94"));
        // Lavérune is away until Wednesday: Toulouse can be there Monday afternoon
        List<Planner.Busy> away = List.of(new Planner.Busy("laverune", paris(12, 7, 0, 0), paris(12, 9, 8, 0)));
        Planner.Proposal p = planner.propose(hérault(DUE), team, away).orElseThrow();
        assertEquals("toulouse", p.worker().code());
        assertTrue(p.onTime());
        assertTrue(p.start().isAfter(MONDAY_10.plus(Duration.ofMinutes(p.travelMinutes() - 1))),
                "leaves after now and travels first");
    }

    @Test
    void aPlannedInterventionAndItsTravelBlockTheTechnician() {
        List<Planner.Worker> team = List.of(tech("laverune", "34"));
        // planned 10:45–12:45 with 15 min of travel each way: busy 10:30–13:00
        List<Planner.Busy> busy = List.of(new Planner.Busy("laverune", paris(12, 7, 10, 30), paris(12, 7, 13, 0)));
        Planner.Proposal p = planner.propose(hérault(DUE), team, busy).orElseThrow();
        assertEquals(paris(12, 7, 13, 30), p.start(), "leaves at 13:15 at the earliest, arrives on the half hour");
    }

    @Test
    void aPartnerCoveringTheDepartmentGoesWhenNoTechnicianCanBeThereInTime() {
        List<Planner.Worker> team = List.of(tech("creteil", "94"), partner("sud", "30", "34", "30"),
                partner("nord", "59", "59"));
        // Créteil → Montpellier is ~8 h by road: not before Tuesday 15:30 in working hours... make the deadline short
        Instant due = paris(12, 7, 16, 0);
        Planner.Proposal p = planner.propose(hérault(due), team, List.of()).orElseThrow();
        assertEquals("sud", p.worker().code());
        assertEquals(Planner.Basis.PARTNER, p.basis());
        assertTrue(p.onTime());
    }

    @Test
    void whenNobodyCanBeThereInTimeTheFirstWhoCanIsProposedAndSaidLate() {
        List<Planner.Worker> team = List.of(tech("creteil", "94"), partner("nord", "59", "59"));
        Instant due = paris(12, 7, 12, 0);
        Planner.Proposal p = planner.propose(hérault(due), team, List.of()).orElseThrow();
        assertEquals("creteil", p.worker().code(), "a partner not covering the Hérault is never proposed there");
        assertEquals(Planner.Basis.LATE, p.basis());
        assertFalse(p.onTime());
    }

    @Test
    void anUnknownPostcodeProposesTheEarliestTechnicianWithoutTravel() {
        List<Planner.Worker> team = List.of(tech("creteil", "94"), tech("laverune", "34"), partner("sud", "30", "34"));
        List<Planner.Busy> busy = List.of(new Planner.Busy("creteil", paris(12, 7, 0, 0), paris(12, 8, 0, 0)));
        Planner.Proposal p = planner.propose(new Planner.Need(null, MONDAY_10, DUE, List.of()), team, busy)
                .orElseThrow();
        assertEquals("laverune", p.worker().code());
        assertEquals(Planner.Basis.UNKNOWN_SITE, p.basis());
        assertNull(p.travelMinutes(), "no travel computed, and said so");
        assertEquals(paris(12, 7, 10, 0), p.start());
    }

    @Test
    void aSlotTheCustomerRefusedIsNotProposedAgain() {
        List<Planner.Worker> team = List.of(tech("laverune", "34"));
        Planner.Window refused = new Planner.Window(paris(12, 7, 10, 30), paris(12, 7, 12, 30));
        Planner.Proposal p = planner.propose(new Planner.Need("34", MONDAY_10, DUE, List.of(refused)), team, List.of())
                .orElseThrow();
        assertEquals(paris(12, 7, 12, 30), p.start(), "the first slot after the refused one");
    }

    @Test
    void slotsKeepToWorkingHoursWeekendsAndHolidays() {
        List<Planner.Worker> team = List.of(tech("laverune", "34"));
        // Thursday 24 December 2026 at 17:00: too late for two hours that day; Friday 25 is Christmas, then the
        // weekend: Monday 28 at 08:30 (08:00 + 15 min of travel, on the half hour)
        Instant christmasEve = paris(12, 24, 17, 0);
        Planner.Proposal p = planner.propose(new Planner.Need("34", christmasEve, null, List.of()), team, List.of())
                .orElseThrow();
        assertEquals(paris(12, 28, 8, 30), p.start());
        assertTrue(p.onTime(), "no deadline: no lateness");
    }

    @Test
    void nobodyAvailableWithinTheHorizonGivesNoProposal() {
        List<Planner.Worker> team = List.of(tech("laverune", "34"));
        List<Planner.Busy> away = List.of(new Planner.Busy("laverune", paris(12, 1, 0, 0), paris(2027, 3, 1, 0, 0)));
        assertEquals(Optional.empty(), planner.propose(hérault(DUE), team, away));
    }

    static Instant paris(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute).atZone(PARIS).toInstant();
    }
}
