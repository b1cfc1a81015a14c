package com.esii.support.hub.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ticket number the relay puts in the MDC of the lines about a row, read from the row's lane. */
class OutboxLaneTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "mail:SUP-2026-000123, SUP-2026-000123",
            "jsm:HLP-2027-004567, HLP-2027-004567",
            "mail:notice:jo@customer.example, -",
            "test:lane-3, -",
            "SUP-2026-12, -" })
    void theTicketOfALane(String lane, String ticket) {
        assertEquals(ticket, OutboxRelay.ticketOf(lane));
    }
}
