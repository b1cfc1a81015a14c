package com.esii.support.hub.ticket;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * The desk's opening hours ({@code hub.desk.hours}: {@code Mon-Fri 08:00-18:30}, several separated by commas),
 * written out in a page's language: "du lundi au vendredi, de 8 h à 18 h 30", "Monday to Friday, 8:00 to 18:30".
 */
public final class DeskHours {

    private static final Pattern ENTRY = Pattern.compile(
            "\\s*([A-Za-z]{3})(?:\\s*-\\s*([A-Za-z]{3}))?\\s+(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})\\s*");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    /** Per language: before the days, between two days, before the hours, between two hours, between entries. */
    private static final Map<Language, String[]> WORDS = Map.of(
            Language.FR, new String[] { "du ", " au ", ", de ", " à ", " ; " },
            Language.EN, new String[] { "", " to ", ", ", " to ", "; " },
            Language.ES, new String[] { "de ", " a ", ", de ", " a ", "; " });

    private DeskHours() {
    }

    /** The hours in words; an entry that does not read as {@code Day[-Day] HH:MM-HH:MM} is shown as written. */
    public static String written(List<String> entries, Language l) {
        String[] w = WORDS.get(l);
        List<String> out = new ArrayList<>();
        for (String e : entries) {
            Matcher x = ENTRY.matcher(e);
            int from = x.matches() ? DAYS.indexOf(x.group(1).toLowerCase(Locale.ROOT)) : -1;
            int to = from >= 0 && x.group(2) != null ? DAYS.indexOf(x.group(2).toLowerCase(Locale.ROOT)) : from;
            if (from < 0 || to < 0) {
                out.add(e.strip());
                continue;
            }
            String days = day(from, l) + (to == from ? "" : w[1] + day(to, l));
            LocalTime open = LocalTime.of(Integer.parseInt(x.group(3)), Integer.parseInt(x.group(4)));
            LocalTime close = LocalTime.of(Integer.parseInt(x.group(5)), Integer.parseInt(x.group(6)));
            out.add((to == from && l == Language.FR ? "le " : w[0]) + days + w[2] + time(open, l) + w[3] + time(close, l));
        }
        String s = String.join(w[4], out);
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The hours in words inside a sentence: "du lundi au vendredi, de 8 h à 18 h 30" (English days keep their capital). */
    public static String inSentence(List<String> entries, Language l) {
        String s = written(entries, l);
        return s.isEmpty() || l == Language.EN ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** A business duration as a number of hours in the language: 4, 1,5 / 1.5. */
    public static String hours(java.time.Duration d, Language l) {
        long minutes = d.toMinutes();
        if (minutes % 60 == 0) {
            return String.valueOf(minutes / 60);
        }
        java.text.NumberFormat f = java.text.NumberFormat.getNumberInstance(l.locale());
        f.setMaximumFractionDigits(2);
        return f.format(minutes / 60.0);
    }

    private static String day(int index, Language l) {
        String d = DayOfWeek.of(index + 1).getDisplayName(TextStyle.FULL, l.locale());
        return l == Language.EN ? d : d.toLowerCase(l.locale());
    }

    /** 8 h, 18 h 30 in French; 8:00, 18:30 otherwise. */
    private static String time(LocalTime t, Language l) {
        if (l == Language.FR) {
            return t.getHour() + " h" + (t.getMinute() == 0 ? "" : " " + String.format("%02d", t.getMinute()));
        }
        return t.getHour() + ":" + String.format("%02d", t.getMinute());
    }
}
