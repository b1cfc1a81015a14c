package com.esii.support.hub.stats;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

import com.esii.support.hub.stats.DashboardReport.Column;
import com.esii.support.hub.stats.DashboardReport.Kind;
import com.esii.support.hub.stats.DashboardReport.Row;
import com.esii.support.hub.stats.DashboardReport.Section;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.Visits;

import io.quarkus.qute.TemplateData;

/**
 * The dashboard page in one language, ready for {@code templates/dashboard/dashboard.html}: for each section its
 * title, what it measures, a chart and the table of the same figures (numbers written the language's way; each cell
 * also carries its figure as {@code data-value}, as in the CSV).
 */
@TemplateData
public record DashboardPage(String lang, Map<String, String> t, String from, String to, String periodText,
        String csvUrl, List<LanguageLink> languages, String error, List<KeyFigure> keyFigures,
        List<SectionView> sections, InterventionMap interventions) {

    @TemplateData
    public record LanguageLink(String code, String name, String url, boolean current) {
    }

    @TemplateData
    public record KeyFigure(String key, String label, String value, String text) {
    }

    @TemplateData
    public record SectionView(String id, String title, String note, BarChart chart, String noData, TableView table) {
    }

    @TemplateData
    public record TableView(String id, String caption, String corner, List<Header> headers, List<RowView> rows) {
    }

    @TemplateData
    public record Header(String key, String text) {
    }

    @TemplateData
    public record RowView(String key, String header, boolean total, List<Cell> cells) {
    }

    /** {@code cls}: {@code breach} for a commitment not kept (shown in a colour, and said in words), {@code text}. */
    @TemplateData
    public record Cell(String key, String value, String text, String cls) {
    }

    static final String[] CHANNEL_COLOURS = { "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9" };
    static final String KEPT = "#009E73";
    static final String LATE = "#D55E00";
    static final String OVERDUE = "#8C2D04";
    static final String PENDING = "#999999";

    private static final Map<Language, String> NAMES = Map.of(Language.FR, "Français", Language.EN, "English",
            Language.ES, "Español");

    /** The page of an invalid request: the period form and the error, no figures. */
    static DashboardPage error(Language lang, DashboardTexts texts, String from, String to, String error) {
        return new DashboardPage(lang.code(), texts.texts(lang), from, to, "", null, links(lang, from, to), error,
                List.of(), List.of(), null);
    }

    static DashboardPage of(DashboardReport report, Language lang, DashboardTexts texts,
            List<Visits.Visit> visits) {
        Writer w = new Writer(lang, texts, report);
        String from = report.from().toString();
        String to = report.to().toString();
        List<SectionView> sections = new ArrayList<>();
        for (Section s : report.sections()) {
            sections.add(s.key().equals("availability") ? w.availability(s) : w.section(s));
        }
        String periodText = w.dates.format(report.from()) + " – " + w.dates.format(report.to());
        return new DashboardPage(lang.code(), texts.texts(lang), from, to, periodText,
                "/admin/dashboard.csv?from=" + from + "&to=" + to, links(lang, from, to), null, w.keyFigures(),
                sections, InterventionMap.of(visits, k -> texts.text(lang, k)));
    }

    private static List<LanguageLink> links(Language current, String from, String to) {
        List<LanguageLink> out = new ArrayList<>();
        for (Language l : Language.values()) {
            String q = "?";
            if (from != null && !from.isBlank()) {
                q += "from=" + URLEncoder.encode(from, StandardCharsets.UTF_8) + "&";
            }
            if (to != null && !to.isBlank()) {
                q += "to=" + URLEncoder.encode(to, StandardCharsets.UTF_8) + "&";
            }
            out.add(new LanguageLink(l.code(), NAMES.get(l), "/admin/dashboard" + q + "lang=" + l.code(), l == current));
        }
        return out;
    }

    /** Writes figures in one language. */
    private static final class Writer {
        final Language lang;
        final DashboardTexts texts;
        final DashboardReport report;
        final Locale locale;
        final DateTimeFormatter dates;
        final DateTimeFormatter months;

        Writer(Language lang, DashboardTexts texts, DashboardReport report) {
            this.lang = lang;
            this.texts = texts;
            this.report = report;
            this.locale = lang.locale();
            // a day nobody misreads: "4 Dec 2026", "4 déc. 2026" (the locale's short style writes "12/4/26" in English)
            this.dates = DateTimeFormatter.ofPattern("d MMM yyyy", locale);
            this.months = DateTimeFormatter.ofPattern("MMM yyyy", locale);
        }

        String t(String key) {
            return texts.text(lang, key);
        }

        SectionView section(Section s) {
            String id = s.key();
            String title = title(s.key());
            List<Header> headers = new ArrayList<>();
            for (int i = 0; i < s.columns().size(); i++) {
                headers.add(new Header(s.columns().get(i).key(), columnLabel(s, i)));
            }
            List<RowView> rows = new ArrayList<>();
            for (Row r : s.rows()) {
                List<Cell> cells = new ArrayList<>();
                for (int i = 0; i < s.columns().size(); i++) {
                    Column c = s.columns().get(i);
                    Object v = r.values().get(i);
                    cells.add(new Cell(c.key(), DashboardCsv.value(v), format(c.kind(), v), breach(s, c, v)));
                }
                rows.add(new RowView(r.period(), rowLabel(r), r.total(), cells));
            }
            TableView table = new TableView(id + "-table", title, t("month"), headers, rows);
            boolean data = s.hasData() && s.rows().stream().anyMatch(r -> !r.total());
            return new SectionView(id, title, note(s), data ? chart(s, title) : null, data ? null : t("no_data"),
                    table);
        }

        /** Hosted systems: one row per customer, the months and the period in columns (availability in percent). */
        SectionView availability(Section s) {
            String title = title(s.key());
            List<Row> totals = s.rows().stream().filter(Row::total).toList();
            if (totals.isEmpty()) {
                return new SectionView(s.key(), title, note(s), null, t("no_data"), null);
            }
            List<Header> headers = new ArrayList<>();
            headers.add(new Header("name", t("customer_name")));
            List<Row> first = s.rows().stream().filter(r -> r.customer().equals(totals.get(0).customer())).toList();
            for (Row r : first) {
                headers.add(new Header(r.period(), rowLabel(r)));
            }
            headers.add(new Header("downtime-minutes", t("c.availability.downtime-minutes")));
            headers.add(new Header("months-below", t("c.availability.months-below")));
            int pct = s.column("availability-percent");
            int met = s.column("commitment-met");
            int down = s.column("downtime-minutes");
            List<RowView> rows = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int k = 0; k < totals.size(); k++) {
                Row total = totals.get(k);
                String customer = total.customer();
                List<Cell> cells = new ArrayList<>();
                cells.add(new Cell("name", total.customerName() == null ? "" : total.customerName(),
                        total.customerName() == null ? "—" : total.customerName(), "text"));
                int below = 0;
                for (Row r : s.rows()) {
                    if (!r.customer().equals(customer)) {
                        continue;
                    }
                    Object v = r.values().get(pct);
                    boolean failed = Boolean.FALSE.equals(r.values().get(met));
                    if (failed && !r.total()) {
                        below++;
                    }
                    cells.add(new Cell(r.period(), DashboardCsv.value(v), format(Kind.PERCENT, v)
                            + (failed ? " " + t("below_commitment") : ""), failed ? "breach" : ""));
                }
                cells.add(new Cell("downtime-minutes", DashboardCsv.value(total.values().get(down)),
                        format(Kind.MINUTES, total.values().get(down)), ""));
                cells.add(new Cell("months-below", String.valueOf(below), format(Kind.COUNT, below),
                        below > 0 ? "breach" : ""));
                rows.add(new RowView(customer, customer, false, cells));
                names.add(total.customerName() == null ? customer : customer + " " + total.customerName());
            }
            // the commitment is monthly: each customer's months side by side, against the commitment's line
            List<Row> monthRows = first.stream().filter(r -> !r.total()).toList();
            List<String> categories = monthRows.stream().map(this::chartLabel).toList();
            double commitment = report.commitments().hostedPercent();
            double lowest = commitment;
            List<BarChart.Series> series = new ArrayList<>();
            for (int k = 0; k < totals.size(); k++) {
                String customer = totals.get(k).customer();
                double[] v = s.rows().stream().filter(r -> !r.total() && r.customer().equals(customer))
                        .mapToDouble(r -> r.values().get(pct) == null ? Double.NaN
                                : ((Number) r.values().get(pct)).doubleValue())
                        .toArray();
                for (double x : v) {
                    lowest = Double.isNaN(x) ? lowest : Math.min(lowest, x);
                }
                series.add(new BarChart.Series(names.get(k), CHANNEL_COLOURS[k % CHANNEL_COLOURS.length], v));
            }
            double step = BarChart.niceStep(Math.max(100 - lowest, 0.1), 4);
            double yMin = Math.max(0, Math.floor((lowest - step / 2) / step) * step);
            DoubleFunction<String> percent = v -> format(Kind.PERCENT, v);
            BarChart chart = BarChart.of(s.key() + "-chart", title,
                    t("chart_desc").replace("{title}", title) + " "
                            + t("chart_desc_axis").replace("{min}", percent.apply(yMin)),
                    categories, series, false, true, yMin, 100.0, commitment,
                    t("commitment") + " " + percent.apply(commitment), percent);
            TableView table = new TableView(s.key() + "-table", title, t("customer"), headers, rows);
            return new SectionView(s.key(), title, note(s), chart, null, table);
        }

        String title(String section) {
            return fill(t("s." + section));
        }

        String note(Section s) {
            String note = fill(t("n." + s.key()));
            Row total = s.rows().stream().filter(Row::total).findFirst().orElse(null);
            if (total != null && (s.key().equals("take-charge") || s.key().equals("on-site"))) {
                Object breaches = total.values().get(s.column("breaches"));
                Object committed = total.values().get(s.column("committed"));
                Object rate = total.values().get(s.column("on-time-rate"));
                note += " " + t("breaches_summary").replace("{breaches}", format(Kind.COUNT, breaches))
                        .replace("{committed}", format(Kind.COUNT, committed)).replace("{rate}", format(Kind.RATE, rate));
            }
            return note;
        }

        /** The placeholders of the commitments: {takeCharge}, {onSite}, {hosted}. */
        String fill(String text) {
            DashboardReport.Commitments c = report.commitments();
            return text.replace("{takeCharge}", hours(c.takeChargeMinutes())).replace("{onSite}", hours(c.onSiteMinutes()))
                    .replace("{hosted}", format(Kind.PERCENT, c.hostedPercent()));
        }

        /** 240 → "4 h", 30 → "30 min", 90 → "1 h 30", with non-breaking spaces. */
        String hours(long minutes) {
            return Dashboard.duration(minutes).replace("min", "\u00a0min").replaceFirst("h(?=\\d)", "\u00a0h\u00a0")
                    .replaceFirst("h$", "\u00a0h");
        }

        String columnLabel(Section s, int i) {
            String key = s.columns().get(i).key();
            if (s.key().equals("take-charge") && i >= 1 && i <= 4) {
                long c = report.commitments().takeChargeMinutes();
                return switch (i) {
                    case 1 -> "<\u00a0" + hours(c / 4);
                    case 2 -> hours(c / 4).replaceFirst("\u00a0h$", "") + "–\u2060" + hours(c / 2);
                    case 3 -> hours(c / 2).replaceFirst("\u00a0h$", "") + "–\u2060" + hours(c);
                    default -> ">\u00a0" + hours(c) + " " + t("late_suffix");
                };
            }
            return t("c." + s.key() + "." + key);
        }

        String rowLabel(Row r) {
            if (r.total()) {
                return t("total");
            }
            YearMonth m = YearMonth.from(r.from());
            if (r.from().getDayOfMonth() == 1 && r.to().equals(m.atEndOfMonth())) {
                return months.format(m);
            }
            return dates.format(r.from()) + " – " + dates.format(r.to());
        }

        /**
         * A period as a chart's axis names it, shorter than the table's: the month ("déc. 2026"), or the days of a
         * month the period begins or ends in ("1–5 déc. 2026").
         */
        String chartLabel(Row r) {
            YearMonth m = YearMonth.from(r.from());
            if (r.total() || !YearMonth.from(r.to()).equals(m)
                    || (r.from().getDayOfMonth() == 1 && r.to().equals(m.atEndOfMonth()))) {
                return rowLabel(r);
            }
            String days = r.from().equals(r.to()) ? String.valueOf(r.from().getDayOfMonth())
                    : r.from().getDayOfMonth() + "–" + r.to().getDayOfMonth();
            return days + " " + months.format(m);
        }

        String breach(Section s, Column c, Object v) {
            boolean counted = v instanceof Number n && n.intValue() > 0;
            boolean breachColumn = (s.key().equals("take-charge") || s.key().equals("on-site"))
                    && (c.key().equals("breaches") || c.key().equals("late") || c.key().equals("overdue")
                            || c.key().startsWith("over-"));
            return counted && breachColumn ? "breach" : "";
        }

        String format(Kind kind, Object v) {
            if (v == null) {
                return "—";
            }
            return switch (kind) {
                case COUNT -> NumberFormat.getIntegerInstance(locale).format(((Number) v).longValue());
                case RATE -> percent(((Number) v).doubleValue(), 1);
                case PERCENT -> percent(((Number) v).doubleValue() / 100, 2);
                case SECONDS -> decimal(((Number) v).doubleValue(), 1) + " s";
                case MINUTES -> NumberFormat.getIntegerInstance(locale).format(((Number) v).longValue()) + " min";
                case YES_NO -> Boolean.TRUE.equals(v) ? t("yes") : t("no");
                case SCORE -> decimal(((Number) v).doubleValue(), 1) + "\u00a0/\u00a05";
            };
        }

        String percent(double v, int digits) {
            NumberFormat f = NumberFormat.getPercentInstance(locale);
            f.setMinimumFractionDigits(digits);
            f.setMaximumFractionDigits(digits);
            return f.format(v);
        }

        String decimal(double v, int digits) {
            NumberFormat f = NumberFormat.getNumberInstance(locale);
            f.setMinimumFractionDigits(digits);
            f.setMaximumFractionDigits(digits);
            return f.format(v);
        }

        BarChart chart(Section s, String title) {
            List<Row> months = s.rows().stream().filter(r -> !r.total()).toList();
            List<String> categories = months.stream().map(this::chartLabel).toList();
            DoubleFunction<String> count = v -> format(Kind.COUNT, v);
            String desc = t("chart_desc").replace("{title}", title);
            return switch (s.key()) {
                case "tickets" -> {
                    List<BarChart.Series> series = new ArrayList<>();
                    for (int i = 0; i < s.columns().size() - 1; i++) {
                        series.add(series(s, months, i, CHANNEL_COLOURS[i % CHANNEL_COLOURS.length]));
                    }
                    yield BarChart.of("tickets-chart", title, desc, categories, series, true, true, null, null, null,
                            null, count);
                }
                case "take-charge" -> {
                    // the distribution over the whole period, one bar per bucket
                    Row total = s.rows().stream().filter(Row::total).findFirst().orElseThrow();
                    String[] fills = { KEPT, KEPT, KEPT, LATE, OVERDUE };
                    List<String> buckets = new ArrayList<>();
                    List<BarChart.Series> series = new ArrayList<>();
                    for (int i = 1; i <= 5; i++) {
                        buckets.add(i == 4 ? ">\u00a0" + hours(report.commitments().takeChargeMinutes())
                                : i == 5 ? t("short_overdue") : columnLabel(s, i));
                        double[] one = new double[5];
                        one[i - 1] = ((Number) total.values().get(i)).doubleValue();
                        series.add(new BarChart.Series(columnLabel(s, i), fills[i - 1], one));
                    }
                    yield BarChart.of("take-charge-chart", title, t("chart_desc_distribution").replace("{title}", title),
                            buckets, series, true, false, null, null, null, null, count);
                }
                case "on-site" -> BarChart.of("on-site-chart", title, desc, categories,
                        List.of(series(s, months, s.column("on-time"), KEPT), series(s, months, s.column("late"), LATE),
                                series(s, months, s.column("overdue"), OVERDUE),
                                series(s, months, s.column("pending"), PENDING)),
                        true, true, null, null, null, null, count);
                case "activities" -> BarChart.of("activities-chart", title, desc, categories,
                        List.of(series(s, months, 0, CHANNEL_COLOURS[0]), series(s, months, 1, CHANNEL_COLOURS[1]),
                                series(s, months, 2, CHANNEL_COLOURS[2]), series(s, months, 3, CHANNEL_COLOURS[3])),
                        false, true, null, null, null, null, count);
                case "calls" -> BarChart.of("calls-chart", title, desc, categories,
                        List.of(series(s, months, s.column("answered"), KEPT),
                                series(s, months, s.column("voicemail"), CHANNEL_COLOURS[1]),
                                series(s, months, s.column("abandoned"), LATE)),
                        true, true, null, null, null, null, count);
                case "satisfaction" -> {
                    // the average of each month against the scale's top; a month without ratings has no bar
                    int average = s.column("average");
                    double[] v = months.stream().mapToDouble(r -> r.values().get(average) == null ? Double.NaN
                            : ((Number) r.values().get(average)).doubleValue()).toArray();
                    yield BarChart.of("satisfaction-chart", title, desc, categories,
                            List.of(new BarChart.Series(columnLabel(s, average), KEPT, v)), false, false, null, 5.0,
                            null, null, x -> format(Kind.SCORE, x));
                }
                default -> throw new IllegalArgumentException("No chart for " + s.key());
            };
        }

        BarChart.Series series(Section s, List<Row> rows, int column, String fill) {
            double[] v = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                Object o = rows.get(i).values().get(column);
                v[i] = o == null ? 0 : ((Number) o).doubleValue();
            }
            return new BarChart.Series(columnLabel(s, column), fill, v);
        }

        List<KeyFigure> keyFigures() {
            List<KeyFigure> out = new ArrayList<>();
            key(out, "tickets", "total", Kind.COUNT, "k.tickets");
            key(out, "take-charge", "on-time-rate", Kind.RATE, "k.take-charge");
            key(out, "on-site", "on-time-rate", Kind.RATE, "k.on-site");
            key(out, "activities", "interventions", Kind.COUNT, "k.interventions");
            key(out, "activities", "exchanges", Kind.COUNT, "k.exchanges");
            key(out, "activities", "workshop-repairs", Kind.COUNT, "k.workshop-repairs");
            key(out, "activities", "escalations", Kind.COUNT, "k.escalations");
            key(out, "calls", "average-answer-seconds", Kind.SECONDS, "k.average-answer");
            key(out, "calls", "abandoned-rate", Kind.RATE, "k.abandoned-rate");
            key(out, "satisfaction", "average", Kind.SCORE, "k.satisfaction");
            return out;
        }

        private void key(List<KeyFigure> out, String section, String column, Kind kind, String label) {
            Section s = report.section(section);
            Object v = s.rows().stream().filter(Row::total).findFirst().orElseThrow().values().get(s.column(column));
            out.add(new KeyFigure(section + "." + column, fill(t(label)), DashboardCsv.value(v), format(kind, v)));
        }
    }
}
