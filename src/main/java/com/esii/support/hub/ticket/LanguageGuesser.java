package com.esii.support.hub.ticket;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Guesses French, English or Spanish from a text by its most common words; no guess when the text says too little. */
public final class LanguageGuesser {

    private static final Map<Language, Set<String>> WORDS = new EnumMap<>(Map.of(
            Language.FR, Set.of("le", "la", "les", "des", "est", "pas", "je", "vous", "nous", "bonjour", "merci", "une",
                    "pour", "avec", "sur", "ne", "plus", "notre", "votre", "depuis", "avons", "problème", "cordialement"),
            Language.EN, Set.of("the", "is", "not", "you", "we", "hello", "thanks", "thank", "please", "with", "and",
                    "for", "this", "our", "your", "since", "have", "does", "problem", "regards", "hi", "it"),
            Language.ES, Set.of("el", "los", "las", "es", "por", "para", "hola", "gracias", "una", "con", "que", "está",
                    "nuestro", "su", "desde", "tenemos", "problema", "saludos", "funciona", "del", "muchas")));

    private LanguageGuesser() {
    }

    public static Optional<Language> guess(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Map<Language, Integer> score = new EnumMap<>(Language.class);
        String sample = text.length() > 4000 ? text.substring(0, 4000) : text;
        for (String w : sample.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
            for (Map.Entry<Language, Set<String>> e : WORDS.entrySet()) {
                if (e.getValue().contains(w)) {
                    score.merge(e.getKey(), 1, Integer::sum);
                }
            }
        }
        return score.entrySet().stream()
                .filter(e -> e.getValue() >= 2)
                .max(Map.Entry.comparingByValue())
                .filter(best -> score.values().stream().filter(v -> v.equals(best.getValue())).count() == 1)
                .map(Map.Entry::getKey);
    }
}
