package com.esii.support.hub.phone;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.erp.ContractDirectory;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.FreePorts;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;
import com.esii.support.hub.testing.WireMockResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The phone channel end to end: a week of IP Office SMDR records ({@code smdr/ipoffice-week.smdr}, written by
 * {@code smdr/generate.py}, which prints the figures asserted here) replayed over TCP the way IP Office sends them:
 * two connections at once, lines cut across writes, NUL bytes, resent records, malformed lines, and one connection
 * reset in the middle of a line and opened again. Then the calls, the figures of /api/stats and the metrics, the
 * customers found (access code, caller number, ticket number as account code) and the ticket's history.
 */
@QuarkusTest
@QuarkusTestResource(PhoneChannelTest.PhoneOn.class)
class PhoneChannelTest extends HubTestResources {

    /** The phone channel on a free port (a global test resource: every test app listens, only these tests send). */
    public static class PhoneOn implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("hub.phone.enabled", "true", "hub.phone.port", String.valueOf(FreePorts.next()));
        }

        @Override
        public void stop() {
        }
    }

    static final String WEEK = "from=2026-03-02&to=2026-03-06";
    static final String WEEK_SQL = "call_start >= TIMESTAMP WITH TIME ZONE '2026-03-02 00:00:00+01'"
            + " AND call_start < TIMESTAMP WITH TIME ZONE '2026-03-07 00:00:00+01'";
    /** Calls in the file: 147 inbound (112 answered, 25 abandoned, 10 voicemail), 10 outbound, 5 internal. */
    static final int CALLS = 162;
    static final Pattern CALL_ID = Pattern.compile("^(?:\\x00)*[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,(\\d+),");

    /** What the replay of the week left, for the tests to look at (the replay runs once per test run). */
    static String ticket;
    static Map<String, Double> metricsBefore;
    static Map<String, Double> metricsAfter;
    static long rejectedBefore;
    static boolean replayed;
    static Throwable replayFailure;

    @Inject
    DataSource ds;

    @Inject
    ContractDirectory contracts;

    @Inject
    CallIntake intake;

    static int port() {
        return ConfigProvider.getConfig().getValue("hub.phone.port", Integer.class);
    }

    @BeforeEach
    void replayTheWeekOnce() throws Exception {
        synchronized (PhoneChannelTest.class) {
            if (replayed) {
                if (replayFailure != null) {
                    throw new AssertionError("the replay of the week failed", replayFailure);
                }
                return;
            }
            replayed = true;
            try {
                replay();
            } catch (Exception | AssertionError e) {
                replayFailure = e;
                throw e;
            }
        }
    }

    private void replay() throws Exception {
        {
            WireMockResource.reset();
            contracts.forgetAll();
            Map<String, Object> body = new HashMap<>(Samples.ticket(Samples.unique("caller")));
            body.put("accessCode", "4711-2026");
            String number = given().contentType(ContentType.JSON).body(body).when().post("/api/tickets")
                    .then().statusCode(201).extract().path("number");
            metricsBefore = metrics();
            rejectedBefore = Db.count(ds, "SELECT count(*) FROM phone_rejected_line");

            List<String> lines = SmdrClient.records("/smdr/ipoffice-week.smdr", "TICKET", number,
                    "TICKET_DIGITS", number.replaceAll("\\D", ""));
            assertTrue(lines.size() >= 200, "the stream has " + lines.size() + " lines");
            // Two connections at once; a call's segments all go through the same one, in order.
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            for (String l : lines) {
                Matcher m = CALL_ID.matcher(l);
                (m.find() && (Long.parseLong(m.group(1)) / 2) % 2 == 1 ? b : a).add(l);
            }
            int cut = a.size() / 2;
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try (SmdrClient client = new SmdrClient(port(), 2)) {
                    client.send(b, 200);
                }
            });
            SmdrClient first = new SmdrClient(port(), 1);
            first.send(a.subList(0, cut), 300);
            // The phone system restarts in the middle of a record, reconnects and sends that record again.
            first.dropInTheMiddleOf(a.get(cut), 40, false);
            try (SmdrClient again = new SmdrClient(port(), 3)) {
                again.send(a.subList(cut, a.size()), 300);
            }
            second.get();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Db.count(ds, "SELECT count(*) FROM phone_call WHERE " + WEEK_SQL) >= CALLS
                            && Db.count(ds, "SELECT count(*) FROM phone_rejected_line") >= rejectedBefore + 7);
            metricsAfter = metrics();
            ticket = number;
        }
    }

    static JsonPath stats(String query) {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                .get(query.isEmpty() ? "/api/stats" : "/api/stats?" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    static Map<String, Object> call(long callId) {
        List<Map<String, Object>> calls = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .when().get("/admin/phone/calls?" + WEEK + "&limit=1000").then().statusCode(200).extract()
                .jsonPath().getList("calls");
        return calls.stream().filter(c -> ((Number) c.get("callId")).longValue() == callId).findFirst()
                .orElseThrow(() -> new AssertionError("no call " + callId));
    }

    static Map<String, Double> metrics() {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> out = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^(hub_phone_[a-z_]+(?:\\{[^}]*\\})?) ([0-9.Ee+-]+)$").matcher(text);
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    static double delta(String series) {
        return metricsAfter.getOrDefault(series, 0.0) - metricsBefore.getOrDefault(series, 0.0);
    }

    @Test
    void everyCallOfTheWeekIsAssembledOnce() {
        assertEquals(CALLS, Db.count(ds, "SELECT count(*) FROM phone_call WHERE " + WEEK_SQL));
        assertEquals(147, Db.count(ds, "SELECT count(*) FROM phone_call WHERE direction = 'INBOUND' AND " + WEEK_SQL));
        assertEquals(10, Db.count(ds, "SELECT count(*) FROM phone_call WHERE direction = 'OUTBOUND' AND " + WEEK_SQL));
        assertEquals(5, Db.count(ds, "SELECT count(*) FROM phone_call WHERE direction = 'INTERNAL' AND " + WEEK_SQL));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM phone_call WHERE NOT complete AND " + WEEK_SQL));
        assertEquals(198, Db.count(ds, "SELECT count(*) FROM phone_call_segment WHERE " + WEEK_SQL),
                "198 records; the 4 resent ones and the record cut by the reset are stored once");
    }

    @Test
    void transfersConferencesVoicemailAndAbandonedCallsAreReadRight() {
        Map<String, Object> transfer = call(1004002);
        assertEquals("answered", transfer.get("outcome"));
        assertEquals("204", transfer.get("agentExtension"));
        assertEquals("David Blanc", transfer.get("agentName"));
        assertEquals(7, transfer.get("answerSeconds"));
        assertEquals(54 + 170, transfer.get("talkSeconds"));
        assertEquals(14, transfer.get("holdSeconds"));
        assertEquals(2, transfer.get("segments"));
        assertEquals("2026-03-02T08:14:33+01:00", transfer.get("callStart"));

        Map<String, Object> threeAgents = call(1004040);
        assertEquals(3, threeAgents.get("segments"));
        assertEquals(11, threeAgents.get("answerSeconds"));
        assertEquals(244 + 219 + 194, threeAgents.get("talkSeconds"));
        assertEquals(20, threeAgents.get("holdSeconds"));

        Map<String, Object> conference = call(1004034);
        assertEquals("answered", conference.get("outcome"));
        assertEquals(114 + 862, conference.get("talkSeconds"));

        Map<String, Object> voicemail = call(1004006);
        assertEquals("voicemail", voicemail.get("outcome"));
        assertEquals(24, voicemail.get("ringSeconds"));
        assertNull(voicemail.get("answerSeconds"));

        Map<String, Object> abandoned = call(1004020);
        assertEquals("abandoned", abandoned.get("outcome"));
        assertEquals(9, abandoned.get("ringSeconds"));
        assertNull(abandoned.get("caller"), "a withheld number");
        assertEquals("NONE", abandoned.get("customerStatus"));
    }

    @Test
    void theFiguresOfTheWeekAreTheBrochures() {
        JsonPath week = stats(WEEK);
        assertEquals(147, week.getInt("calls.total"));
        assertEquals(112, week.getInt("calls.answered"));
        assertEquals(25, week.getInt("calls.abandoned"));
        assertEquals(10, week.getInt("calls.voicemail"));
        assertEquals(0.1701, week.getDouble("calls.abandonedRate"), 1e-9);
        assertEquals(14.6, week.getDouble("calls.averageAnswerSeconds"), 1e-9);
        assertEquals("Europe/Paris", week.getString("zone"));

        JsonPath days = stats(WEEK + "&period=day");
        assertEquals(List.of(29, 29, 31, 29, 29), days.getList("periods.calls.total"));
        assertEquals(List.of(5, 5, 5, 5, 5), days.getList("periods.calls.abandoned"));
        assertEquals(List.of(13.5f, 16.0f, 13.1f, 16.0f, 14.5f), days.getList("periods.calls.averageAnswerSeconds"));
        assertEquals("2026-03-04", days.getString("periods[2].start"));

        JsonPath month = stats("from=2026-02-15&to=2026-03-08&period=month");
        assertEquals(List.of("2026-02-15", "2026-03-01"), month.getList("periods.start"));
        assertEquals(List.of("2026-02-28", "2026-03-08"), month.getList("periods.end"));
        assertEquals(0, month.getInt("periods[0].calls.total"));
        assertEquals(147, month.getInt("periods[1].calls.total"));
    }

    @Test
    void theFiguresAreForAdminsAndSayWhatIsWrongWithARange() {
        given().when().get("/api/stats?" + WEEK).then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong").when().get("/api/stats?" + WEEK).then().statusCode(401);
        for (String bad : List.of("from=2026-03-32", "from=2026-03-06&to=2026-03-02", "period=week",
                "from=2020-01-01&to=2026-01-01")) {
            given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when().get("/api/stats?" + bad)
                    .then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void ticketsOpenedTodayAreCountedByChannel() {
        JsonPath today = stats("");
        assertTrue(today.getInt("tickets.byChannel.api") >= 1, today.prettify());
        assertEquals(today.getInt("tickets.total"), today.getInt("tickets.byChannel.api")
                + today.getInt("tickets.byChannel.web") + today.getInt("tickets.byChannel.email")
                + today.getInt("tickets.byChannel.portal") + today.getInt("tickets.byChannel.phone"));
    }

    @Test
    void callsAreTheirCustomersActivityAndATicketNumberAsAccountCodeWritesTheTicketsHistory() {
        // 4711-2026 entered as account code (5), and the two calls about the ticket of customer C0001
        assertEquals(7, Db.count(ds, "SELECT count(*) FROM phone_call WHERE customer_code = 'C0001' AND " + WEEK_SQL));
        // caller number 0499000001, no account code
        assertEquals(5, Db.count(ds, "SELECT count(*) FROM phone_call WHERE customer_code = 'C0002' AND " + WEEK_SQL));
        // NM-0003 (abandoned calls still are the customer's activity)
        assertEquals(5, Db.count(ds, "SELECT count(*) FROM phone_call WHERE customer_code = 'C0003' AND " + WEEK_SQL));
        assertEquals(5, Db.count(ds, "SELECT count(*) FROM phone_call WHERE account_code = '9999-0000'"
                + " AND customer_status = 'NOT_FOUND' AND " + WEEK_SQL), "an access code the ERP does not know");
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .when().get("/admin/phone/calls?customer=C0002").then().statusCode(200)
                .body("calls.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(5))
                .body("calls[0].caller", org.hamcrest.Matchers.equalTo("0499000001"));

        JsonPath staff = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .when().get("/admin/tickets/" + ticket).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> calls = staff.<Map<String, Object>>getList("history").stream()
                .filter(e -> "phone-call".equals(e.get("type"))).toList();
        assertEquals(2, calls.size(), staff.prettify());
        assertTrue(calls.stream().allMatch(e -> "phone".equals(e.get("source"))));
        assertTrue(calls.stream().anyMatch(e -> ((String) e.get("detail")).startsWith("Call from 0677283038 at"
                + " 2026-03-04 18:20: answered by extension 201 (Alice Martin) after 6 s; talk 4 min 0 s, hold 30 s")),
                calls.toString());
        assertTrue(calls.stream().anyMatch(e -> ((String) e.get("detail")).contains("answered by extension 202"
                + " (Bruno Petit) after 9 s; talk 2 min 30 s; 2 segments")),
                "the number typed on the keypad (digits only) finds the ticket too: " + calls);
        assertTrue(calls.stream().anyMatch(e -> "2026-03-04T17:20:00Z".equals(e.get("at"))), "when the call was");
        assertEquals(2, Db.count(ds, "SELECT count(*) FROM phone_call p JOIN ticket t ON t.id = p.ticket_id"
                + " WHERE t.number = ?", ticket));
    }

    @Test
    void malformedLinesAndTheCutRecordAreRecordedWithTheirReason() {
        List<Map<String, Object>> rejected = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .when().get("/admin/phone/rejected?limit=1000").then().statusCode(200).extract().jsonPath()
                .getList("rejected");
        List<String> reasons = rejected.stream().map(r -> (String) r.get("reason")).toList();
        for (String reason : List.of("1 fields, at least 17 expected (up to Park Time)",
                "6 fields, at least 17 expected (up to Park Time)",
                "Call Start '2026/02/30 10:00:00' is not YYYY/MM/DD HH:MM:SS", "Direction 'X' is neither I nor O",
                "Ring Time 'five' is not a number of seconds", "Connected Time '1:00' is not HH:MM:SS",
                "connection closed in the middle of a line (40 bytes)")) {
            assertTrue(reasons.contains(reason), reason + " in " + reasons);
        }
        assertTrue(rejected.stream().anyMatch(r -> "IP Office SMDR restarted".equals(r.get("line"))));
    }

    @Test
    void theMetricsCountTheCallsAndTheRejectedLines() {
        assertEquals(112, delta("hub_phone_calls_total{outcome=\"answered\"}"));
        assertEquals(25, delta("hub_phone_calls_total{outcome=\"abandoned\"}"));
        assertEquals(10, delta("hub_phone_calls_total{outcome=\"voicemail\"}"));
        assertEquals(7, delta("hub_phone_rejected_lines_total"));
        assertEquals(112, delta("hub_phone_answer_seconds_count"));
        assertEquals(1635, delta("hub_phone_answer_seconds_sum"), "average 14.6 s");
    }

    @Test
    void theSameStreamReplayedChangesNothing() {
        List<String> lines = SmdrClient.records("/smdr/ipoffice-week.smdr", "TICKET", ticket,
                "TICKET_DIGITS", ticket.replaceAll("\\D", ""));
        String marker = "2026/03/10 09:00:00,00:01:00,5,0612345678,I,0467100200,0467100200,,0,"
                + (2_000_000 + System.nanoTime() % 1_000_000) + ",0,E201,Alice Martin,T9001,Line 1.1,0,0";
        lines.add(marker);
        long before = Db.count(ds, "SELECT count(*) FROM phone_call");
        try (SmdrClient client = new SmdrClient(port(), 4)) {
            client.send(lines, 4096);
        }
        // Lines of one connection are taken in order: once the marker's call is there, the replay is done.
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(ds, "SELECT count(*) FROM phone_call") == before + 1);
        assertEquals(CALLS, Db.count(ds, "SELECT count(*) FROM phone_call WHERE " + WEEK_SQL));
        assertEquals(147, stats(WEEK).getInt("calls.total"));
        assertEquals(2, Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'phone-call'", ticket));
    }

    @Test
    void garbageAndRunawayLinesNeverStopTheListener() {
        long rejected = Db.count(ds, "SELECT count(*) FROM phone_rejected_line");
        byte[] garbage = new byte[3000];
        new java.util.Random(7).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == '\n' || garbage[i] == '\r') {
                garbage[i] = 'x';
            }
        }
        try (SmdrClient client = new SmdrClient(port(), 5)) {
            client.sendBytes(garbage).sendBytes("\r\n".getBytes(StandardCharsets.UTF_8))
                    .sendBytes(("2026/03/09 10:00:00," + "9".repeat(10_000) + "\r\n").getBytes(StandardCharsets.UTF_8))
                    .send(List.of(",,,,,,,,,,,,,,,,", "2026/03/09 10:05:00,00:02:00,5,0612345678,I,0467100200,"
                            + "0467100200,,0,1900001,0,E201,Alice Martin,T9001,Line 1.1,0,0"), 50);
            await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds,
                    "SELECT count(*) FROM phone_call WHERE call_id = 1900001") == 1);
            // the same connection still works
            client.send(List.of("2026/03/09 10:09:00,00:00:00,25,0612345678,I,0467100200,0467100200,,0,1900003,0,"
                    + "E201,Alice Martin,T9001,Line 1.1,0,0"), 50);
            await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds,
                    "SELECT count(*) FROM phone_call WHERE call_id = 1900003 AND outcome = 'ABANDONED'") == 1);
        }
        assertEquals(rejected + 3, Db.count(ds, "SELECT count(*) FROM phone_rejected_line"));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM phone_rejected_line WHERE reason ="
                + " 'line longer than 4096 bytes (10020 bytes)'"));
    }

    @Test
    void theListenerSurvivesAClientDroppingMidLineAndReconnecting() {
        String answered = "2026/03/11 10:00:00,00:03:00,4,0612345678,I,0467100200,0467100200,,0,1900101,0,E202,"
                + "Bruno Petit,T9002,Line 1.2,0,0";
        for (int attempt = 0; attempt < 3; attempt++) {
            new SmdrClient(port(), 10 + attempt).dropInTheMiddleOf(answered, 10 + attempt * 20, attempt != 1);
        }
        try (SmdrClient client = new SmdrClient(port(), 20)) {
            client.send(List.of(answered), 16);
            await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds,
                    "SELECT count(*) FROM phone_call WHERE call_id = 1900101 AND outcome = 'ANSWERED'") == 1);
        }
        // the cut line of the connection closed is on record (those of the resets too, unless the reset lost them)
        assertTrue(Db.count(ds, "SELECT count(*) FROM phone_rejected_line WHERE line LIKE '2026/03/11 10:00:00%'"
                + " AND reason = 'connection closed in the middle of a line (30 bytes)'") == 1);
    }

    @Test
    void aSegmentArrivingAfterItsCallMakesTheCallAgain() {
        String start = "2026/03/12 15:00:00";
        String last = start + ",00:00:30,0,0612345678,I,0467100200,0467100200,,0,1900201,0,V9501,VM Channel 1,"
                + "T9001,Line 1.1,0,0";
        String first = start + ",00:02:00,8,0612345678,I,0467100200,0467100200,,0,1900201,1,E203,Chloe Roux,"
                + "T9001,Line 1.1,0,0";
        try (SmdrClient client = new SmdrClient(port(), 30)) {
            client.send(List.of(last), 100);
            await().atMost(Duration.ofSeconds(20)).until(() -> "VOICEMAIL".equals(Db.string(ds,
                    "SELECT outcome FROM phone_call WHERE call_id = 1900201")));
            client.send(List.of(first), 100);
            await().atMost(Duration.ofSeconds(20)).until(() -> "ANSWERED".equals(Db.string(ds,
                    "SELECT outcome FROM phone_call WHERE call_id = 1900201")));
        }
        assertEquals("203", Db.string(ds, "SELECT agent_extension FROM phone_call WHERE call_id = 1900201"));
        assertEquals(2, Db.count(ds, "SELECT segments FROM phone_call WHERE call_id = 1900201"));
    }

    @Test
    void aBurstOfTheThreeThousandRecordsIpOfficeBuffersIsTakenWhole() {
        List<String> burst = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            String start = String.format("2026/04/01 %02d:%02d:%02d", 8 + i / 3600, (i / 60) % 60, i % 60);
            long id = 3_000_000 + 2L * i;
            burst.add(start + ",00:01:00,5,,I,0467100200,0467100200,,0," + id + ",1,E201,Alice Martin,T9001,"
                    + "Line 1.1,0,0");
            burst.add(start + ",00:02:00,0,,I,0467100200,0467100200,,0," + id + ",0,E202,Bruno Petit,T9001,"
                    + "Line 1.1,0,0");
        }
        long t0 = System.nanoTime();
        try (SmdrClient client = new SmdrClient(port(), 40)) {
            client.send(burst, 64 * 1024);
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> Db.count(ds,
                    "SELECT count(*) FROM phone_call WHERE call_id >= 3000000 AND call_id < 3003000") == 1500);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1500, Db.count(ds, "SELECT count(*) FROM phone_call WHERE call_id >= 3000000 AND call_id < 3003000"
                + " AND segments = 2 AND talk_seconds = 180"));
        System.out.printf("Burst of 3,000 SMDR records: %d calls in %d ms%n", 1500, ms);
    }

    @Test
    void aCallWhoseFinalSegmentNeverCameIsClosedAsItIs() {
        String line = "2026/03/13 09:00:00,00:02:00,6,0612345678,I,0467100200,0467100200,,0,1900301,1,E204,"
                + "David Blanc,T9001,Line 1.1,0,0";
        try (SmdrClient client = new SmdrClient(port(), 50)) {
            client.send(List.of(line), 100);
            await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds,
                    "SELECT count(*) FROM phone_call_segment WHERE call_id = 1900301") == 1);
        }
        intake.sweep();
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM phone_call WHERE call_id = 1900301"), "not yet");
        // as if it had come longer ago than hub.phone.incomplete-after (2h)
        try (var c = ds.getConnection(); var ps = c.prepareStatement(
                "UPDATE phone_call_segment SET received_at = received_at - INTERVAL '3 hours' WHERE call_id = 1900301")) {
            ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        intake.sweep();
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM phone_call WHERE call_id = 1900301 AND NOT complete"
                + " AND outcome = 'ANSWERED' AND agent_extension = '204'"));
    }

    @Test
    void aCallTakenWhileTheErpIsDownGetsItsCustomerWhenTheErpIsBack() {
        com.github.tomakehurst.wiremock.WireMockServer erp = WireMockResource.server();
        erp.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/api/v1/WebService/Execute"))
                .atPriority(1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(503)));
        contracts.forgetAll();
        try {
            try (SmdrClient client = new SmdrClient(port(), 60)) {
                client.send(List.of("2026/03/13 11:00:00,00:05:00,3,0698765432,I,0467100200,0467100200,NM-0003,0,"
                        + "1900401,0,E205,Emma Faure,T9002,Line 1.2,0,0"), 100);
                await().atMost(Duration.ofSeconds(20)).until(() -> "UNKNOWN".equals(Db.string(ds,
                        "SELECT customer_status FROM phone_call WHERE call_id = 1900401")));
            }
        } finally {
            WireMockResource.reset();
        }
        // once the ERP client's pause after a failure (300 ms in tests) is over, the sweep finds the customer
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            intake.sweep();
            return "C0003".equals(Db.string(ds, "SELECT customer_code FROM phone_call WHERE call_id = 1900401"));
        });
        assertEquals("FOUND", Db.string(ds, "SELECT customer_status FROM phone_call WHERE call_id = 1900401"));
    }
}
