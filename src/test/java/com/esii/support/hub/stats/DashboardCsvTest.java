package com.esii.support.hub.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The CSV's fields, quoting and numbers, and the SVG charts' layout, without a server. */
class DashboardCsvTest {

    @Test
    void fieldsAreQuotedOnlyWhenTheyMustBe() {
        assertEquals("C0002", DashboardCsv.field("C0002"));
        assertEquals("\"Durand, fils\"", DashboardCsv.field("Durand, fils"));
        assertEquals("\"Le \"\"Central\"\"\"", DashboardCsv.field("Le \"Central\""));
        assertEquals("\"deux\r\nlignes\"", DashboardCsv.field("deux\r\nlignes"));
        assertEquals("", DashboardCsv.field(null));
    }

    @Test
    void aNameThatLooksLikeAFormulaIsText() {
        assertEquals("'=HYPERLINK(\"x\")", DashboardCsv.text("=HYPERLINK(\"x\")"));
        assertEquals("'+33 4", DashboardCsv.text("+33 4"));
        assertEquals("'@home", DashboardCsv.text("@home"));
        assertEquals("Mairie", DashboardCsv.text("Mairie"));
    }

    @Test
    void numbersHaveADotAndNoTrailingZeros() {
        assertEquals("0.3333", DashboardCsv.value(0.3333));
        assertEquals("15", DashboardCsv.value(15.0));
        assertEquals("99.4616", DashboardCsv.value(99.4616));
        assertEquals("1234567", DashboardCsv.value(1234567L));
        assertEquals("", DashboardCsv.value(null));
        assertEquals("false", DashboardCsv.value(false));
    }

    @Test
    void theFileHasABomAHeaderAndOneFigureALine() {
        DashboardReport.Section s = new DashboardReport.Section("availability",
                List.of(new DashboardReport.Column("availability-percent", DashboardReport.Kind.PERCENT)),
                List.of(new DashboardReport.Row("2018-03", LocalDate.of(2018, 3, 1), LocalDate.of(2018, 3, 31), "C0002",
                        "=Durand, \"fils\"", Arrays.asList(99.4616))));
        byte[] bytes = DashboardCsv.write(new DashboardReport(LocalDate.of(2018, 3, 1), LocalDate.of(2018, 3, 31),
                "Europe/Paris", new DashboardReport.Commitments(240, 960, 99.6), List.of(s)));
        assertEquals((byte) 0xEF, bytes[0]);
        assertEquals("\ufeff" + DashboardCsv.HEADER + "\r\n"
                + "availability,2018-03,2018-03-01,2018-03-31,C0002,\"'=Durand, \"\"fils\"\"\",availability-percent,99.4616\r\n",
                new String(bytes, StandardCharsets.UTF_8));
    }

    @Test
    void aChartDrawsNoBarForNothingToMeasureAndRoundTicks() {
        BarChart c = BarChart.of("c", "t", "d", List.of("a", "b", "c"),
                List.of(new BarChart.Series("s", "#000", new double[] { 3, Double.NaN, 0 })), false, true, null, null,
                null, null, v -> String.valueOf((long) v));
        assertEquals(2, c.bars().size(), "no bar where there is nothing to measure");
        assertEquals(List.of("0", "1", "2", "3"), c.ticks().stream().map(BarChart.Tick::label).toList());
        assertEquals(c.top(), c.bars().get(0).y(), 0.1, "the highest bar reaches the top tick");
        assertEquals(0, c.bars().get(1).h(), 0.001);
        BarChart stacked = BarChart.of("s", "t", "d", List.of("a"), List.of(new BarChart.Series("x", "#000",
                new double[] { 2 }), new BarChart.Series("y", "#111", new double[] { 3 })), true, true, null, null, null,
                null, v -> String.valueOf(v));
        assertEquals(2, stacked.bars().size());
        assertEquals(stacked.bars().get(0).y(), stacked.bars().get(1).y() + stacked.bars().get(1).h(), 0.2,
                "the second series sits on the first");
        assertTrue(stacked.bars().get(0).w() <= BarChart.MAX_BAR);
    }
}
