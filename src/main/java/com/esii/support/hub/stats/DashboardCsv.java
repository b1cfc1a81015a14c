package com.esii.support.hub.stats;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The dashboard's figures as CSV (RFC 4180): UTF-8 with a byte-order mark (so that Excel reads the accents), comma
 * separated, CRLF line ends, numbers with a dot and no grouping, one figure a line:
 * {@code section,period,from,to,customer,customer_name,figure,value}. {@code period} is the month ({@code YYYY-MM})
 * or {@code total}; {@code from} and {@code to} the days it covers; an empty value has nothing to measure (no call
 * answered, a customer not yet known as hosted). A field holding a comma, a quote or a line break is quoted, its
 * quotes doubled; a customer name starting like a formula ({@code = + - @}, tab) is prefixed with {@code '} so that
 * a spreadsheet shows it as text.
 */
public final class DashboardCsv {

    public static final String HEADER = "section,period,from,to,customer,customer_name,figure,value";
    private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    private DashboardCsv() {
    }

    public static byte[] write(DashboardReport report) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (DashboardReport.Section s : report.sections()) {
            List<DashboardReport.Column> columns = s.columns();
            for (DashboardReport.Row r : s.rows()) {
                for (int i = 0; i < columns.size(); i++) {
                    line(out, s.key(), r.period(), r.from().toString(), r.to().toString(), r.customer(),
                            text(r.customerName()), columns.get(i).key(), value(r.values().get(i)));
                }
            }
        }
        byte[] text = out.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[BOM.length + text.length];
        System.arraycopy(BOM, 0, all, 0, BOM.length);
        System.arraycopy(text, 0, all, BOM.length, text.length);
        return all;
    }

    private static void line(StringBuilder out, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields[i]));
        }
        out.append("\r\n");
    }

    static String field(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** Free text (a customer's name as typed): never read as a formula by a spreadsheet. */
    static String text(String s) {
        if (s != null && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            return "'" + s;
        }
        return s;
    }

    static String value(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }
}
