package com.esii.support.hub.stats;

import java.time.LocalDate;
import java.util.List;

/**
 * The managers' dashboard's figures, in no language: what the page shows (as charts and tables) and what the CSV
 * export holds, section by section. Each section has its columns (figures) and its rows: one per month of the period
 * (the first and last months cut to the period) then the period's total ({@link #TOTAL}); for hosted systems, those
 * rows for each customer.
 */
public record DashboardReport(LocalDate from, LocalDate to, String zone, Commitments commitments,
        List<Section> sections) {

    /** The brochure's commitments the figures are measured against (from {@code hub.sla.*}). */
    public record Commitments(long takeChargeMinutes, long onSiteMinutes, double hostedPercent) {
    }

    /** The period key of a total row. */
    public static final String TOTAL = "total";

    /** How a figure reads. */
    public enum Kind {
        /** a count */
        COUNT,
        /** a fraction (0.25 = 25 %) */
        RATE,
        /** a percentage already (99.6) */
        PERCENT,
        SECONDS,
        MINUTES,
        /** true or false */
        YES_NO,
        /** an average rating out of 5 (4.25) */
        SCORE
    }

    public record Column(String key, Kind kind) {
    }

    /**
     * @param period   {@code YYYY-MM} or {@link #TOTAL}
     * @param from     first day of the row (included)
     * @param to       last day of the row (included)
     * @param customer the customer's code (hosted systems), else null
     * @param values   one per column: Integer, Long, Double, Boolean, or null when there is nothing to measure
     */
    public record Row(String period, LocalDate from, LocalDate to, String customer, String customerName,
            List<Object> values) {

        public boolean total() {
            return TOTAL.equals(period);
        }
    }

    public record Section(String key, List<Column> columns, List<Row> rows) {

        public int column(String key) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).key().equals(key)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("No column " + key + " in " + this.key);
        }

        /** Whether any figure of the section is not zero (else the page says "no data"). */
        public boolean hasData() {
            for (Row r : rows) {
                for (Object v : r.values()) {
                    if (v instanceof Number n && n.doubleValue() != 0) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    public Section section(String key) {
        return sections.stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No section " + key));
    }
}
