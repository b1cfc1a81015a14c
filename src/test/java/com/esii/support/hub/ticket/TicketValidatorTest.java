package com.esii.support.hub.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TicketValidatorTest {

    private static final List<String> REFUSED = List.of("exe", "bat", "js", "ps1");

    @ParameterizedTest
    @CsvSource({
            "setup.exe, true",
            "SETUP.EXE, true",
            "setup.exe., true",
            "'setup.exe ', true",
            "invoice.pdf.js, true",
            "logs.zip, false",
            "capture.pcap, false",
            "README, false",
            "exe, false"
    })
    void refusesExecutablesWhateverTheirSpelling(String filename, boolean refused) {
        assertEquals(refused, TicketValidator.refused(filename, REFUSED));
    }
}
