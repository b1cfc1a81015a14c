package com.esii.support.hub.ticket;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;

/**
 * Tells French, English or Spanish from what a customer wrote, with the Lingua library limited to those three
 * languages, trigram models only (its low-accuracy mode). Built at the start ({@link WarmUp}, before the
 * replica is ready and its mail channel opens), then shared by every thread (Lingua loads its models under a lock
 * and only reads them afterwards).
 *
 * <p>Measured on 2026-11-28: right on the 60 mails of {@code src/test/resources/language} to tell by their text (as
 * Lingua's high-accuracy mode and Optimaize 0.6 are); on 120 short subject + line pairs, 119 right, 1 unsure, none
 * wrong (Optimaize: 2 wrong). Costs: 110 MB of jars (Lingua carries 75 languages' models), 17 MB of heap and 1.6 s
 * of CPU once, for the first detection (high-accuracy mode: 91 MB and 6 s), then about 5 ms of CPU per mail.
 *
 * <p>No answer (the caller takes the desk's default language) when the text says too little: fewer than
 * {@value #MIN_WORDS} words once reply prefixes, ticket tags, numbers, log lines and stack traces are left out
 * ("OK", "+1", "ok merci": on two words Lingua's trigrams are unreliable, "ok merci" comes out Spanish), or a
 * second language nearly as likely as the first (its confidence, relative to the first's, above
 * 1 − {@value #MIN_DISTANCE}).
 */
public final class LanguageDetection {

    static final int MIN_WORDS = 3;
    static final double MIN_DISTANCE = 0.03;
    /** Lingua's time grows with the text; the first lines say the language as well as the whole. */
    private static final int MAX_CHARS = 4000;

    private static final Pattern REPLY_PREFIXES = Pattern.compile(
            "^(?:\\s*(?:re|r[ée]f|tr|fw|fwd|rv|aw|wg|sv|antw)\\s*:\\s*)+", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAGS = Pattern.compile("\\[[^\\]\\n]*\\]");
    /** Log lines and stack traces, English whatever the writer's language: dotted names, times, "at x(", "Caused by:". */
    private static final Pattern MACHINE_LINE = Pattern.compile(
            "\\b\\p{L}[\\w$]*\\.\\p{L}[\\w$]*\\.\\p{L}|\\b\\d{1,2}:\\d{2}:\\d{2}\\b|^\\s*at\\s+\\S+\\(|^\\s*Caused by:");
    /** A word: two letters or more, not part of a number, a file name, an address or an identifier. */
    private static final Pattern WORD = Pattern.compile(
            "(?<![\\p{L}\\p{N}_.@/\\\\])\\p{L}{2,}(?:['’-]\\p{L}+)*(?![\\p{L}\\p{N}_@/\\\\]|\\.\\p{L})");

    private LanguageDetection() {
    }

    /** Built once, on the first detection. */
    private static final class Holder {
        static final LanguageDetector DETECTOR = LanguageDetectorBuilder
                .fromLanguages(com.github.pemistahl.lingua.api.Language.FRENCH,
                        com.github.pemistahl.lingua.api.Language.ENGLISH,
                        com.github.pemistahl.lingua.api.Language.SPANISH)
                .withLowAccuracyMode()
                .build();
    }

    private static volatile boolean warm;

    /**
     * Builds the detector and runs it once (Lingua loads its models on the first detection: about 1.6 s of CPU and
     * 17 MB). Called on a thread of its own at the start ({@link WarmUp}), so that the first customer after a
     * start does not wait for it; a detection asked meanwhile waits for the same build instead of making another.
     */
    public static void warmUp() {
        Holder.DETECTOR.computeLanguageConfidenceValues("Bonjour, notre imprimante ne fonctionne plus depuis ce matin.");
        warm = true;
    }

    /** Whether the detector has been built and run once. */
    public static boolean warm() {
        return warm;
    }

    /** The language of a subject and text (either may be null), or none when unsure. */
    public static Optional<Language> of(String subject, String text) {
        String sample = sample(subject, text);
        if (words(sample) < MIN_WORDS) {
            return Optional.empty();
        }
        SortedMap<com.github.pemistahl.lingua.api.Language, Double> confidence = Holder.DETECTOR
                .computeLanguageConfidenceValues(sample);
        Iterator<Map.Entry<com.github.pemistahl.lingua.api.Language, Double>> ranked = confidence.entrySet().iterator();
        if (!ranked.hasNext()) {
            return Optional.empty();
        }
        Map.Entry<com.github.pemistahl.lingua.api.Language, Double> best = ranked.next();
        double second = ranked.hasNext() ? ranked.next().getValue() / best.getValue() : 0;
        if (1 - second < MIN_DISTANCE) {
            return Optional.empty();
        }
        return Language.fromCode(best.getKey().getIsoCode639_1().toString());
    }

    /** What is read: the subject without "RE:"-like prefixes and [tags], then the text without machine lines. */
    static String sample(String subject, String text) {
        StringBuilder b = new StringBuilder();
        if (subject != null) {
            b.append(TAGS.matcher(REPLY_PREFIXES.matcher(subject).replaceFirst("")).replaceAll(" ").strip())
                    .append('\n');
        }
        if (text != null) {
            for (String line : text.split("\n")) {
                if (b.length() >= MAX_CHARS) {
                    break;
                }
                if (!MACHINE_LINE.matcher(line).find()) {
                    b.append(line).append('\n');
                }
            }
        }
        return b.length() > MAX_CHARS ? b.substring(0, MAX_CHARS) : b.toString();
    }

    static int words(String s) {
        Matcher m = WORD.matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
