package com.esii.support.hub.onsite;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Map;

import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.util.Texts;

/**
 * The phrases of the customers' on-site letters ({@code i18n/onsite_xx.properties}), in their language: how a date is
 * written, a cancellation's reason. The letters themselves are templates ({@link Templates}).
 */
final class OnSiteTexts {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Map<Language, Map<String, String>> TEXTS = new EnumMap<>(Language.class);

    static {
        for (Language l : Language.values()) {
            TEXTS.put(l, Texts.load("i18n/onsite_" + l.code() + ".properties"));
        }
    }

    private OnSiteTexts() {
    }

    static String text(Language l, String key, Object... namesAndValues) {
        String t = TEXTS.get(l).get(key);
        if (t == null) {
            throw new IllegalArgumentException("No on-site text " + key + " in " + l.code());
        }
        return Texts.fill(t, namesAndValues);
    }

    /** A date and time in words, in Paris time, said so: "lundi 7 décembre 2026 à 09h00 (heure de Paris)". */
    static String when(Language l, Instant at) {
        return DateTimeFormatter.ofPattern(TEXTS.get(l).get("when"), l.locale()).format(at.atZone(PARIS));
    }
}
