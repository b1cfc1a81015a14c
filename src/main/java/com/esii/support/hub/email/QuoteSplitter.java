package com.esii.support.hub.email;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Separates what a sender wrote this time from the history they quoted and their signature. The full text is
 * always kept elsewhere; this only decides what staff read first.
 */
public final class QuoteSplitter {

    /** Lines that start the quoted history, in the languages support works in (and German, common in forwards). */
    private static final List<Pattern> HISTORY = List.of(
            Pattern.compile("^On .{1,200}wrote:\\s*$"),
            Pattern.compile("^Le .{1,200}a [ée]crit\\s?:\\s*$"),
            Pattern.compile("^El .{1,200}escribi[óo]\\s?:\\s*$"),
            Pattern.compile("^Am .{1,200}schrieb .{0,100}:\\s*$"),
            Pattern.compile("^-{2,}\\s*(Original Message|Message d'origine|Mensaje original|Ursprüngliche Nachricht|Forwarded message|Message transféré|Mensaje reenviado)\\s*-{2,}\\s*$", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^_{20,}\\s*$"),
            Pattern.compile("^(From|De|Von)\\s?:\\s.+$"));
    private static final Pattern QUOTED = Pattern.compile("^\\s*>.*$");
    private static final Pattern SIGNATURE = Pattern.compile("^-- ?$");

    public record Split(String newText, String history, String signature) {
    }

    private QuoteSplitter() {
    }

    public static Split split(String text) {
        if (text == null || text.isBlank()) {
            return new Split("", "", "");
        }
        String[] lines = text.split("\n", -1);
        int historyAt = -1;
        int signatureAt = -1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            if (signatureAt < 0 && SIGNATURE.matcher(line).matches()) {
                signatureAt = i;
            }
            if (historyAt < 0 && startsHistory(lines, i)) {
                historyAt = i;
                break;
            }
        }
        int end = lines.length;
        if (historyAt >= 0) {
            end = historyAt;
        }
        int newEnd = signatureAt >= 0 && signatureAt < end ? signatureAt : end;
        String newText = join(lines, 0, newEnd).strip();
        if (newText.isEmpty()) {
            // Everything is quoted (or all signature): show it all rather than nothing.
            return new Split(text.strip(), "", "");
        }
        String signature = signatureAt >= 0 && signatureAt < end ? join(lines, signatureAt, end).strip() : "";
        String history = historyAt >= 0 ? join(lines, historyAt, lines.length).strip() : "";
        return new Split(newText, history, signature);
    }

    private static boolean startsHistory(String[] lines, int i) {
        String line = lines[i].strip();
        for (Pattern p : HISTORY) {
            if (p.matcher(line).matches()) {
                return true;
            }
        }
        // "On Mon, 3 Mar 2026 at 10:00, Jane <jane@x>" + "wrote:" on the next line.
        if (i + 1 < lines.length && (line.startsWith("On ") || line.startsWith("Le ") || line.startsWith("El "))) {
            String two = line + " " + lines[i + 1].strip();
            for (Pattern p : HISTORY.subList(0, 3)) {
                if (p.matcher(two).matches()) {
                    return true;
                }
            }
        }
        // A block of quoted lines running to the end of the mail (or to its signature).
        if (QUOTED.matcher(lines[i]).matches()) {
            for (int j = i; j < lines.length; j++) {
                String l = lines[j];
                if (!QUOTED.matcher(l).matches() && !l.isBlank()) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static String join(String[] lines, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append(lines[i]).append('\n');
        }
        return b.toString();
    }
}
