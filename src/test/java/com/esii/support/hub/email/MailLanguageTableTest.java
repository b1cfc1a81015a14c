package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.LanguageDecision;

/**
 * The language of a new ticket opened by a mail, on real mails (src/test/resources/language, made by its
 * generate.py): each is parsed by the hub's parser and given the hub's decision, with no earlier ticket.
 */
class MailLanguageTableTest {

    private static final Path DIR = Path.of("src/test/resources/language");
    private static final Function<String, Optional<Language>> NO_EARLIER_TICKET = address -> Optional.empty();

    /** One line of index.tsv: the file, the expected language ("default": the desk's), what the new text holds. */
    record Row(String file, String expected, String contains, String lacks) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Row> rows() throws IOException {
        return Files.readAllLines(DIR.resolve("index.tsv"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("\t", -1))
                .map(f -> new Row(f[0], f[1], f[2], f[3]))
                .toList();
    }

    static ParsedMail parse(Row r) throws Exception {
        return MailParser.parse(Files.readAllBytes(DIR.resolve(r.file())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theTicketIsAnsweredInTheLanguageTheCustomerWroteIn(Row r) throws Exception {
        ParsedMail m = parse(r);
        // The decision reads the decoded new text: the phrase is there, the quoted history is not.
        assertTrue(m.newText().contains(r.contains()), m.newText());
        if (!r.lacks().isEmpty()) {
            assertFalse(m.newText().contains(r.lacks()), m.newText());
        }
        if (r.expected().equals("default")) {
            for (Language desk : Language.values()) {
                assertEquals(new LanguageDecision(desk, LanguageDecision.Source.DEFAULT),
                        MailIntake.language(m, m.fromAddress(), NO_EARLIER_TICKET, desk), "desk default " + desk);
            }
            return;
        }
        Language expected = Language.fromCode(r.expected()).orElseThrow();
        for (Language desk : Language.values()) {
            LanguageDecision d = MailIntake.language(m, m.fromAddress(), NO_EARLIER_TICKET, desk);
            assertEquals(expected, d.language(), "desk default " + desk);
            assertEquals(m.contentLanguage() == null ? LanguageDecision.Source.DETECTED
                    : LanguageDecision.Source.DECLARED, d.source());
        }
    }

    @Test
    void theTableHoldsTwentyMailsPerLanguageToDetect() throws Exception {
        Map<String, Long> perLanguage = rows().stream()
                .filter(r -> !r.expected().equals("default"))
                .filter(r -> {
                    try {
                        return parse(r).contentLanguage() == null;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .collect(Collectors.groupingBy(Row::expected, Collectors.counting()));
        assertEquals(Map.of("fr", 20L, "en", 20L, "es", 20L), perLanguage);
    }

    @Test
    void anEarlierTicketsLanguageComesBeforeTheTextButAfterContentLanguage() throws Exception {
        Row spanish = rows().stream().filter(r -> r.file().startsWith("es-01-")).findFirst().orElseThrow();
        ParsedMail m = parse(spanish);
        assertEquals(new LanguageDecision(Language.EN, LanguageDecision.Source.EARLIER_TICKET),
                MailIntake.language(m, m.fromAddress(), address -> address.equals("maria.lopez@ayuntamiento-ejemplo.es")
                        ? Optional.of(Language.EN) : Optional.empty(), Language.FR));

        Row declared = rows().stream().filter(r -> r.file().startsWith("es-21-")).findFirst().orElseThrow();
        assertEquals(new LanguageDecision(Language.ES, LanguageDecision.Source.DECLARED),
                MailIntake.language(parse(declared), "someone@example.com", address -> {
                    throw new AssertionError("earlier tickets asked although the mail declares its language");
                }, Language.FR));
    }
}
