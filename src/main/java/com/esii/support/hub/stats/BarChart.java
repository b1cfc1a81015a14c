package com.esii.support.hub.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

import io.quarkus.qute.TemplateData;

/**
 * A bar chart laid out for SVG (drawn by {@code templates/dashboard/chart.html}): categories along the x axis, one
 * or more series per category, side by side or stacked, a y axis with round ticks (from zero, or from
 * {@code yMin} for figures close to their maximum such as availability) and an optional reference line (a
 * commitment). Coordinates are in the SVG's user units.
 */
@TemplateData
public record BarChart(String id, String title, String desc, int width, int height, double left, double right,
        double top, double bottom, double axisX, List<Bar> bars, List<Tick> ticks, List<Label> labels, List<Legend> legend,
        Reference reference) {

    @TemplateData
    public record Bar(double x, double y, double w, double h, String fill, String title) {
    }

    @TemplateData
    public record Tick(double y, double textY, String label) {
    }

    @TemplateData
    public record Label(double x, double y, String text) {
    }

    @TemplateData
    public record Legend(double x, double y, double boxY, double textX, String fill, String text) {
    }

    @TemplateData
    public record Reference(double y, double labelX, double labelY, String label) {
    }

    /** One series: its name, its colour, and a value per category (NaN: nothing to measure, no bar). */
    public record Series(String name, String fill, double[] values) {
    }

    static final int WIDTH = 720;
    static final double LEFT = 64;
    static final double RIGHT = WIDTH - 12;
    static final double TOP = 16;
    static final double PLOT_HEIGHT = 200;
    static final double LEGEND_ITEM = 170;
    /** Widest bar, so that one or two categories do not make slabs. */
    static final double MAX_BAR = 56;

    /**
     * @param stacked   series stacked in one bar per category, else side by side
     * @param showLegend whether to name the series under the chart (not when each category is its own series)
     * @param yMin      bottom of the y axis (null: zero)
     * @param yMax      top of the y axis (null: rounded up from the highest bar)
     * @param reference a horizontal line at that value, with its label (null: none)
     * @param format    how a value reads (ticks and bar titles)
     */
    public static BarChart of(String id, String title, String desc, List<String> categories, List<Series> series,
            boolean stacked, boolean showLegend, Double yMin, Double yMax, Double reference, String referenceLabel,
            DoubleFunction<String> format) {
        int n = categories.size();
        double highest = 0;
        for (int c = 0; c < n; c++) {
            double sum = 0;
            for (Series s : series) {
                if (!Double.isNaN(s.values()[c])) {
                    sum += s.values()[c];
                    highest = Math.max(highest, s.values()[c]);
                }
            }
            if (stacked) {
                highest = Math.max(highest, sum);
            }
        }
        double min = yMin == null ? 0 : yMin;
        double step;
        double max;
        if (yMax == null) {
            step = niceStep(Math.max(highest - min, 1e-9), 5);
            if (min == 0 && step < 1) {
                step = 1; // counts
            }
            max = Math.max(step, Math.ceil((highest - min) / step) * step + min);
        } else {
            max = yMax;
            step = niceStep(max - min, 5);
        }
        double bottom = TOP + PLOT_HEIGHT;
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; min + i * step <= max + step / 1000; i++) {
            double v = min + i * step;
            double ty = r(y(v, min, max, bottom));
            ticks.add(new Tick(ty, r(ty + 4), format.apply(v)));
        }
        double band = (RIGHT - LEFT) / Math.max(1, n);
        List<Bar> bars = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        int every = (int) Math.ceil(n / 12.0);
        for (int c = 0; c < n; c++) {
            double x0 = LEFT + c * band;
            double base = 0;
            for (int k = 0; k < series.size(); k++) {
                Series s = series.get(k);
                double v = s.values()[c];
                if (Double.isNaN(v) || (v <= 0 && stacked)) {
                    continue; // nothing to measure, or nothing to stack
                }
                double w;
                double x;
                double from;
                double to;
                if (stacked) {
                    w = Math.min(band * 0.6, MAX_BAR);
                    x = x0 + (band - w) / 2;
                    from = base;
                    to = base + v;
                    base = to;
                } else {
                    w = Math.min(band * 0.8 / series.size(), MAX_BAR);
                    x = x0 + (band - w * series.size()) / 2 + k * w;
                    from = min;
                    to = Math.max(v, min);
                }
                double yTop = y(Math.max(to, min), min, max, bottom);
                double yBottom = y(Math.max(from, min), min, max, bottom);
                bars.add(new Bar(r(x), r(yTop), r(w), r(Math.max(0, yBottom - yTop)), s.fill(),
                        (categories.get(c).equals(s.name()) ? "" : categories.get(c) + " — ") + s.name() + " — "
                                + format.apply(v)));
            }
            if (c % every == 0) {
                labels.add(new Label(r(x0 + band / 2), r(bottom + 16), categories.get(c)));
            }
        }
        List<Legend> legend = new ArrayList<>();
        double legendTop = bottom + 40;
        if (showLegend) {
            int perRow = (int) ((RIGHT - LEFT) / LEGEND_ITEM);
            for (int k = 0; k < series.size(); k++) {
                double lx = r(LEFT + (k % perRow) * LEGEND_ITEM);
                double ly = r(legendTop + (k / perRow) * 20);
                legend.add(new Legend(lx, ly, r(ly - 10), r(lx + 18), series.get(k).fill(), series.get(k).name()));
            }
        }
        int rows = showLegend ? (series.size() + (int) ((RIGHT - LEFT) / LEGEND_ITEM) - 1)
                / (int) ((RIGHT - LEFT) / LEGEND_ITEM) : 0;
        int height = (int) Math.ceil(legendTop + rows * 20);
        double refY = reference == null ? 0 : r(y(reference, min, max, bottom));
        Reference ref = reference == null ? null : new Reference(refY, RIGHT, r(refY - 6), referenceLabel);
        return new BarChart(id, title, desc, WIDTH, height, LEFT, RIGHT, TOP, bottom, LEFT - 6, bars, ticks, labels,
                legend, ref);
    }

    private static double y(double v, double min, double max, double bottom) {
        return bottom - (v - min) / (max - min) * (bottom - TOP);
    }

    /** A round step (1, 2 or 5 times a power of ten) cutting {@code span} into about {@code parts}. */
    static double niceStep(double span, int parts) {
        double raw = span / parts;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / magnitude;
        double nice = n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static double r(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
