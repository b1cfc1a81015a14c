package com.esii.support.hub.testing.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The part of JQL the hub sends, understood precisely; anything else is refused with Jira's 400, so that a new
 * query of the hub shows up at once instead of being answered wrongly. Clauses joined by {@code AND}:
 * {@code project = X}, {@code project in (X, Y)}, {@code key = X}, {@code summary ~ "text"} (a quoted phrase inside
 * is matched as consecutive words, like Jira's text search), {@code labels = X}, {@code status = X},
 * {@code fixVersion = <id or name>}, {@code updated|created >=|>|<=|< <-15m, -2h, -1d, -1w, "yyyy-MM-dd[ HH:mm]">};
 * then an optional {@code ORDER BY field [ASC|DESC], …} on updated, created or key.
 */
final class Jql {

    /** An issue as the query sees it. */
    interface Subject {
        String project();

        String key();

        long id();

        String summary();

        List<String> labels();

        String status();

        List<String> fixVersions(); // ids and names

        Instant updated();

        Instant created();
    }

    static final class JqlException extends RuntimeException {
        JqlException(String message) {
            super(message);
        }
    }

    final Predicate<Subject> where;
    final Comparator<Subject> order;

    private Jql(Predicate<Subject> where, Comparator<Subject> order) {
        this.where = where;
        this.order = order;
    }

    static Jql parse(String jql, Instant now) {
        Parser p = new Parser(tokens(jql), now);
        return p.query();
    }

    // --- tokens ------------------------------------------------------------------------------------------------

    private record Token(String kind, String text) {
        boolean is(String k, String t) {
            return kind.equals(k) && (t == null || text.equalsIgnoreCase(t));
        }
    }

    private static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                StringBuilder b = new StringBuilder();
                int j = i + 1;
                for (; j < s.length() && s.charAt(j) != c; j++) {
                    if (s.charAt(j) == '\\' && j + 1 < s.length()) {
                        j++;
                    }
                    b.append(s.charAt(j));
                }
                if (j >= s.length()) {
                    throw new JqlException("Error in the JQL Query: unterminated string at " + i);
                }
                out.add(new Token("string", b.toString()));
                i = j + 1;
            } else if (c == '(' || c == ')' || c == ',') {
                out.add(new Token(String.valueOf(c), String.valueOf(c)));
                i++;
            } else if ("=!~<>".indexOf(c) >= 0) {
                int j = i + 1;
                if (j < s.length() && (s.charAt(j) == '=' || s.charAt(j) == '~')) {
                    j++;
                }
                out.add(new Token("op", s.substring(i, j)));
                i = j;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "()=,!~<>\"'".indexOf(s.charAt(j)) < 0) {
                    j++;
                }
                out.add(new Token("word", s.substring(i, j)));
                i = j;
            }
        }
        return out;
    }

    // --- parser ------------------------------------------------------------------------------------------------

    private static final class Parser {
        private final List<Token> t;
        private final Instant now;
        private int i;

        Parser(List<Token> t, Instant now) {
            this.t = t;
            this.now = now;
        }

        Jql query() {
            Predicate<Subject> where = s -> true;
            boolean first = true;
            while (i < t.size() && !peek("word", "ORDER")) {
                if (!first) {
                    expect("word", "AND");
                }
                where = where.and(clause());
                first = false;
            }
            Comparator<Subject> order = Comparator.comparingLong(Subject::id).reversed(); // Jira: newest first
            if (i < t.size()) {
                expect("word", "ORDER");
                expect("word", "BY");
                Comparator<Subject> c = null;
                do {
                    if (c != null) {
                        expect(",", null);
                    }
                    String field = next("word").text().toLowerCase(Locale.ROOT);
                    Comparator<Subject> f = switch (field) {
                        case "updated" -> Comparator.comparing(Subject::updated);
                        case "created" -> Comparator.comparing(Subject::created);
                        case "key", "issuekey", "id" -> Comparator.comparingLong(Subject::id);
                        default -> throw new JqlException("Error in the JQL Query: the simulator cannot order by " + field);
                    };
                    if (peek("word", "DESC")) {
                        i++;
                        f = f.reversed();
                    } else if (peek("word", "ASC")) {
                        i++;
                    }
                    c = c == null ? f : c.thenComparing(f);
                } while (peek(",", null));
                order = c.thenComparingLong(Subject::id);
            }
            if (i < t.size()) {
                throw new JqlException("Error in the JQL Query: unexpected '" + t.get(i).text() + "'");
            }
            return new Jql(where, order);
        }

        private Predicate<Subject> clause() {
            String field = next("word").text().toLowerCase(Locale.ROOT);
            if (peek("word", "in")) {
                i++;
                expect("(", null);
                List<String> values = new ArrayList<>();
                do {
                    if (!values.isEmpty()) {
                        expect(",", null);
                    }
                    values.add(value());
                } while (peek(",", null));
                expect(")", null);
                return s -> values.stream().anyMatch(v -> equalsField(field, s, v));
            }
            String op = next("op").text();
            String value = value();
            switch (field) {
                case "project", "key", "issuekey", "labels", "status", "fixversion" -> {
                    if (op.equals("=")) {
                        return s -> equalsField(field, s, value);
                    }
                    if (op.equals("!=")) {
                        return s -> !equalsField(field, s, value);
                    }
                }
                case "summary", "text" -> {
                    if (op.equals("~")) {
                        return s -> contains(s.summary(), value);
                    }
                }
                case "updated", "created" -> {
                    Instant at = date(value);
                    return s -> {
                        int c = (field.equals("updated") ? s.updated() : s.created()).compareTo(at);
                        return switch (op) {
                            case ">=" -> c >= 0;
                            case ">" -> c > 0;
                            case "<=" -> c <= 0;
                            case "<" -> c < 0;
                            default -> throw new JqlException("Error in the JQL Query: operator " + op + " on " + field);
                        };
                    };
                }
                default -> throw new JqlException("Error in the JQL Query: the simulator does not know the field '" + field + "'");
            }
            throw new JqlException("Error in the JQL Query: the operator '" + op + "' is not supported on " + field);
        }

        private boolean equalsField(String field, Subject s, String v) {
            return switch (field) {
                case "project" -> s.project().equalsIgnoreCase(v);
                case "key", "issuekey" -> s.key().equalsIgnoreCase(v);
                case "labels" -> s.labels().stream().anyMatch(l -> l.equalsIgnoreCase(v));
                case "status" -> s.status().equalsIgnoreCase(v);
                case "fixversion" -> s.fixVersions().stream().anyMatch(f -> f.equalsIgnoreCase(v));
                default -> throw new JqlException("Error in the JQL Query: the simulator does not know the field '" + field + "'");
            };
        }

        private Instant date(String v) {
            String s = v.strip();
            if (s.startsWith("-") || s.startsWith("+")) {
                long n = Long.parseLong(s.substring(1, s.length() - 1));
                Duration unit = switch (Character.toLowerCase(s.charAt(s.length() - 1))) {
                    case 'm' -> Duration.ofMinutes(1);
                    case 'h' -> Duration.ofHours(1);
                    case 'd' -> Duration.ofDays(1);
                    case 'w' -> Duration.ofDays(7);
                    default -> throw new JqlException("Error in the JQL Query: bad relative date " + s);
                };
                Duration d = unit.multipliedBy(n);
                return s.startsWith("-") ? now.minus(d) : now.plus(d);
            }
            try {
                if (s.length() <= 10) {
                    return LocalDate.parse(s.replace('/', '-')).atStartOfDay().toInstant(ZoneOffset.UTC);
                }
                return LocalDateTime.parse(s.replace('/', '-'), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))
                        .toInstant(ZoneOffset.UTC);
            } catch (RuntimeException e) {
                throw new JqlException("Error in the JQL Query: bad date " + s);
            }
        }

        private String value() {
            Token v = t.get(i < t.size() ? i : t.size() - 1);
            if (i >= t.size() || !(v.kind().equals("string") || v.kind().equals("word"))) {
                throw new JqlException("Error in the JQL Query: a value is missing");
            }
            i++;
            return v.text();
        }

        private boolean peek(String kind, String text) {
            return i < t.size() && t.get(i).is(kind, text);
        }

        private Token next(String kind) {
            if (i >= t.size() || !t.get(i).kind().equals(kind)) {
                throw new JqlException("Error in the JQL Query: expected a " + kind + " at " + (i < t.size()
                        ? "'" + t.get(i).text() + "'" : "the end"));
            }
            return t.get(i++);
        }

        private void expect(String kind, String text) {
            if (!peek(kind, text)) {
                throw new JqlException("Error in the JQL Query: expected '" + (text == null ? kind : text) + "' at "
                        + (i < t.size() ? "'" + t.get(i).text() + "'" : "the end"));
            }
            i++;
        }
    }

    /**
     * Jira's text search, simplified: a value in quotes is a phrase (its words consecutive, in order); otherwise
     * every word must occur. Words are runs of letters and digits, compared without case.
     */
    static boolean contains(String text, String query) {
        List<String> words = words(text);
        String q = query.strip();
        if (q.length() >= 2 && q.startsWith("\"") && q.endsWith("\"")) {
            List<String> phrase = words(q);
            if (phrase.isEmpty()) {
                return false;
            }
            for (int i = 0; i + phrase.size() <= words.size(); i++) {
                if (words.subList(i, i + phrase.size()).equals(phrase)) {
                    return true;
                }
            }
            return false;
        }
        return words.containsAll(words(q));
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : (s == null ? "" : s).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
