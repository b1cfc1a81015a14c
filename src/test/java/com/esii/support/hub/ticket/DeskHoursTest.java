package com.esii.support.hub.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The desk's hours and the take-charge time as the acknowledgement writes them, from the settings. */
class DeskHoursTest {

    @Test
    void theHoursReadInsideASentenceInEachLanguage() {
        List<String> desk = List.of("Mon-Fri 08:00-18:30");
        assertEquals("du lundi au vendredi, de 8 h à 18 h 30", DeskHours.inSentence(desk, Language.FR));
        assertEquals("Monday to Friday, 8:00 to 18:30", DeskHours.inSentence(desk, Language.EN));
        assertEquals("de lunes a viernes, de 8:00 a 18:30", DeskHours.inSentence(desk, Language.ES));
        assertEquals("du mardi au samedi, de 7 h à 20 h ; le dimanche, de 9 h à 12 h",
                DeskHours.inSentence(List.of("Tue-Sat 07:00-20:00", "Sun 09:00-12:00"), Language.FR));
    }

    @Test
    void theTakeChargeTimeIsWrittenAsHours() {
        assertEquals("4", DeskHours.hours(Duration.ofHours(4), Language.FR));
        assertEquals("1,5", DeskHours.hours(Duration.ofMinutes(90), Language.FR));
        assertEquals("1.5", DeskHours.hours(Duration.ofMinutes(90), Language.EN));
    }
}
