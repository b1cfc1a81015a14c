package com.esii.support.hub.stats;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;
import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.erp.ErpRecords;
import com.esii.support.hub.phone.CallIntake;
import com.esii.support.hub.testing.Browser;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;
import com.esii.support.hub.ticket.TicketLedger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The managers' dashboard on a known quarter (January to March 2018, a period no other test writes in): tickets
 * opened through the API and by mail, support's steps with their times, calls through the phone channel's intake,
 * then the page's tables and the CSV give back exactly what was seeded. Also: admin only, the charts are well-formed
 * SVG with a title and a description, a period without data says so, CSV quoting of a customer's name.
 */
@QuarkusTest
class DashboardTest extends HubTestResources {

    static final String PERIOD = "from=2018-01-01&to=2018-03-31";
    static final String HOSTED_NAME = "Logistique \"Durand\", fils";

    @Inject
    DataSource ds;

    @Inject
    CallIntake calls;

    @Inject
    ErpRecords records;

    @Inject
    TicketLedger ledger;

    static boolean seeded;

    static OffsetDateTime at(String parisTime) {
        return OffsetDateTime.parse(parisTime + "+01:00"); // winter time in Paris
    }

    String open(String email, String accessCode, String company) {
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        if (accessCode != null) {
            body.put("accessCode", accessCode);
        }
        body.put("company", company);
        String number = given().contentType(ContentType.JSON).body(body).when().post("/api/tickets").then()
                .statusCode(201).extract().path("number");
        awaitContract(number);
        return number;
    }

