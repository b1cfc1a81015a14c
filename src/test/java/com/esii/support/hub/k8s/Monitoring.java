package com.esii.support.hub.k8s;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The monitoring files of {@code k8s/monitoring/} as the tests read them: the alert rules, the Grafana dashboard,
 * and the metric names their PromQL reads.
 */
final class Monitoring {

    static final Path DIR = Path.of("k8s/monitoring");
    static final Path RULES = DIR.resolve("prometheus/support-hub.rules.yml");
    static final Path RULE_TESTS = DIR.resolve("prometheus/support-hub.rules.test.yml");
    static final Path PROMETHEUS_RULE = DIR.resolve("prometheusrule.yaml");
    static final Path DASHBOARD = DIR.resolve("grafana/support-hub-operations.json");

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Monitoring() {
    }

    static JsonNode rules() throws IOException {
        return YAML.readTree(RULES.toFile());
    }

    static JsonNode dashboard() throws IOException {
        return JSON.readTree(DASHBOARD.toFile());
    }

    /** Every PromQL expression of the rules and of the dashboard (panels' targets, template queries). */
    static List<String> expressions() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode group : rules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.add(rule.path("expr").asText());
            }
        }
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard().at("/templating/list")) {
            Matcher m = Pattern.compile("label_values\\(([^,)]+)").matcher(variable.at("/query/query").asText(""));
            if (m.find()) {
                out.add(m.group(1).strip());
            }
        }
        return out;
    }

    /** The metric names all of them read. */
    static Set<String> referencedMetrics() throws IOException {
        Set<String> out = new TreeSet<>();
        for (String e : expressions()) {
            out.addAll(metricNames(e));
        }
        return out;
    }

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan");

    /**
     * The metric names a PromQL expression reads: identifiers that are neither functions, aggregations, keywords,
     * label names (in braces or in a grouping clause) nor parts of numbers, durations or strings.
     */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`", "\"\"") // strings
                .replaceAll("\\{[^}]*\\}", " ") // label matchers
                .replaceAll("\\[[^\\]]*\\]", " ") // ranges and subqueries
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " "); // label lists
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\\w.])(\\s*\\()?").matcher(s);
        while (m.find()) {
            String name = m.group(1);
            if (m.group(2) == null && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                out.add(name);
            }
        }
        return out;
    }
}
