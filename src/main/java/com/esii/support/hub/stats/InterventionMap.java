package com.esii.support.hub.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.esii.support.hub.ticket.Visits;
import com.esii.support.hub.util.Departments;

import io.quarkus.qute.TemplateData;

/**
 * The on-site interventions of a period on a map of France (SVG, drawn by {@code templates/dashboard/dashboard.html}):
 * every metropolitan department a grey point at its prefecture, those with interventions a circle whose area grows
 * with their number; and the same figures as tables, by department, by region and by technician, each with how many
 * started within the on-site commitment.
 */
@TemplateData
public record InterventionMap(int width, int height, List<Dot> departments, List<Dot> visited, List<Table> tables,
        int total) {

    /** A department on the map: {@code title} says it in words (the circle's accessible name). */
    @TemplateData
    public record Dot(String code, double x, double y, double r, int count, String title) {
    }

    /** A table of the figures: {@code id} department, region or worker; its caption and first column's header. */
    @TemplateData
    public record Table(String id, String caption, String header, List<Line> lines) {
    }

    /** A table line: planned interventions, and how many started within the commitment (of those with one). */
    @TemplateData
    public record Line(String key, String name, int count, int onTime, int late) {
    }

    static final double SCALE = 40;
    static final double WEST = -5.3;
    static final double NORTH = 51.3;
    static final double COS = Math.cos(Math.toRadians(46.5));

    /** The map of these interventions (the cancelled ones left out), its texts from the dashboard's ({@code map.*}). */
    static InterventionMap of(List<Visits.Visit> visits, java.util.function.UnaryOperator<String> t) {
        String words = t.apply("map.dot");
        List<Visits.Visit> counted = visits.stream().filter(v -> !"cancelled".equals(v.status())).toList();
        Map<String, int[]> byDept = new TreeMap<>();
        Map<String, int[]> byRegion = new TreeMap<>();
        Map<String, int[]> byWorker = new TreeMap<>();
        for (Visits.Visit v : counted) {
            add(byDept, v.department() == null ? "?" : v.department(), v);
            add(byRegion, v.region() == null ? "?" : v.region(), v);
            add(byWorker, v.worker() == null ? "?" : v.worker(), v);
        }
        List<Dot> all = new ArrayList<>();
        List<Dot> visited = new ArrayList<>();
        for (Departments.Department d : Departments.all()) {
            if (d.code().length() > 2) {
                continue; // overseas: in the tables only
            }
            double x = (d.longitude() - WEST) * SCALE * COS;
            double y = (NORTH - d.latitude()) * SCALE;
            all.add(new Dot(d.code(), round(x), round(y), 1.6, 0, d.name()));
            int[] n = byDept.get(d.code());
            if (n != null) {
                visited.add(new Dot(d.code(), round(x), round(y), round(4 + 3 * Math.sqrt(n[0])), n[0],
                        words.replace("{name}", d.name() + " (" + d.code() + ")").replace("{count}",
                                String.valueOf(n[0]))));
            }
        }
        visited.sort(Comparator.comparingInt(Dot::count).reversed()); // small circles drawn over big ones
        List<Line> depts = new ArrayList<>();
        byDept.forEach((k, n) -> depts.add(new Line(k, Departments.byCode(k).map(d -> d.name() + " (" + k + ")")
                .orElse(k), n[0], n[1], n[2])));
        List<Table> tables = List.of(table("department", depts, t), table("region", lines(byRegion), t),
                table("worker", lines(byWorker), t));
        return new InterventionMap(420, 420, all, visited, tables, counted.size());
    }

    private static Table table(String id, List<Line> lines, java.util.function.UnaryOperator<String> t) {
        return new Table(id, t.apply("map.by-" + id), t.apply("map." + id), lines);
    }

    private static void add(Map<String, int[]> m, String key, Visits.Visit v) {
        int[] n = m.computeIfAbsent(key, k -> new int[3]);
        n[0]++;
        if (Boolean.TRUE.equals(v.onTime())) {
            n[1]++;
        } else if (Boolean.FALSE.equals(v.onTime())) {
            n[2]++;
        }
    }

    private static List<Line> lines(Map<String, int[]> m) {
        Map<String, int[]> sorted = new LinkedHashMap<>(m);
        List<Line> out = new ArrayList<>();
        sorted.forEach((k, n) -> out.add(new Line(k.toLowerCase(Locale.ROOT), k, n[0], n[1], n[2])));
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
