package com.esii.support.hub.triage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.esii.support.hub.ticket.Criticality;
import com.esii.support.hub.ticket.Kind;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Kind, criticality and priority rules, read from a JSON file (see {@code triage-rules.json}). Pure: the same rules
 * and text always give the same result, with the id of the rule that decided.
 */
public final class TriageRules {

    /** How a contract stands for triage. */
    public enum Contract {
        MAINTAINED, NOT_MAINTAINED, UNKNOWN;

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The decision and why: the id of the rule that fired, or "form" / "default". */
    public record Classification(Kind kind, String kindRule, Criticality criticality, String criticalityRule) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record File(Map<String, String> defaults, List<Rule> criticality, List<Rule> kind,
            Map<String, Map<String, Map<String, Integer>>> priority) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rule(String id, String criticality, String kind, List<String> any) {
    }

    private record Compiled(String id, String value, List<Pattern> patterns) {
        boolean matches(String normalisedText) {
            return patterns.stream().anyMatch(p -> p.matcher(normalisedText).find());
        }
    }

    private final List<Compiled> criticalityRules;
    private final List<Compiled> kindRules;
    private final Kind defaultKind;
    private final Criticality defaultCriticality;
    private final Map<String, Map<String, Map<String, Integer>>> priority;

    private TriageRules(File f) {
        this.criticalityRules = compile(f.criticality(), true);
        this.kindRules = compile(f.kind(), false);
        this.defaultKind = Kind.fromCode(f.defaults().getOrDefault("kind", "problem"))
                .orElseThrow(() -> new IllegalArgumentException("Unknown default kind"));
        this.defaultCriticality = Criticality.fromCode(f.defaults().getOrDefault("criticality", "major"))
                .orElseThrow(() -> new IllegalArgumentException("Unknown default criticality"));
        this.priority = f.priority();
        for (Contract c : Contract.values()) {
            for (Kind k : Kind.values()) {
                for (Criticality cr : Criticality.values()) {
                    priority(c, k, cr); // fails now, not on a customer's ticket, when the table has a hole
                }
            }
        }
    }

    public static TriageRules parse(InputStream json) {
        try {
            return new TriageRules(new ObjectMapper().readValue(json, File.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Triage rules cannot be read", e);
        }
    }

    public static TriageRules load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Triage rules cannot be read from " + file, e);
        }
    }

    public static TriageRules builtIn() {
        try (InputStream in = TriageRules.class.getClassLoader().getResourceAsStream("triage-rules.json")) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Classifies a request. What the customer chose on the form wins; otherwise the rules read the subject and text.
     */
    public Classification classify(String subject, String text, Kind chosenKind, Criticality chosenCriticality) {
        String t = normalise((subject == null ? "" : subject) + "\n" + (text == null ? "" : text));
        Criticality criticality = chosenCriticality;
        String criticalityRule = "form";
        if (criticality == null) {
            criticality = defaultCriticality;
            criticalityRule = "default";
            for (Compiled r : criticalityRules) {
                if (r.matches(t)) {
                    criticality = Criticality.fromCode(r.value()).orElseThrow();
                    criticalityRule = r.id();
                    break;
                }
            }
        }
        Kind kind = chosenKind;
        String kindRule = "form";
        if (kind == null) {
            kind = defaultKind;
            kindRule = "default";
            boolean blockingFound = criticality == Criticality.BLOCKING && !"default".equals(criticalityRule);
            if (!blockingFound) {
                for (Compiled r : kindRules) {
                    if (r.matches(t)) {
                        kind = Kind.fromCode(r.value()).orElseThrow();
                        kindRule = r.id();
                        break;
                    }
                }
            }
        }
        return new Classification(kind, kindRule, criticality, criticalityRule);
    }

    /** 1 is the highest priority. */
    public int priority(Contract contract, Kind kind, Criticality criticality) {
        Integer p = priority.getOrDefault(contract.key(), Map.of()).getOrDefault(kind.code(), Map.of())
                .get(criticality.code());
        if (p == null) {
            throw new IllegalArgumentException("The priority table has no entry for " + contract.key() + " / "
                    + kind.code() + " / " + criticality.code());
        }
        return p;
    }

    private static List<Compiled> compile(List<Rule> rules, boolean criticality) {
        List<Compiled> out = new ArrayList<>();
        for (Rule r : rules == null ? List.<Rule>of() : rules) {
            String value = criticality ? r.criticality() : r.kind();
            boolean known = criticality ? Criticality.fromCode(value).isPresent() : Kind.fromCode(value).isPresent();
            if (r.id() == null || !known || r.any() == null || r.any().isEmpty()) {
                throw new IllegalArgumentException("Triage rule " + r.id() + " is incomplete or names an unknown value");
            }
            List<Pattern> patterns = r.any().stream()
                    .map(w -> Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(normalise(w)) + "(?![\\p{L}\\p{N}])"))
                    .toList();
            out.add(new Compiled(r.id(), value, patterns));
        }
        return out;
    }

    /** Lower case, accents removed, apostrophes and spaces made plain. */
    static String normalise(String s) {
        String n = Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return n.replace('’', '\'').replaceAll("\\s+", " ");
    }
}
