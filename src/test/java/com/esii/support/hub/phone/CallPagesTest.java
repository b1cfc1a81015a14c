package com.esii.support.hub.phone;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.AdminRequests;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The calls' page (issue 26.9): calls reported over SMDR in a period of their own (April 2017), the latest first,
 * the agent's name shown as text, a period that is not two dates, the lines that were not records; the JSON
 * unchanged.
 */
@QuarkusTest
class CallPagesTest extends HubTestResources {

    @Inject
    CallIntake calls;

    /** An SMDR record (IP Office's first fields) of a one-segment inbound call. */
    static String call(String start, int talkSeconds, int ringSeconds, long callId, String agent) {
        return String.format("%s,00:%02d:%02d,%d,0611223344,I,0467100200,0467100200,,0,%d,0,E201,%s,T9001,Line 1.1,0,0",
                start, talkSeconds / 60, talkSeconds % 60, ringSeconds, callId, agent);
    }

    @Test
    void theCallsOfAPeriodTheLatestFirst() {
        long id = ThreadLocalRandom.current().nextLong(100_000_000, 900_000_000);
        assertEquals(CallIntake.Result.CALL, calls.accept(call("2017/04/10 09:00:00", 125, 10, id, "Alice Martin"),
                "call-pages-test"));
        assertEquals(CallIntake.Result.CALL, calls.accept(call("2017/04/11 15:30:00", 42, 7, id + 2,
                "<b>Bruno</b> Petit"), "call-pages-test"));
        String rejected = "not a record <script>x</script> " + id;
        assertEquals(CallIntake.Result.REJECTED, calls.accept(rejected, "call-pages-test"));

        String raw = AdminRequests.browser().when().get("/admin/phone/calls?from=2017-04-01&to=2017-04-30&lang=en")
                .asString();
        assertFalse(raw.contains("<b>Bruno</b>"), "a name from the phone system is text");
        Document page = AdminRequests.page("/admin/phone/calls?from=2017-04-01&to=2017-04-30&lang=en");
        assertEquals(List.of(String.valueOf(id + 2), String.valueOf(id)), page.select("#calls tbody tr")
                .eachAttr("data-call"), "the latest first");
        Element latest = page.selectFirst("#calls tbody tr");
        assertEquals("2017-04-11 15:30", latest.child(0).text());
        assertEquals("in", latest.child(1).text());
        assertEquals("answered", latest.child(2).text());
        assertEquals("<b>Bruno</b> Petit", latest.child(5).text());
        assertEquals("7", latest.child(6).text());
        assertEquals("42", latest.child(7).text());
        assertEquals("2017-04-01", page.select("#from").val());
        assertTrue(page.select("#rejected").text().contains(rejected), "the latest lines that were no record");

        Document oneDay = AdminRequests.page("/admin/phone/calls?from=2017-04-10&to=2017-04-10");
        assertEquals(List.of(String.valueOf(id)), oneDay.select("#calls tbody tr").eachAttr("data-call"),
                "both days included, no more");
        assertEquals("entrant", oneDay.selectFirst("#calls tbody tr").child(1).text(), "the desk's language");
    }

    @Test
    void aPeriodThatIsNotTwoDatesIsExplainedAndTheJsonIsUnchanged() {
        Document bad = AdminRequests.page("/admin/phone/calls?from=2017-13-01&lang=en", 400);
        assertEquals("Dates are written YYYY-MM-DD.", bad.select("#error[role=alert]").text());
        assertEquals("2017-13-01", bad.select("#from").val(), "what was typed stays");
        assertTrue(bad.select("#calls").isEmpty());
        assertEquals(400, given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                .get("/admin/phone/calls?from=2017-13-01").then().extract().statusCode());
        assertTrue(given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                .get("/admin/phone/calls?from=2017-04-01&to=2017-04-30").then().statusCode(200).extract()
                .contentType().startsWith("application/json"));
        Document none = AdminRequests.page("/admin/phone/calls?from=1990-01-01&to=1990-01-02&lang=en");
        assertEquals("No call.", none.select("#no-calls").text());
    }
}
