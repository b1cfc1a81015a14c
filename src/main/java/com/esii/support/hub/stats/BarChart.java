package com.esii.support.hub.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

import io.quarkus.qute.TemplateData;

/**
 * A bar chart laid out for SVG (drawn by {@code templates/dashboard/dashboard.html}): categories along the x axis, one
 * or more series per category, side by side or stacked, a y axis with round ticks (from zero, or from
 * {@code yMin} for figures close to their maximum such as availability) and an optional reference line (a
 * commitment). Coordinates are in the SVG's user units.
 *
 * <p>The labels under the axis and the legend's items are laid out by their width, estimated on a wide font
 * ({@link #textWidth}), so that none overlaps another and none reaches out of the chart, whatever the number of
 * months (issue 26.8): a label on one line when every label fits its category's width, else wrapped at its spaces
 * (a month above its year), else upright (read from bottom to top), every second or third one when even upright
 * labels do not fit side by side. The legend's items follow each other and go to the next row at the chart's edge.
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

    /**
     * A label under the x axis, on its {@code lines} (a line's {@code dy}: from the line above), or {@code upright}:
     * turned a quarter to the left about ({@code x}, {@code y}), where it ends.
     */
    @TemplateData
    public record Label(double x, double y, String text, List<Line> lines, boolean upright) {
    }

    @TemplateData
    public record Line(double dy, String text) {
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
    /** The labels' font size (the template's), a line of them, and the least room between two side by side. */
    static final double FONT = 11;
    static final double LINE = 13;
    static final double GAP = 6;
    /** The legend's font size, its colour box and the room after an item. */
    static final double LEGEND_FONT = 12;
    static final double LEGEND_BOX = 18;
    static final double LEGEND_GAP = 24;
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
        Axis axis = Axis.of(categories, band);
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
            if (c % axis.every() == 0) {
                labels.add(axis.label(categories.get(c), x0 + band / 2, bottom));
            }
        }
        List<Legend> legend = new ArrayList<>();
        double legendTop = bottom + axis.depth() + 22;
        int rows = 0;
        if (showLegend) {
            double lx = LEFT;
            for (Series s : series) {
                String name = fit(s.name(), LEGEND_FONT, RIGHT - LEFT - LEGEND_BOX);
                double w = LEGEND_BOX + textWidth(name, LEGEND_FONT);
                if (lx > LEFT && lx + w > RIGHT) {
                    lx = LEFT;
                    rows++;
                }
                double ly = r(legendTop + rows * 20);
                legend.add(new Legend(r(lx), ly, r(ly - 10), r(lx + LEGEND_BOX), s.fill(), name));
                lx += w + LEGEND_GAP;
            }
            rows++;
        }
        int height = (int) Math.ceil(showLegend ? legendTop + (rows - 1) * 20 + 6 : bottom + axis.depth() + 6);
        double refY = reference == null ? 0 : r(y(reference, min, max, bottom));
        Reference ref = reference == null ? null : new Reference(refY, RIGHT, r(refY - 6), referenceLabel);
        return new BarChart(id, title, desc, WIDTH, height, LEFT, RIGHT, TOP, bottom, LEFT - 6, bars, ticks, labels,
                legend, ref);
    }

    /**
     * How the categories are labelled under the axis: every {@code every}th one, {@code upright} or on lines, and the
     * room the labels take under the axis ({@code depth}).
     */
    record Axis(int every, boolean upright, double depth, double lineWidth) {

        static Axis of(List<String> categories, double band) {
            double room = band - GAP;
            double widest = categories.stream().mapToDouble(c -> textWidth(c, FONT)).max().orElse(0);
            if (widest <= room) {
                return new Axis(1, false, LINE + 5, room);
            }
            double widestWord = categories.stream().flatMap(c -> List.of(c.split(" ")).stream())
                    .mapToDouble(w -> textWidth(w, FONT)).max().orElse(0);
            if (widestWord <= room) {
                int lines = categories.stream().mapToInt(c -> wrap(c, room).size()).max().orElse(1);
                return new Axis(1, false, lines * LINE + 5, room);
            }
            return new Axis((int) Math.ceil((LINE + GAP) / band), true, widest + 10, room);
        }

        /** The label of a category whose band is centred on {@code x}, under the axis at {@code bottom}. */
        Label label(String text, double x, double bottom) {
            if (upright) {
                // turned about its end, just under the axis; the glyphs stand left of the turned baseline
                return new Label(r(x + FONT * 0.35), r(bottom + 6), text, List.of(), true);
            }
            List<Line> lines = new ArrayList<>();
            for (String line : wrap(text, lineWidth)) {
                lines.add(new Line(lines.isEmpty() ? 0 : LINE, line));
            }
            return new Label(r(x), r(bottom + 15), text, lines, false);
        }
    }

    /** {@code text} cut into lines at its spaces, each no wider than {@code width} (a word wider stays whole). */
    static List<String> wrap(String text, double width) {
        List<String> lines = new ArrayList<>();
        String line = "";
        for (String word : text.split(" ")) {
            String longer = line.isEmpty() ? word : line + " " + word;
            if (line.isEmpty() || textWidth(longer, FONT) <= width) {
                line = longer;
            } else {
                lines.add(line);
                line = word;
            }
        }
        lines.add(line);
        return lines;
    }

    /** {@code text}, or its beginning and "…" when it is wider than {@code width}. */
    static String fit(String text, double size, double width) {
        if (textWidth(text, size) <= width) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && textWidth(cut + "…", size) > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut.strip() + "…";
    }

    /**
     * The width of {@code text} at {@code size}, estimated a little over what DejaVu Sans and Verdana draw (among the
     * widest of the sans-serif fonts a browser may use), so that labels laid out by it do not touch in any of them.
     */
    static double textWidth(String text, double size) {
        double em = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            em += advance(c);
        }
        return em * size;
    }

    private static double advance(int c) {
        if ("ijlftr.,:;'!|()[] \u00a0\u202f".indexOf(c) >= 0) {
            return 0.42;
        }
        if ("mwMW%@—".indexOf(c) >= 0) {
            return 1.0;
        }
        if ("<>+=±".indexOf(c) >= 0) {
            return 0.84;
        }
        if (c == '–' || c == '-') {
            return 0.52;
        }
        return Character.isUpperCase(c) ? 0.8 : 0.66;
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
