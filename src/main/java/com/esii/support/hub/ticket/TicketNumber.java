package com.esii.support.hub.ticket;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hub ticket number: {@code <prefix>-<year>-<6 or more digits>}, e.g. {@code SUP-2026-000123}. The digits come
 * from a database sequence, so numbers are unique across replicas; the year is the ticket's creation year.
 */
public record TicketNumber(String prefix, int year, long sequence) {

    public TicketNumber {
        if (!prefix.matches("[A-Z][A-Z0-9]{0,15}")) {
            throw new IllegalArgumentException("Ticket prefix must be upper-case letters and digits: " + prefix);
        }
    }

    public static TicketNumber of(String prefix, int year, long sequence) {
        return new TicketNumber(prefix, year, sequence);
    }

    @Override
    public String toString() {
        return head(prefix, year) + String.format("%06d", sequence);
    }

    /** What a number of {@code prefix} and {@code year} starts with, before its digits: {@code SUP-2026-}. */
    public static String head(String prefix, int year) {
        return String.format("%s-%04d-", new TicketNumber(prefix, year, 0).prefix(), year);
    }

    /**
     * A parser for one prefix. It finds a number in free text (a mail subject, a body) and does not mistake
     * another helpdesk's number or a longer token for one of ours.
     */
    public static final class Parser {
        private final String prefix;
        private final Pattern pattern;

        public Parser(String prefix) {
            this.prefix = prefix;
            // Not preceded by a letter, digit or '-' (another system's "ABC-SUP-2026-000001"), not followed by a
            // digit or a word character (so SUP-2026-0001234567x is not ours).
            this.pattern = Pattern.compile("(?<![\\p{Alnum}-])" + Pattern.quote(prefix)
                    + "-(\\d{4})-(\\d{6,12})(?![\\p{Alnum}])");
        }

        /** The first number of ours in the text, if any. */
        public Optional<TicketNumber> find(CharSequence text) {
            if (text == null) {
                return Optional.empty();
            }
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                return Optional.of(new TicketNumber(prefix, Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
            }
            return Optional.empty();
        }

        /** The text, exactly, as one of our numbers. */
        public Optional<TicketNumber> parse(String text) {
            if (text == null) {
                return Optional.empty();
            }
            Matcher m = pattern.matcher(text.trim());
            if (m.matches()) {
                return Optional.of(new TicketNumber(prefix, Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
            }
            return Optional.empty();
        }
    }
}