    /** The ERP has named the customer (else a re-triage could still change its deadlines). */
    void awaitContract(String number) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !"unknown".equals(
                Db.string(ds, "SELECT contract FROM ticket WHERE number = ?", number)));
    }

    /**
     * The ticket as if opened then: its opening time and the take-charge deadline the hub sets on opening (4 hours of
     * the desk's business time later; null for a customer without maintenance).
     */
    void openedAt(String number, OffsetDateTime created, OffsetDateTime due) {
        assertEquals(1, Db.update(ds, "UPDATE ticket SET created_at = ?, updated_at = ?, take_charge_due = ?"
                + " WHERE number = ?", created, created, due, number));
    }

    static void step(String number, String type, String onSite, OffsetDateTime at) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        if (onSite != null) {
            body.put("onSite", onSite);
        }
        body.put("at", at.toString());
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).contentType(ContentType.JSON).body(body)
                .when().post("/admin/tickets/" + number + "/steps").then().statusCode(200);
    }

    /** An SMDR record (IP Office's 17 first fields) of a one-segment inbound call. */
    static String call(String start, int connectedSeconds, int ringSeconds, long callId, String party) {
        return String.format("%s,00:%02d:%02d,%d,0611223344,I,0467100200,0467100200,,0,%d,0,%s,%s,T9001,Line 1.1,0,0",
                start, connectedSeconds / 60, connectedSeconds % 60, ringSeconds, callId, party,
                party.startsWith("V") ? "VM Channel" : "Alice Martin");
    }

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        // January: two tickets of a maintained customer taken in charge in 30 min and 1 h 30; one by mail from an
        // unknown sender (no contractual deadline); an intervention done in time; a workshop repair; an escalation.
        String t1 = open(Samples.unique("dash"), "4711-2026", "ACME");
        openedAt(t1, at("2018-01-08T09:00:00"), at("2018-01-08T13:00:00"));
        step(t1, "taken-in-charge", null, at("2018-01-08T09:30:00"));
        step(t1, "on-site-decided", "intervention", at("2018-01-08T10:00:00")); // due Tue 9th 15:30
        step(t1, "on-site-done", null, at("2018-01-09T14:00:00"));
        String t2 = open(Samples.unique("dash"), "4711-2026", "ACME");
        openedAt(t2, at("2018-01-09T09:00:00"), at("2018-01-09T13:00:00"));
        step(t2, "taken-in-charge", null, at("2018-01-09T10:30:00"));
        step(t2, "workshop-repaired", null, at("2018-01-20T10:00:00"));
        String sender = "dash-" + UUID.randomUUID().toString().substring(0, 8) + "@customer.example";
        try {
            MailClient.send(MailClient.message(sender, "Question sur la licence", "Combien de postes puis-je installer ?"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(
                () -> Db.string(ds, "SELECT number FROM ticket WHERE customer_email = ?", sender) != null);
        String t6 = Db.string(ds, "SELECT number FROM ticket WHERE customer_email = ?", sender);
        awaitContract(t6);
        assertEquals("not-maintained", Db.string(ds, "SELECT contract FROM ticket WHERE number = ?", t6));
        openedAt(t6, at("2018-01-15T10:00:00"), null);

        // February: opened Monday 17:00 and taken Tuesday 09:00 (16 h later, 2 h 30 of business time); one taken
        // late; an exchange done late; an intervention decided and never done (overdue); an escalation.
        String t3 = open(Samples.unique("dash"), "4711-2026", "ACME");
        openedAt(t3, at("2018-02-05T17:00:00"), at("2018-02-06T10:30:00"));
        step(t3, "taken-in-charge", null, at("2018-02-06T09:00:00"));
        step(t3, "on-site-decided", "exchange", at("2018-02-06T09:30:00")); // due Wed 7th 15:00
        step(t3, "on-site-done", null, at("2018-02-08T09:00:00"));
        String t4 = open(Samples.unique("dash"), "4711-2026", "ACME");
        openedAt(t4, at("2018-02-06T09:00:00"), at("2018-02-06T13:00:00"));
        step(t4, "taken-in-charge", null, at("2018-02-06T15:00:00"));
        step(t4, "on-site-decided", "intervention", at("2018-02-06T16:00:00")); // due Thu 8th 11:00

        // March: one never taken in charge (overdue); the hosted customer's blocking incident, 10:00 to 14:00.
        String t5 = open(Samples.unique("dash"), "4711-2026", "ACME");
        openedAt(t5, at("2018-03-05T09:00:00"), at("2018-03-05T13:00:00"));
        String t7 = open("ops-" + UUID.randomUUID().toString().substring(0, 8) + "@logistique-durand.fr", null,
                HOSTED_NAME);
        assertEquals(1, Db.count(ds, "SELECT COUNT(*) FROM ticket WHERE number = ? AND hosted AND customer_code = 'C0002'",
                t7));
        openedAt(t7, at("2018-03-12T10:00:00"), at("2018-03-12T14:00:00"));
        step(t7, "taken-in-charge", null, at("2018-03-12T10:15:00"));
        step(t7, "service-restored", null, at("2018-03-12T14:00:00"));

        // Escalations to R&D are journaled by jira/RdEscalation when R&D's bug is made (JiraFlowTest); here only
        // their journal entry matters, written the same way.
        QuarkusTransaction.requiringNew().run(() -> {
            records.record(ledger.findByNumber(t2).orElseThrow(), "escalated", "R&D bug DEV-1", null, false,
                    "DEV-dash-1", at("2018-01-15T11:00:00"));
            records.record(ledger.findByNumber(t4).orElseThrow(), "escalated", "R&D bug DEV-2", null, false,
                    "DEV-dash-2", at("2018-02-07T10:00:00"));
        });

        // Calls, as IP Office sends them: January two answered (10 s and 20 s to answer) and one abandoned;
        // February one to voicemail and one answered in 6 s.
        // "How did we do?" (issue 26.11), as ticket_satisfaction holds it (SatisfactionTest gives them through the
        // pages): January 5 and 2, February 4, March none.
        for (Object[] rating : new Object[][] { { t1, 5, at("2018-01-20T10:00:00") },
                { t2, 2, at("2018-01-31T23:30:00") }, { t3, 4, at("2018-02-10T09:00:00") } }) {
            assertEquals(1, Db.update(ds, "INSERT INTO ticket_satisfaction (ticket_id, rating, comment, given_at)"
                    + " SELECT id, ?, 'ok', ? FROM ticket WHERE number = ?", rating[1], rating[2], rating[0]));
        }

        for (String line : List.of(call("2018/01/10 09:00:00", 120, 10, 9018001, "E201"),
                call("2018/01/10 10:00:00", 60, 20, 9018003, "E202"),
                call("2018/01/11 11:00:00", 0, 30, 9018005, "E203"),
                call("2018/02/12 09:00:00", 30, 15, 9018007, "V9501"),
                call("2018/02/12 09:30:00", 200, 6, 9018009, "E201"))) {
            assertEquals(CallIntake.Result.CALL, calls.accept(line, "dashboard-test"), line);
        }
        seeded = true;
    }

    static Response get(String path) {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when().get(path);
    }

    /** Every figure of the CSV: "section|period|customer|figure" → value. */
    static Map<String, String> csvFigures(List<List<String>> csv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (List<String> r : csv.subList(1, csv.size())) {
            out.put(r.get(0) + "|" + r.get(1) + "|" + r.get(4) + "|" + r.get(6), r.get(7));
        }
        return out;
    }

    /** The data-value of a table's cell: the row's and the column's data-key. */
    static String cell(Document page, String table, String row, String column) {
        Element td = page.selectFirst("table#" + table + " tr[data-key=" + row + "] td[data-key=" + column + "]");
        assertNotNull(td, table + " " + row + " " + column);
        return td.attr("data-value");
    }

    /** What was seeded, section by section: period → values in the order of the columns. */
    static final Map<String, List<String>> EXPECTED_COLUMNS = Map.of(
            "tickets", List.of("web", "api", "email", "portal", "phone", "total"),
            "take-charge", List.of("committed", "under-1h", "1h-2h", "2h-4h", "over-4h", "overdue", "pending", "breaches",
                    "on-time-rate"),
            "on-site", List.of("committed", "on-time", "late", "overdue", "pending", "breaches", "on-time-rate"),
            "activities", List.of("interventions", "exchanges", "workshop-repairs", "escalations"),
            "calls", List.of("total", "answered", "abandoned", "voicemail", "abandoned-rate", "average-answer-seconds"),
            "satisfaction", List.of("average", "count"));

    static final Map<String, Map<String, List<String>>> EXPECTED = Map.of(
            "tickets", Map.of(
                    "2018-01", List.of("0", "2", "1", "0", "0", "3"),
                    "2018-02", List.of("0", "2", "0", "0", "0", "2"),
                    "2018-03", List.of("0", "2", "0", "0", "0", "2"),
                    "total", List.of("0", "6", "1", "0", "0", "7")),
            "take-charge", Map.of(
                    "2018-01", List.of("2", "1", "1", "0", "0", "0", "0", "0", "1"),
                    "2018-02", List.of("2", "0", "0", "1", "1", "0", "0", "1", "0.5"),
                    "2018-03", List.of("2", "1", "0", "0", "0", "1", "0", "1", "0.5"),
                    "total", List.of("6", "2", "1", "1", "1", "1", "0", "2", "0.6667")),
            "on-site", Map.of(
                    "2018-01", List.of("1", "1", "0", "0", "0", "0", "1"),
                    "2018-02", List.of("2", "0", "1", "1", "0", "2", "0"),
                    "2018-03", List.of("0", "0", "0", "0", "0", "0", ""),
                    "total", List.of("3", "1", "1", "1", "0", "2", "0.3333")),
            "activities", Map.of(
                    "2018-01", List.of("1", "0", "1", "1"),
                    "2018-02", List.of("0", "1", "0", "1"),
                    "2018-03", List.of("0", "0", "0", "0"),
                    "total", List.of("1", "1", "1", "2")),
            "calls", Map.of(
                    "2018-01", List.of("3", "2", "1", "0", "0.3333", "15"),
                    "2018-02", List.of("2", "1", "0", "1", "0", "6"),
                    "2018-03", List.of("0", "0", "0", "0", "0", ""),
                    "total", List.of("5", "3", "1", "1", "0.2", "12")),
            // by the day given, in Paris: 23:30 on 31 January is January's
            "satisfaction", Map.of(
                    "2018-01", List.of("3.5", "2"),
                    "2018-02", List.of("4", "1"),
                    "2018-03", List.of("", "0"),
                    "total", List.of("3.67", "3")));

    @Test
    void thePagesTablesGiveBackWhatWasSeeded() {
        String html = get("/admin/dashboard?" + PERIOD).then().statusCode(200)
                .contentType("text/html").extract().asString();
        Document page = Jsoup.parse(html);
        assertEquals("fr", page.selectFirst("html").attr("lang"), "the desk's language by default");
        EXPECTED.forEach((section, rows) -> rows.forEach((period, values) -> {
            List<String> columns = EXPECTED_COLUMNS.get(section);
            for (int i = 0; i < columns.size(); i++) {
                assertEquals(values.get(i), number(cell(page, section + "-table", period, columns.get(i))),
                        section + " " + period + " " + columns.get(i));
            }
        }));
        // the hosted customer: known as hosted from its March ticket on; 4 h down in March, above the budget
        Element hosted = page.selectFirst("table#availability-table tr[data-key=C0002]");
        assertNotNull(hosted, html);
        assertEquals(HOSTED_NAME, hosted.selectFirst("td[data-key=name]").text());
        assertEquals("", hosted.selectFirst("td[data-key=2018-01]").attr("data-value"));
        assertEquals("99.4616", hosted.selectFirst("td[data-key=2018-03]").attr("data-value"));
        assertTrue(hosted.selectFirst("td[data-key=2018-03]").hasClass("breach"));
        assertEquals("99.8147", hosted.selectFirst("td[data-key=total]").attr("data-value"));
        assertEquals("240", hosted.selectFirst("td[data-key=downtime-minutes]").attr("data-value"));
        assertEquals("1", hosted.selectFirst("td[data-key=months-below]").attr("data-value"));
        // numbers are written the French way
        assertEquals("20,0%", page.selectFirst("table#calls-table tr[data-key=total] td[data-key=abandoned-rate]").text()
                .replaceAll("[\\s\\u202f\\u00a0]", ""));
        assertEquals("99,46%(sousl'engagement)", hosted.selectFirst("td[data-key=2018-03]").text()
                .replaceAll("[\\s\\u202f\\u00a0]", ""));
        assertEquals("Prise en charge sous 4 h ouvrées", page.selectFirst("#take-charge-heading").text()
                .replace('\u00a0', ' '));
        // the satisfaction: out of 5, the French way, and among the key figures
        assertEquals("3,5 / 5", page.selectFirst("table#satisfaction-table tr[data-key=2018-01] td[data-key=average]")
                .text().replace('\u00a0', ' '));
        assertEquals("—", page.selectFirst("table#satisfaction-table tr[data-key=2018-03] td[data-key=average]")
                .text());
        assertEquals("3.67", page.selectFirst("dd[data-key=satisfaction.average]").attr("data-value"));
        assertEquals("3,7 / 5", page.selectFirst("dd[data-key=satisfaction.average]").text().replace('\u00a0', ' '));
        // semantic markup for assistive technology and the browser tests
        assertEquals(1, page.select("main").size());
        assertEquals(1, page.select("h1").size());
        for (Element table : page.select("table")) {
            assertNotNull(table.selectFirst("caption"), table.id());
            assertFalse(table.select("thead th[scope=col]").isEmpty(), table.id());
            assertFalse(table.select("tbody th[scope=row]").isEmpty(), table.id());
        }
        assertTrue(page.select("script").isEmpty(), "no script");
        assertTrue(page.select("[style]").isEmpty() && page.select("style").isEmpty(), "no inline style");
    }

    @Test
    void theCsvHoldsTheSameFiguresQuotedForExcel() {
        Response r = get("/admin/dashboard.csv?" + PERIOD);
        r.then().statusCode(200).contentType("text/csv").header("Content-Disposition",
                "attachment; filename=\"support-figures_2018-01-01_2018-03-31.csv\"");
        byte[] bytes = r.asByteArray();
        assertArrayEquals(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }, Arrays.copyOf(bytes, 3), "UTF-8 BOM");
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertTrue(text.startsWith(DashboardCsv.HEADER + "\r\n"), text);
        List<List<String>> csv = parseCsv(text);
        for (List<String> row : csv) {
            assertEquals(8, row.size(), row.toString());
        }
        Map<String, String> figures = csvFigures(csv);
        EXPECTED.forEach((section, rows) -> rows.forEach((period, values) -> {
            List<String> columns = EXPECTED_COLUMNS.get(section);
            for (int i = 0; i < columns.size(); i++) {
                String key = section + "|" + period + "||" + columns.get(i);
                assertTrue(figures.containsKey(key), key);
                assertEquals(values.get(i), number(figures.get(key)), key);
            }
        }));
        assertEquals("99.4616", figures.get("availability|2018-03|C0002|availability-percent"));
        assertEquals("240", figures.get("availability|2018-03|C0002|downtime-minutes"));
        assertEquals("178", figures.get("availability|2018-03|C0002|budget-minutes"));
        assertEquals("false", figures.get("availability|2018-03|C0002|commitment-met"));
        assertEquals("true", figures.get("availability|total|C0002|commitment-met"));
        assertEquals("", figures.get("availability|2018-01|C0002|availability-percent"), "not known as hosted yet");
        // the customer's name, with its comma and quotes, comes back whole
        List<String> hostedRow = csv.stream().filter(row -> "C0002".equals(row.get(4))).findFirst().orElseThrow();
        assertEquals(HOSTED_NAME, hostedRow.get(5));
        assertTrue(text.contains(",C0002,\"Logistique \"\"Durand\"\", fils\","), "quoted, quotes doubled");
        assertTrue(text.contains("tickets,2018-01,2018-01-01,2018-01-31,,,api,2\r\n"), text);
        // the same file from ?format=csv
        assertArrayEquals(bytes, get("/admin/dashboard?format=csv&" + PERIOD).then().statusCode(200).extract()
                .asByteArray());
    }

    @Test
    void theFiguresApiSaysHowTheDeadlinesWereKept() {
        io.restassured.path.json.JsonPath feb = get("/api/stats?from=2018-02-01&to=2018-02-28").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(240, feb.getInt("support.takeCharge.commitmentMinutes"));
        assertEquals(2, feb.getInt("support.takeCharge.committed"));
        assertEquals(1, feb.getInt("support.takeCharge.upToCommitment"), "16 h after opening, 2 h 30 of business time");
        assertEquals(1, feb.getInt("support.takeCharge.late"));
        assertEquals(1, feb.getInt("support.takeCharge.breaches"));
        assertEquals(0.5, feb.getDouble("support.takeCharge.onTimeRate"), 1e-9);
        assertEquals(960, feb.getInt("support.onSite.commitmentMinutes"));
        assertEquals(1, feb.getInt("support.onSite.late"));
        assertEquals(1, feb.getInt("support.onSite.overdue"));
        io.restassured.path.json.JsonPath march = get("/api/stats/availability?month=2018-03").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("C0002"), march.getList("customers.customer"));
        assertEquals(HOSTED_NAME, march.getString("customers[0].name"));
        assertEquals(240, march.getLong("customers[0].downtimeMinutes"));
        assertEquals(List.of(), get("/api/stats/availability?month=2018-02").then().statusCode(200).extract().jsonPath()
                .getList("customers"), "not known as hosted before its first ticket");
    }

    @Test
    void theChartsAreWellFormedSvgWithATitleAndADescription() throws Exception {
        String html = get("/admin/dashboard?lang=en&" + PERIOD).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL).matcher(html);
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            org.w3c.dom.Element svg = f.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8))).getDocumentElement();
            assertEquals("svg", svg.getLocalName());
            assertEquals("http://www.w3.org/2000/svg", svg.getNamespaceURI());
            assertEquals("img", svg.getAttribute("role"));
            String id = svg.getAttribute("id");
            assertEquals(id + "-title " + id + "-desc", svg.getAttribute("aria-labelledby"));
            assertFalse(svg.getElementsByTagName("title").item(0).getTextContent().isBlank());
            assertFalse(svg.getElementsByTagName("desc").item(0).getTextContent().isBlank());
            assertTrue(svg.getElementsByTagName("rect").getLength() > 0, id);
            ids.add(id);
        }
        assertEquals(List.of("tickets-chart", "take-charge-chart", "on-site-chart", "activities-chart", "calls-chart",
                "satisfaction-chart", "availability-chart"), ids);
        Document page = Jsoup.parse(html);
        // the satisfaction's months: a bar for each month rated (none for March), against the scale of 5
        assertEquals(2, page.select("#satisfaction-chart .bars rect").size());
        assertEquals("en", page.selectFirst("html").attr("lang"));
        // issue 26: dates nobody misreads (not the US "1/1/18 – 3/31/18")
        assertTrue(page.selectFirst("title").text().endsWith("1 Jan 2018 – 31 Mar 2018"), page.title());
        assertTrue(page.selectFirst("p.intro strong").text().equals("1 Jan 2018 – 31 Mar 2018"),
                page.selectFirst("p.intro").text());
        for (String id : ids) {
            // each chart has its table beside it, in the same section
            Element section = page.getElementById(id).closest("section");
            assertNotNull(section.selectFirst("table"), id);
        }
        // the histogram's bars: under 1 h, 1-2 h, 2-4 h, late, overdue
        assertEquals(5, page.select("#take-charge-chart .bars rect").size());
        assertNotNull(page.selectFirst("#availability-chart .reference line"), "the 99.6 % commitment is drawn");
        assertTrue(page.getElementById("availability-chart").text().contains("Commitment 99.60%"),
                page.getElementById("availability-chart").text());
    }

    @Test
    void aPeriodWithoutDataSaysSo() {
        String html = get("/admin/dashboard?from=2014-01-01&to=2014-06-30&lang=en").then().statusCode(200).extract()
                .asString();
        Document page = Jsoup.parse(html);
        assertEquals(8, page.select("p.no-data").size(), "the seven sections and the interventions' map: " + html);
        assertTrue(page.select("p.no-data").stream().allMatch(p -> p.text().equals("No data for this period.")));
        assertTrue(page.select("svg").isEmpty());
        assertEquals("0", cell(page, "tickets-table", "total", "total"));
        List<List<String>> csv = parseCsv(new String(get("/admin/dashboard.csv?from=2014-01-01&to=2014-06-30").then()
                .statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8).substring(1));
        assertEquals("0", csvFigures(csv).get("tickets|total||total"));
        assertTrue(csv.stream().noneMatch(r -> r.get(0).equals("availability")));
    }

    @Test
    void onlyAdminsSeeItAndABadPeriodIsExplained() {
        String challenge = given().when().get("/admin/dashboard").then().statusCode(401).extract()
                .header("WWW-Authenticate");
        assertTrue(challenge != null && challenge.toLowerCase(java.util.Locale.ROOT).startsWith("basic"),
                "a browser asks for the login: " + challenge);
        given().auth().preemptive().basic("admin", "wrong").when().get("/admin/dashboard").then().statusCode(401);
        given().when().get("/admin/dashboard.csv?" + PERIOD).then().statusCode(401);
        given().when().get("/admin/dashboard?format=csv&" + PERIOD).then().statusCode(401);
        Document bad = Jsoup.parse(get("/admin/dashboard?from=2018-02-30&lang=es").then().statusCode(400)
                .contentType("text/html").extract().asString());
        assertEquals("Las fechas se escriben AAAA-MM-DD.", bad.selectFirst("[role=alert]").text());
        get("/admin/dashboard?from=2018-03-01&to=2018-01-01").then().statusCode(400);
        get("/admin/dashboard.csv?from=2010-01-01&to=2018-01-01").then().statusCode(400)
                .contentType("application/problem+json");
        // the default period: the last 12 months up to today
        Document page = Jsoup.parse(get("/admin/dashboard").then().statusCode(200).extract().asString());
        assertEquals(13, page.select("table#tickets-table tbody tr").size(), "12 months and the total");
    }

    /**
     * Issue 26.8, in Chromium: under every chart the labels of the x axis and the legend's items never overlap and
     * none is cut by its chart, whatever the number of months (one; a quarter with a part of a month at each end;
     * twelve months and a part; three years; the default, the last twelve months) and the language, at a desktop's width and a phone's; at a phone's width
     * the period in the page's introduction stays on one line. Each label's box is measured as the browser draws it.
     */
    @Test
    void theChartsLabelsNeitherOverlapNorAreCutWhateverThePeriod() {
        try (Browser b = Browser.start()) {
            // the admin's login, sent with every request of the browser (HTTP Basic, as a manager's browser sends it)
            b.driver().executeCdpCommand("Network.enable", Map.of());
            b.driver().executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                    "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + TestSettings.ADMIN_PASSWORD)
                            .getBytes(StandardCharsets.UTF_8)))));
            String base = "http://localhost:" + io.restassured.RestAssured.port + "/admin/dashboard?";
            List<String> problems = new ArrayList<>();
            int charts = 0;
            // the last ends with the default period: the last twelve months up to today
            for (String period : List.of("from=2018-01-01&to=2018-01-31", "from=2017-12-15&to=2018-03-10",
                    "from=2017-03-15&to=2018-03-10", "from=2015-03-15&to=2018-03-10", "")) {
                for (String lang : List.of("fr", "en", "es")) {
                    for (int width : new int[] { 1280, 375 }) {
                        b.size(width, 900);
                        b.driver().get(base + period + "&lang=" + lang);
                        charts += ((Number) b.js("return document.querySelectorAll('figure.chart svg').length;"))
                                .intValue();
                        @SuppressWarnings("unchecked")
                        List<String> found = (List<String>) b.js(LABEL_PROBLEMS);
                        found.forEach(f -> problems.add(period + " " + lang + " " + width + " px: " + f));
                        if (width == 375 && !Long.valueOf(1).equals(b.js("return document.querySelector("
                                + "'p.intro strong').getClientRects().length;"))) {
                            problems.add(period + " " + lang + " " + width + " px: the period is not on one line");
                        }
                    }
                }
                b.size(1280, 900);
                b.driver().get(base + period + "&lang=fr");
                b.screenshot("dashboard-" + (period.isEmpty() ? "default" : period.replace("&", "_").replace("=", "-")));
            }
            assertTrue(charts >= 4 * 3 * 2 * 5, "the charts drawn: " + charts);
            assertEquals(List.of(), problems);
        }
    }

    /**
     * Every label under a chart (the x axis' and the legend's: a text, or a legend's colour box) that overlaps
     * another one of its chart, or reaches out of its chart's box, as "chart: what".
     */
    static final String LABEL_PROBLEMS = """
            const out = [];
            for (const svg of document.querySelectorAll('figure.chart svg')) {
              const frame = svg.getBoundingClientRect();
              const boxes = [...svg.querySelectorAll('.labels text, .legend text, .legend rect')]
                  .map(e => ({ what: e.textContent || 'a legend box', r: e.getBoundingClientRect() }));
              for (const b of boxes) {
                if (b.r.left < frame.left - 0.5 || b.r.right > frame.right + 0.5 || b.r.top < frame.top - 0.5
                    || b.r.bottom > frame.bottom + 0.5) {
                  out.push(svg.id + ': "' + b.what + '" is cut by its chart');
                }
              }
              for (let i = 0; i < boxes.length; i++) {
                for (let j = i + 1; j < boxes.length; j++) {
                  const a = boxes[i].r, c = boxes[j].r;
                  if (a.left < c.right - 0.5 && c.left < a.right - 0.5 && a.top < c.bottom - 0.5 && c.top < a.bottom - 0.5) {
                    out.push(svg.id + ': "' + boxes[i].what + '" overlaps "' + boxes[j].what + '"');
                  }
                }
              }
            }
            return out;
            """;

    /** "1.0" and "1" are the same figure; the rest as written. */
    static String number(String v) {
        if (v.matches("-?\\d+\\.\\d+")) {
            return new java.math.BigDecimal(v).stripTrailingZeros().toPlainString();
        }
        return v;
    }

    /** RFC 4180: fields separated by commas, CRLF line ends, quoted fields with doubled quotes. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertTrue(row.isEmpty() && field.length() == 0, "the file ends with CRLF");
        return rows;
    }
}
