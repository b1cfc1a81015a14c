package com.esii.support.hub.onsite;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
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
import io.restassured.specification.RequestSpecification;

/**
 * The field team's page (issue 26.9): a partner and an absence as the JSON API stored them, a name shown as text;
 * the member is removed at the end (nothing is planned on them).
 */
@QuarkusTest
class FieldTeamPagesTest extends HubTestResources {

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    @Test
    void theTeamAndItsAbsences() {
        String code = "page" + UUID.randomUUID().toString().substring(0, 6);
        admin().body(Map.of("name", "<b>Sud</b> Maintenance", "kind", "partner", "email", code + "@partner.example",
                "basePostcode", "34880", "departments", List.of("34", "30"))).when().put("/admin/field-team/" + code)
                .then().statusCode(200);
        // within the year ahead, which the page shows (as the JSON does)
        LocalDate day = LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(300);
        OffsetDateTime from = day.atTime(8, 0).atZone(ZoneId.of("Europe/Paris")).toOffsetDateTime();
        OffsetDateTime to = day.plusDays(1).atTime(18, 0).atZone(ZoneId.of("Europe/Paris")).toOffsetDateTime();
        long absence = ((Number) admin().body(Map.of("from", from.toString(), "to", to.toString(),
                "reason", "training")).when().post("/admin/field-team/" + code
                        + "/absences").then().statusCode(201).extract().path("id")).longValue();
        try {
            assertFalse(AdminRequests.browser().when().get("/admin/field-team").asString().contains("<b>Sud</b>"));
            Document page = AdminRequests.page("/admin/field-team?lang=en");
            Element member = page.selectFirst("#members tr[data-code=" + code + "]");
            assertEquals(List.of(code, "<b>Sud</b> Maintenance", "partner", code + "@partner.example", "", "34880",
                    "34, 30", "the desk's"), member.select("td").stream().map(Element::text).toList(), "no phone: empty");
            assertEquals(List.of("<b>Sud</b> Maintenance (" + code + ")", day + " 08:00", day.plusDays(1) + " 18:00",
                    "training"), page.select("#absences tbody tr").stream()
                            .filter(r -> r.child(0).text().endsWith("(" + code + ")")).findFirst().orElseThrow()
                            .select("td").eachText());
            assertEquals("partenaire", AdminRequests.page("/admin/field-team").selectFirst("#members tr[data-code="
                    + code + "]").child(2).text(), "the desk's language");
        } finally {
            admin().when().delete("/admin/field-team/absences/" + absence).then().statusCode(204);
            admin().when().delete("/admin/field-team/" + code).then().statusCode(204);
        }
    }
}
