package com.esii.support.hub.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DepartmentsTest {

    @Test
    void aPostcodeNamesItsDepartment() {
        assertEquals("34", Departments.ofPostcode("34880").orElseThrow().code());
        assertEquals("Hérault", Departments.ofPostcode("34 000").orElseThrow().name());
        assertEquals("2A", Departments.ofPostcode("20000").orElseThrow().code());
        assertEquals("2B", Departments.ofPostcode("20200").orElseThrow().code());
        assertEquals("974", Departments.ofPostcode("97400").orElseThrow().code());
        assertEquals("Île-de-France", Departments.ofPostcode("94000").orElseThrow().region());
    }

    @Test
    void anythingElseNamesNone() {
        for (String bad : new String[] {null, "", "3488", "00000", "96000", "ABCDE", "348800", "97500"}) {
            assertTrue(Departments.ofPostcode(bad).isEmpty(), "no department for " + bad);
        }
    }

    @Test
    void everyMetropolitanDepartmentIsKnownOnce() {
        assertEquals(101, Departments.all().size(), "96 metropolitan departments and 5 overseas");
        double km = Departments.roadKilometres(Departments.byCode("75").orElseThrow(),
                Departments.byCode("13").orElseThrow(), 1.0);
        assertTrue(km > 640 && km < 680, "Paris → Marseille as the crow flies: " + km);
    }
}
