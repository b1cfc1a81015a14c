package com.esii.support.hub.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguageTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "fr-FR,fr;q=0.9,en;q=0.8     | fr",
            "en-GB,en;q=0.9              | en",
            "de-DE,de;q=0.9,es;q=0.5     | es",
            "de,it                       | NONE",
            "es;q=0,en;q=0.2             | en",
            "*                           | NONE",
            "garbage;;;q=x               | NONE",
            "NONE                        | NONE"
    })
    void acceptLanguagePicksTheFirstSupportedByQuality(String header, String expected) {
        assertEquals(Optional.ofNullable(expected), Language.fromAcceptLanguage(header).map(Language::code));
    }
}
