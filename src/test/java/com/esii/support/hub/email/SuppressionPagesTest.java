package com.esii.support.hub.email;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.mailkit.Suppressions;
import com.esii.support.hub.testing.AdminRequests;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The suppressions' pages (issue 26.9): the list the latest first and in pages, an address and the form that lifts
 * its suppression, the result; an address not suppressed (any more); an address with characters a path must encode;
 * the JSON unchanged.
 */
@QuarkusTest
class SuppressionPagesTest extends HubTestResources {

    @Inject
    Suppressions suppressions;

    @Test
    void aSuppressionIsLiftedFromItsPage() {
        String address = "o'brien+a&b-" + UUID.randomUUID().toString().substring(0, 8) + "@customer.example";
        suppressions.suppress(address, "550 5.1.1 <script>user unknown</script>", OffsetDateTime.now());
        String canonical = suppressions.find(address).orElseThrow().address();

        Document list = AdminRequests.page("/admin/mail/suppressions?lang=en");
        assertEquals(canonical, list.select("#suppressions tbody tr").first().attr("data-address"), "the latest first");
        assertTrue(list.select("#suppressions tbody tr").first().text().contains("550 5.1.1 <script>user unknown</script>"));
        String href = list.select("#suppressions tbody tr").first().select("a").attr("href");
        assertTrue(href.startsWith("/admin/mail/suppressions/o%27brien%2Ba%26b-"), href);

        Document confirm = AdminRequests.page(href);
        assertEquals("Lift the suppression of " + canonical + "?", confirm.select("h1").text());
        String action = confirm.select("form[method=post]").attr("action");
        assertTrue(action.endsWith("/lift?lang=en"), action);
        assertTrue(suppressions.isSuppressed(canonical), "looking lifts nothing");

        Response lifted = AdminRequests.postForm(action);
        assertEquals(303, lifted.statusCode(), lifted.asString());
        assertFalse(suppressions.isSuppressed(canonical));
        String location = lifted.header("Location");
        Document after = AdminRequests.page(location.substring(location.indexOf("/admin")));
        assertEquals("The suppression of " + canonical + " is lifted: automatic mail goes to it again.",
                after.select("#result[role=status]").text());
        assertFalse(after.select("#suppressions tbody tr").eachAttr("data-address").contains(canonical));

        // the same form again: nothing to lift, and said
        Response again = AdminRequests.postForm(action);
        Document failed = AdminRequests.page(again.header("Location").substring(again.header("Location").indexOf("/admin")));
        assertEquals(canonical + " is not suppressed (any more).", failed.select("#result[role=alert]").text());
        Document gone = AdminRequests.page(href, 404);
        assertEquals(canonical + " is not suppressed (any more).", gone.select("[role=alert]").text());
    }

    @Test
    void theListComesInPagesNewestFirstAndTheJsonIsUnchanged() {
        String domain = UUID.randomUUID().toString().substring(0, 8) + ".example";
        List<String> mine = new ArrayList<>();
        OffsetDateTime t = OffsetDateTime.now().plusMinutes(1); // after every other test's
        for (int i = 0; i < 55; i++) {
            String a = "page" + i + "@" + domain;
            suppressions.suppress(a, "550 no such user", t.plusSeconds(i));
            mine.add(0, a);
        }
        Document one = AdminRequests.page("/admin/mail/suppressions");
        assertEquals(mine.subList(0, 50), one.select("#suppressions tbody tr").eachAttr("data-address"));
        Document two = AdminRequests.page(one.select("a[rel=next]").attr("href"));
        assertEquals(mine.subList(50, 55), two.select("#suppressions tbody tr").eachAttr("data-address").subList(0, 5));
        assertEquals("/admin/mail/suppressions?page=1", two.select("a[rel=prev]").attr("href"));

        Response json = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                .get("/admin/mail/suppressions?limit=2");
        assertEquals(mine.subList(0, 2), json.jsonPath().getList("address"));
        for (String a : mine) {
            suppressions.lift(a);
        }
    }
}
