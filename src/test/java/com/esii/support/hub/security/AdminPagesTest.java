package com.esii.support.hub.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.AdminRequests;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * What every admin page shares (issue 26.9): the same login as the JSON API, the JSON kept for the JSON clients at the
 * same address, the desk's language or the one asked, the menu from the home and the dashboard, the referrer policy
 * the forms need. Each page's content is tested beside its edge ({@code OutboxPagesTest}, {@code TicketPagesTest}...).
 */
@QuarkusTest
class AdminPagesTest extends HubTestResources {

    /** Every admin page, as the menu links it. */
    static final List<String> PAGES = List.of("/admin", "/admin/dashboard", "/admin/tickets", "/admin/outbox",
            "/admin/mail/verdicts", "/admin/mail/suppressions", "/admin/oncall", "/admin/phone/calls",
            "/admin/field-team");

    /** The pages at an address where a JSON client gets the JSON API. */
    static final List<String> SHARED_WITH_JSON = List.of("/admin/outbox", "/admin/mail/verdicts",
            "/admin/mail/suppressions", "/admin/oncall", "/admin/phone/calls", "/admin/field-team");

    @Test
    void everyPageAsksForTheAdminsLoginAsTheJsonApiDoes() {
        for (String page : List.of("/admin", "/admin/tickets", "/admin/tickets/SUP-2026-000001", "/admin/outbox",
                "/admin/outbox/1/replay", "/admin/outbox/1/skip", "/admin/mail/verdicts", "/admin/mail/verdicts/1",
                "/admin/mail/suppressions", "/admin/mail/suppressions/a@example.com", "/admin/oncall",
                "/admin/phone/calls", "/admin/field-team")) {
            Response anonymous = given().accept(AdminRequests.BROWSER_ACCEPT).when().get(page);
            assertEquals(401, anonymous.statusCode(), page);
            assertTrue(anonymous.header("WWW-Authenticate").toLowerCase(Locale.ROOT).startsWith("basic"),
                    page + ": a browser asks for the login");
            assertTrue(!anonymous.asString().contains("<main"), page + ": nothing of the page");
            assertEquals(401, given().auth().preemptive().basic("admin", "wrong").accept(AdminRequests.BROWSER_ACCEPT)
                    .when().get(page).statusCode(), page);
        }
        // the forms' action that the JSON API does not have
        assertEquals(401, given().contentType("application/x-www-form-urlencoded").header("Origin",
                AdminRequests.origin()).header("Sec-Fetch-Site", "same-origin").body("").when()
                .post("/admin/mail/suppressions/a@example.com/lift").statusCode());
    }

    /** The JSON clients and their tests see no change: anything, nothing or JSON accepted gives the JSON. */
    @Test
    void aBrowserGetsThePageWhereOtherClientsGetTheJson() throws Exception {
        for (String path : SHARED_WITH_JSON) {
            for (String accept : new String[] { "*/*", "application/json", "application/json, text/html" }) {
                Response r = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).accept(accept)
                        .when().get(path);
                assertEquals(200, r.statusCode(), path + " " + accept);
                assertTrue(r.contentType().startsWith("application/json"), path + " " + accept + ": " + r.contentType());
                assertEquals(List.of("no-referrer"), r.headers().getValues("Referrer-Policy"), path);
            }
            HttpResponse<String> none = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(AdminRequests.origin() + path)).header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(("admin:" + TestSettings.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(none.request().headers().firstValue("Accept").isEmpty());
            assertTrue(none.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                    path + " without Accept: " + none.headers().firstValue("Content-Type"));
            AdminRequests.page(path);
            Response html = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).accept("text/html")
                    .when().get(path);
            assertTrue(html.contentType().startsWith("text/html"), path);
        }
    }

    @Test
    void thePagesSpeakTheDesksLanguageOrTheOneAsked() {
        Document fr = AdminRequests.page("/admin");
        assertEquals("fr", fr.select("html").attr("lang"), "the desk's language (hub.desk.language: fr)");
        assertEquals("Administration", fr.select("h1").text());
        assertEquals("File d'envoi", fr.select("#menu-outbox").text());
        assertEquals("/admin/outbox", fr.select("#menu-outbox").attr("href"), "no language in the links");

        Document en = AdminRequests.page("/admin/mail/verdicts?verdict=bounce&lang=en");
        assertEquals("en", en.select("html").attr("lang"));
        assertEquals("Mail verdicts", en.select("h1").text());
        assertEquals("/admin/outbox?lang=en", en.select("#menu-outbox").attr("href"), "the language asked goes along");
        Element spanish = en.select("a[hreflang=es]").first();
        assertEquals("/admin/mail/verdicts?verdict=bounce&lang=es", spanish.attr("href"), "the same page, filters kept");
        assertEquals("true", en.select("a[hreflang=en]").attr("aria-current"));
        assertEquals("Cola de envío", AdminRequests.page("/admin/outbox?lang=es").select("#menu-outbox").text());
        assertEquals("fr", AdminRequests.page("/admin/oncall?lang=xx").select("html").attr("lang"),
                "an unknown language: the desk's");
    }

    @Test
    void theHomeLinksEveryAdminPageAndTheDashboardLinksBack() {
        Document home = AdminRequests.page("/admin?lang=en");
        List<String> linked = home.select("ul.home a").stream().map(a -> a.attr("href")).collect(Collectors.toList());
        assertEquals(PAGES.subList(1, PAGES.size()).stream().map(p -> p + "?lang=en").toList(), linked);
        for (String page : PAGES) {
            if (page.equals("/admin/dashboard")) {
                continue; // the managers' page of its own: its link back is below
            }
            Document d = AdminRequests.page(page);
            assertEquals(PAGES, d.select("nav.menu a").stream().map(a -> a.attr("href")).toList(), page);
            assertEquals(1, d.select("nav.menu a[aria-current=page]").size(), page);
            assertEquals("#main", d.select("a.skip").attr("href"), page);
            assertEquals(1, d.select("main#main h1").size(), page);
            AdminRequests.assertTablesNamed(d); // the tables shown here, if any
        }
        Response dashboard = AdminRequests.browser().when().get("/admin/dashboard?lang=en");
        assertEquals(200, dashboard.statusCode());
        assertEquals(List.of("same-origin"), dashboard.headers().getValues("Referrer-Policy"));
        assertTrue(dashboard.asString().contains("<a href=\"/admin?lang=en\" id=\"admin-home\">"), "back to the home");
        Response css = given().when().get("/assets/admin.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.contentType().startsWith("text/css"));
    }
}
