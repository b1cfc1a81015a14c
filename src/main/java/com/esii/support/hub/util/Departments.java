package com.esii.support.hub.util;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * France's departments from {@code geo/departments.csv}: a postcode's department, its region, and the travel
 * between two departments, estimated from their prefectures' coordinates (great-circle distance × a road factor,
 * at a road speed; both settings). No routing service: an estimate staff can check, stated as such.
 */
public final class Departments {

    public record Department(String code, String name, String region, double latitude, double longitude) {
    }

    private static final Map<String, Department> ALL = load();

    private Departments() {
    }

    public static Collection<Department> all() {
        return ALL.values();
    }

    public static Optional<Department> byCode(String code) {
        return Optional.ofNullable(code == null ? null : ALL.get(code));
    }

    /**
     * A French postcode's department: the first two digits, 2A/2B for Corsica (200xx–201xx / 202xx–206xx), three
     * digits overseas (971…976). Empty for anything else (not five digits, or no such department).
     */
    public static Optional<Department> ofPostcode(String postcode) {
        String p = postcode == null ? "" : postcode.replace(" ", "").strip();
        if (!p.matches("\\d{5}")) {
            return Optional.empty();
        }
        String code;
        if (p.startsWith("97")) {
            code = p.substring(0, 3);
        } else if (p.startsWith("20")) {
            code = Integer.parseInt(p.substring(2, 3)) < 2 ? "2A" : "2B";
        } else {
            code = p.substring(0, 2);
        }
        return byCode(code);
    }

    /** Kilometres by road between two departments' prefectures (0 within one department). */
    public static double roadKilometres(Department a, Department b, double roadFactor) {
        if (a.code().equals(b.code())) {
            return 0;
        }
        double r = 6371.0;
        double f1 = Math.toRadians(a.latitude());
        double f2 = Math.toRadians(b.latitude());
        double df = f2 - f1;
        double dl = Math.toRadians(b.longitude() - a.longitude());
        double h = Math.sin(df / 2) * Math.sin(df / 2) + Math.cos(f1) * Math.cos(f2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * r * Math.asin(Math.sqrt(h)) * roadFactor;
    }

    private static Map<String, Department> load() {
        Map<String, Department> m = new LinkedHashMap<>();
        try (InputStream in = Departments.class.getClassLoader().getResourceAsStream("geo/departments.csv")) {
            if (in == null) {
                throw new IllegalStateException("geo/departments.csv is missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(";");
                m.put(f[0], new Department(f[0], f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
