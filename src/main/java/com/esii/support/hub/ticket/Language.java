package com.esii.support.hub.ticket;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The languages support is given in. */
public enum Language {
    FR, EN, ES;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Locale locale() {
        return Locale.forLanguageTag(code());
    }

    public static Optional<Language> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.trim().toLowerCase(Locale.ROOT);
        int dash = c.indexOf('-');
        if (dash > 0) {
            c = c.substring(0, dash);
        }
        for (Language l : values()) {
            if (l.code().equals(c)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** The first supported language of an Accept-Language header, by quality. */
    public static Optional<Language> fromAcceptLanguage(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(header);
            for (Locale.LanguageRange range : ranges) {
                if (range.getWeight() <= 0) {
                    continue;
                }
                Optional<Language> l = fromCode(range.getRange());
                if (l.isPresent()) {
                    return l;
                }
            }
        } catch (IllegalArgumentException e) {
            // A malformed header says nothing about the language.
        }
        return Optional.empty();
    }
}
