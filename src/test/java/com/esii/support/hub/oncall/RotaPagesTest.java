package com.esii.support.hub.oncall;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.AdminRequests;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The rota's page (issue 26.9): who is on call now (as {@code /api/oncall/now} says), the technicians, a rotation and
 * an override as the JSON API stored them, names shown as text. The rotation and the override are in 2099, so that
 * they change nobody's duty in the other tests, and are removed at the end.
 */
@QuarkusTest
class RotaPagesTest extends HubTestResources {

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    @Test
    void theRotaShowsWhoIsOnCallTheRotationsAndTheOverrides() {
        String code = "rota" + UUID.randomUUID().toString().substring(0, 6);
        String rotation = "page-" + code;
        admin().body(Map.of("name", "<b>Eve</b> Durand", "email", code + "@example.com", "phone", "+33 6 00 00 00 01"))
                .when().put("/admin/oncall/technicians/" + code).then().statusCode(200);
        admin().body(Map.of("startsOn", "2099-01-05", "members", List.of(code))).when()
                .put("/admin/oncall/rotations/" + rotation).then().statusCode(200);
        long override = ((Number) admin().body(Map.of("from", "2099-03-27T18:30:00+01:00", "to",
                "2099-03-30T08:00:00+02:00", "technician", code, "reason", "swap <i>with</i> Bruno")).when()
                .post("/admin/oncall/overrides").then().statusCode(201).extract().path("id")).longValue();
        try {
            Response raw = AdminRequests.browser().when().get("/admin/oncall?lang=en");
            assertFalse(raw.asString().contains("<b>Eve</b>"), "a name is text");
            Document page = AdminRequests.page("/admin/oncall?lang=en");
            assertEquals("On-call rota", page.select("h1").text());
            Element technician = page.selectFirst("#technicians tr[data-code=" + code + "]");
            assertEquals(List.of(code, "<b>Eve</b> Durand", code + "@example.com", "+33 6 00 00 00 01"),
                    technician.select("td").eachText());
            Element row = page.select("#rotations tbody tr").stream().filter(r -> r.child(0).text().equals(rotation))
                    .findFirst().orElseThrow();
            assertEquals("2099-01-05", row.child(1).text());
            assertEquals(List.of("<b>Eve</b> Durand (" + code + ")"), row.select("ol li").eachText());
            Element o = page.selectFirst("#overrides tr[data-override=" + override + "]");
            assertEquals(List.of("2099-03-27 18:30", "2099-03-30 08:00", "<b>Eve</b> Durand (" + code + ")",
                    "swap <i>with</i> Bruno"), o.select("td").eachText(), "times in the desk's zone (Paris)");

            // now: as the JSON API says
            Map<String, Object> now = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                    .get("/api/oncall/now").then().statusCode(200).extract().jsonPath().getMap("$");
            if (now.get("onCall") != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> technicianNow = (Map<String, Object>) ((Map<String, Object>) now.get("onCall"))
                        .get("technician");
                assertTrue(page.select("#now strong").text().endsWith("(" + technicianNow.get("code") + ")"),
                        page.select("#now").text());
            } else if (Boolean.TRUE.equals(now.get("deskOpen"))) {
                assertEquals("The desk is open: nobody is on call now.", page.select("#now").text());
            } else {
                assertEquals("The desk is closed and nobody is on call: check the rotations.",
                        page.select("#now").text());
            }
            assertEquals("Astreinte", AdminRequests.page("/admin/oncall").select("h1").text());
        } finally {
            admin().when().delete("/admin/oncall/overrides/" + override).then().statusCode(204);
            admin().when().delete("/admin/oncall/rotations/" + rotation).then().statusCode(204);
            admin().when().delete("/admin/oncall/technicians/" + code).then().statusCode(204);
        }
    }
}
