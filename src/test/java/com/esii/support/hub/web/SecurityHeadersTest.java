package com.esii.support.hub.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.BrowserForm;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Every page (and every other answer) sends the security headers once; the pages hold nothing the
 * Content-Security-Policy would block (no inline script or style, no event handler), and their style sheet is served.
 */
@QuarkusTest
class SecurityHeadersTest extends HubTestResources {

    private static final Pattern STATUS_LINK = Pattern.compile("href=\"[^\"]*(/status/SUP-\\d{4}-\\d{6}\\?token=[A-Za-z0-9_-]+)\"");

    static void secured(Response r, String what) {
        List<String> csp = r.headers().getValues("Content-Security-Policy");
        assertEquals(1, csp.size(), what + ": " + csp);
        String policy = csp.get(0);
        assertTrue(policy.contains("default-src 'none'"), what + ": " + policy);
        assertTrue(policy.contains("frame-ancestors 'none'"), what + ": " + policy);
        assertFalse(policy.contains("unsafe-inline") || policy.contains("unsafe-eval"), what + ": " + policy);
        assertFalse(policy.contains("script-src"), what + ": no script allowed at all: " + policy);
        assertEquals(List.of("DENY"), r.headers().getValues("X-Frame-Options"), what);
        assertEquals(List.of("nosniff"), r.headers().getValues("X-Content-Type-Options"), what);
        assertEquals(List.of("no-referrer"), r.headers().getValues("Referrer-Policy"), what);
    }

    /** Nothing in the page that the policy would block. */
    static void noInlineCode(String html, String what) {
        assertFalse(html.contains("<script"), what);
        assertFalse(html.contains("<style"), what);
        assertFalse(Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), what);
        assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), what);
        assertFalse(html.contains("javascript:"), what);
    }

    @Test
    void everyPageSendsTheHeadersAndHoldsNoInlineCode() {
        Response form = given().when().get("/?lang=en");
        assertEquals(200, form.statusCode());
        secured(form, "form");
        noInlineCode(form.asString(), "form");
        assertTrue(form.asString().contains("<link rel=\"stylesheet\" href=\"/css/hub.css\">"));

        Response invalid = new BrowserForm().field("name", "Ann").field("email", "nope").field("lang", "en")
                .into(given()).when().post("/");
        assertEquals(400, invalid.statusCode());
        secured(invalid, "form with errors");
        noInlineCode(invalid.asString(), "form with errors");

        Response submitted = new BrowserForm().field("name", "Ann").field("email", Samples.unique("headers"))
                .field("subject", "Headers").field("description", "Check them.").field("lang", "en")
                .field("formKey", UUID.randomUUID().toString()).into(given()).when().post("/");
        assertEquals(200, submitted.statusCode(), submitted.asString());
        secured(submitted, "submitted");
        noInlineCode(submitted.asString(), "submitted");

        Matcher link = STATUS_LINK.matcher(submitted.asString());
        assertTrue(link.find(), submitted.asString());
        Response status = given().when().get(link.group(1));
        assertEquals(200, status.statusCode());
        secured(status, "status page");
        noInlineCode(status.asString(), "status page");

        Response notFound = given().when().get("/status/SUP-2026-999999?token=wrong");
        assertEquals(404, notFound.statusCode());
        secured(notFound, "not found page");
        noInlineCode(notFound.asString(), "not found page");

        Response ack = given().when().get("/oncall/ack/SUP-2026-999999?page=1&sig=x");
        secured(ack, "on-call acknowledgement page");
        noInlineCode(ack.asString(), "on-call acknowledgement page");
    }

    @Test
    void theStyleSheetIsServedAndTheOtherAnswersAreSecuredToo() {
        Response css = given().when().get("/css/hub.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.contentType().startsWith("text/css"), css.contentType());
        assertTrue(css.asString().contains(".hp {"), "the honeypot's hiding rule is in it");
        secured(css, "style sheet");

        Response api = given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("headers-api")))
                .when().post("/api/tickets");
        assertEquals(201, api.statusCode());
        secured(api, "API (Camel platform-http)");
        secured(given().when().get("/api/tickets/SUP-2026-999999"), "API 404");
        secured(given().when().get("/admin/outbox"), "admin 401");
        secured(given().when().get("/no/such/page"), "unknown path");
        Response crossSite = given().contentType("text/plain").body("x").when().post("/admin/outbox/1/skip");
        assertEquals(403, crossSite.statusCode());
        secured(crossSite, "admin 403 (a filter's own answer)");
    }
}
