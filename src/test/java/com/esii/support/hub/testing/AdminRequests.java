package com.esii.support.hub.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The admin pages as a browser asks for them over HTTP: logged in (HTTP Basic), asking for HTML first, and a form's
 * POST as the browser sends it from the hub's own page (its {@code Origin}, {@code Sec-Fetch-Site: same-origin}).
 */
public final class AdminRequests {

    /** What Chromium sends when it opens a page (and posts a form). */
    public static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
            + "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

    private AdminRequests() {
    }

    /**
     * A browser logged in as the admin, asking for a page; redirects are not followed (the test looks at them), and
     * addresses are sent as written (encoded by the test, as a page's links are).
     */
    public static RequestSpecification browser() {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).accept(BROWSER_ACCEPT)
                .redirects().follow(false).urlEncodingEnabled(false);
    }

    /** A form of the hub's own admin page, posted by the browser (no field: the forms carry none). */
    public static Response postForm(String action) {
        return browser().contentType("application/x-www-form-urlencoded").header("Origin", origin())
                .header("Sec-Fetch-Site", "same-origin").body("").when().post(action);
    }

    public static String origin() {
        return "http://localhost:" + RestAssured.port;
    }

    /** The page at {@code path}: 200, HTML, checked for what every admin page holds; parsed. */
    public static Document page(String path) {
        return page(path, 200);
    }

    public static Document page(String path, int status) {
        Response r = browser().when().get(path);
        assertEquals(status, r.statusCode(), path + ": " + r.asString());
        assertTrue(r.contentType().startsWith("text/html"), path + ": " + r.contentType());
        assertEquals(List.of("same-origin"), r.headers().getValues("Referrer-Policy"), path);
        assertEquals("no-store", r.header("Cache-Control"), path);
        String html = r.asString();
        noInlineCode(html, path);
        Document d = Jsoup.parse(html);
        assertEquals(1, d.select("link[rel=stylesheet][href=/assets/admin.css]").size(), path);
        return d;
    }

    /** Nothing the Content-Security-Policy would block: no script, no inline style, no event handler. */
    public static void noInlineCode(String html, String what) {
        assertFalse(html.contains("<script"), what + ": a script in the page");
        assertFalse(html.contains("<style"), what);
        assertFalse(Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), what);
        assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), what);
        assertFalse(html.contains("javascript:"), what);
    }

    /**
     * Asserts that each table's scrolling region on the page is named by its caption or heading (present and not
     * empty); answers how many there were.
     */
    public static int assertTablesNamed(Document d) {
        int n = 0;
        for (org.jsoup.nodes.Element region : d.select(".table-wrap[role=region]")) {
            String by = region.attr("aria-labelledby");
            assertFalse(d.select("[id=" + by + "]").text().isBlank(), "the table region named by #" + by);
            n++;
        }
        return n;
    }
}
