package com.esii.support.hub.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the detector reads of a text, and when it is too unsure to answer. */
class LanguageDetectionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // subject | text | language
            "Impresora de turnos | Buenos días, la impresora de turnos no funciona. | ES",
            "Buenos días | Buenos días, la impresora de turnos no funciona. | ES",
            "Borne en panne | Bonjour, la borne ne fonctionne plus depuis ce matin. Merci | FR",
            "Kiosk not printing | Hi, the kiosk stopped printing this morning. Thanks | EN",
            "RE: [SUP-2026-000377] Écran noir | Merci, c'est réparé. | FR",
            "RE: [SUP-2026-000377] Display frozen | Thanks, that fixed it. | EN",
            "RE: [SUP-2026-000390] Pantalla bloqueada | Gracias, ya funciona. | ES",
            "Pantalla congelada | Sigue sin funcionar esta mañana | ES",
            "Écran figé | Toujours en panne ce matin | FR",
            "Screen frozen | Still broken this morning | EN",
            // An English subject kept from the thread does not outweigh a Spanish text.
            "RE: Call display frozen | La pantalla se ha vuelto a quedar congelada esta mañana, ¿pueden revisarlo? | ES"
    })
    void tellsTheLanguage(String subject, String text, Language expected) {
        assertEquals(Optional.of(expected), LanguageDetection.of(subject, text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            // Too few words once prefixes, tags and numbers are left out.
            "NONE | NONE",
            "'' | ''",
            "Re: [SUP-2026-000612] | OK",
            "Re: [SUP-2026-000613] | +1",
            "TeamViewer | 1 234 567 890 / 4821",
            "IMG_2041.pdf | ''",
            "NONE | jane.doe@example.com 04 67 00 00 00",
            "NONE | Recibido",
            // Two words: Lingua's trigrams alone are not reliable there ("ok merci" comes out Spanish).
            "NONE | ok merci",
            "NONE | Screen frozen",
            "Re: [SUP-2026-000614] | Vale, gracias."
    })
    void saysNothingWhenTheTextSaysTooLittle(String subject, String text) {
        assertEquals(Optional.empty(), LanguageDetection.of(subject, text));
    }

    @Test
    void logLinesAndStackTracesAreNotRead() {
        String text = "Tras el reinicio del servidor, el servicio de colas ya no arranca. Este es el error:\n"
                + "2026-11-17 06:02:11 ERROR [main] o.s.boot.SpringApplication - Application run failed\n"
                + "java.lang.IllegalStateException: Failed to load ApplicationContext\n"
                + "    at org.springframework.boot.SpringApplication.run(SpringApplication.java:310)\n"
                + "Caused by: java.net.ConnectException: Connection refused\n"
                + "Los agentes no pueden llamar turnos.";
        assertEquals("Error al arrancar\nTras el reinicio del servidor, el servicio de colas ya no arranca. Este es "
                + "el error:\nLos agentes no pueden llamar turnos.\n", LanguageDetection.sample("RE: Error al arrancar", text));
        assertEquals(Optional.of(Language.ES), LanguageDetection.of("Error al arrancar", text));
    }

    @Test
    void aDeclaredLanguageComesFirstThenEarlierTicketsThenTheTextThenTheDesksDefault() {
        String spanish = "Buenos días, la impresora de turnos no funciona.";
        assertEquals(new LanguageDecision(Language.EN, LanguageDecision.Source.DECLARED),
                LanguageDecision.decide("de, en-GB", () -> {
                    throw new AssertionError("not asked when the message declares its language");
                }, "Impresora", spanish, Language.FR));
        assertEquals(new LanguageDecision(Language.FR, LanguageDecision.Source.EARLIER_TICKET),
                LanguageDecision.decide("de", () -> Optional.of(Language.FR), "Impresora", spanish, Language.EN));
        assertEquals(new LanguageDecision(Language.ES, LanguageDecision.Source.DETECTED),
                LanguageDecision.decide(null, Optional::empty, "Impresora", spanish, Language.FR));
        assertEquals(new LanguageDecision(Language.EN, LanguageDecision.Source.DEFAULT),
                LanguageDecision.decide(null, Optional::empty, "Re: [SUP-2026-000001]", "OK", Language.EN));
    }
}
