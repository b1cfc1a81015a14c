package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;


/** Dates and times as the customer pages write them: in words, in the page's language, Paris time. */
public final class Dates {

    public static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static final Map<Language, DateTimeFormatter> WRITTEN = Map.of(
            Language.FR, DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'à' H'h'mm", Locale.FRENCH),
            Language.EN, DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'at' HH:mm", Locale.ENGLISH),
            Language.ES, DateTimeFormatter.ofPattern("EEEE d 'de' MMMM 'de' yyyy 'a las' H:mm", new Locale("es")));

    private Dates() {
    }

    /** E.g. "vendredi 27 novembre 2026 à 9h05", "Friday 27 November 2026 at 09:05". */
    public static String written(OffsetDateTime at, Language language) {
        return at == null ? "" : at.atZoneSameInstant(PARIS).format(WRITTEN.get(language));
    }

    /** The machine-readable form, for {@code <time datetime>}. */
    public static String iso(OffsetDateTime at) {
        return at == null ? "" : at.atZoneSameInstant(PARIS).toOffsetDateTime().toString();
    }
}
