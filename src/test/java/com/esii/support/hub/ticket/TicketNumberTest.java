package com.esii.support.hub.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TicketNumberTest {

    private final TicketNumber.Parser parser = new TicketNumber.Parser("SUP");

    @org.junit.jupiter.api.Test
    void formatsWithSixDigitsAtLeast() {
        assertEquals("SUP-2026-000123", TicketNumber.of("SUP", 2026, 123).toString());
        assertEquals("SUP-2026-1234567", TicketNumber.of("SUP", 2026, 1_234_567).toString());
        assertEquals("HD-2027-000001", TicketNumber.of("HD", 2027, 1).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "[SUP-2026-000123] Printer down                  | SUP-2026-000123",
            "RE: [SUP-2026-000123] Printer down              | SUP-2026-000123",
            "Réf : SUP-2026-000042, suite                    | SUP-2026-000042",
            "AW: Ticket SUP-2027-1234567                     | SUP-2027-1234567",
            "(SUP-2026-000001)                               | SUP-2026-000001",
            "[#SUP-2026-000001]                              | SUP-2026-000001",
            "Your case INC-SUP-2026-000123 at another desk   | NONE",
            "[SUPPORT-2026-000123]                           | NONE",
            "SUP-2026-00012 too short                        | NONE",
            "SUP-2026-000123x glued to a word                | NONE",
            "XSUP-2026-000123                                | NONE",
            "[ABC-2026-000123] another helpdesk              | NONE",
            "no number at all                                | NONE"
    })
    void findsOurNumberInFreeTextAndNothingElse(String text, String expected) {
        Optional<TicketNumber> found = parser.find(text);
        assertEquals(Optional.ofNullable(expected), found.map(TicketNumber::toString));
    }

    @org.junit.jupiter.api.Test
    void parsesExactly() {
        assertEquals(Optional.of(TicketNumber.of("SUP", 2026, 7)), parser.parse(" SUP-2026-000007 "));
        assertEquals(Optional.empty(), parser.parse("SUP-2026-000007 and more"));
        assertEquals(Optional.empty(), parser.parse(null));
    }
}
