package com.esii.support.hub.web;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.oncall.MovableClock;
import com.esii.support.hub.testing.BrowserForm;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.sim.SimulatorProfile;
import com.esii.support.hub.util.Hashes;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;

/**
 * "My requests" over HTTP (issue 26.10): the address given on the page, the link mailed to it (read from the
 * customer's mailbox), the list it opens (that address's requests, newest first, no one else's), a request opened
 * from the list, the same answer for an address without requests, the link's token kept only as a hash and gone from
 * the outbox once mailed, unknown, altered and expired links, the per-address limit shared with "lost your link?",
 * and the hourly purge. Time passes by moving the hub's clock ({@link MovableClock}).
 */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class MyRequestsTest extends HubTestResources {

    @Inject
    DataSource ds;

    @Inject
    MovableClock clock;

    @Inject
    PageAccessPurge purge;

    @AfterEach
    void timeAsItIs() {
        clock.reset();
    }

    /** Opens a request over the API with this subject; answers its number. */
    static String open(String email, String subject) {
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        body.put("subject", subject);
        body.put("language", "fr");
        return given().contentType(ContentType.JSON).body(body).when().post("/api/tickets").then().statusCode(201)
                .extract().path("number");
    }

    static Response ask(String email, String lang) {
        return new BrowserForm().field("lang", lang).field("email", email).into(given()).post("/my-requests");
    }

    /** The link of the list's mail, whole on a line of its own; its path and query, for the test's server. */
    static String link(String mail) {
        Matcher m = Pattern.compile("\n(http://localhost:8080(/my-requests/list\\?token=[A-Za-z0-9_-]+))\n").matcher(mail);
        assertTrue(m.find(), mail);
        return m.group(2);
    }

    /** Asks for the list of {@code email}'s requests and answers the link mailed, the mail being its {@code nth}. */
    String mailedLink(String email, int nth) {
        ask(email, "fr").then().statusCode(200);
        return link(Mailboxes.text(Mailboxes.await(email, nth).get(nth - 1)));
    }

    /** The link exchanged for the list's session cookie. */
    static Cookie session(String link) {
        Response r = given().redirects().follow(false).get(link).then().statusCode(200).extract().response();
        Cookie c = r.getDetailedCookie(MyRequestsPage.SESSION_COOKIE);
        assertNotNull(c, "a session on the list");
        return c;
    }

    @Test
    void theLinkMailedToTheAddressOpensItsRequestsNewestFirstAndEachOneWithoutAskingAgain() throws Exception {
        String email = Samples.unique("my-requests");
        String first = open(email, "Le traceur est muet");
        String second = open(email, "L'écran reste noir");
        String colleague = open(Samples.unique("colleague"), "Autre demande d'ACME"); // same company, another address
        Mailboxes.await(email, 2);

        // asked in English, the address written in capitals: one mail to the address, in English
        Response sent = ask(email.toUpperCase(Locale.ROOT), "en");
        sent.then().statusCode(200).header("Cache-Control", "no-store");
        assertTrue(Jsoup.parse(sent.asString()).getElementById("my-requests-sent").text().startsWith("Done."));
        MimeMessage mail = Mailboxes.await(email, 3).get(2);
        assertEquals("The list of your support requests", mail.getSubject());
        String text = Mailboxes.text(mail);
        assertTrue(text.startsWith("Hello Jane Doe,"), text);
        assertTrue(text.contains("This link is valid until "), text);
        String link = link(text);
        assertTrue(RequestPageTest.raw(mail).contains("http://localhost:8080" + link), "the link whole in the mail");
        assertTrue(Mailboxes.html(mail).contains(link), "and in its HTML part");
        String token = link.substring(link.indexOf("token=") + 6);

        // kept only as a hash; the mail's outbox row loses the token once sent
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM request_list_access WHERE token_hash = ? AND kind = 'link'"
                + " AND address = ?", Hashes.sha256Hex(token), email.toLowerCase(Locale.ROOT)));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM request_list_access WHERE token_hash = ? OR address LIKE ?",
                token, "%" + token + "%"));
        Quiet.outbox(ds, "requests:" + email.toLowerCase(Locale.ROOT));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM outbox WHERE payload LIKE ?", "%" + token + "%"));

        // the link: a session on the list (its pages only), then the list without the token
        Response opening = given().redirects().follow(false).get(link).then().statusCode(200)
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").extract().response();
        Cookie list = opening.getDetailedCookie(MyRequestsPage.SESSION_COOKIE);
        assertEquals("/my-requests", list.getPath());
        assertTrue(list.isHttpOnly());
        assertEquals("Strict", list.getSameSite());
        assertFalse(list.hasMaxAge(), "a browser session");
        assertEquals("0;url=/my-requests/list", Jsoup.parse(opening.asString())
                .selectFirst("meta[http-equiv=refresh]").attr("content"));

        Response page = given().cookie(list).get("/my-requests/list").then().statusCode(200)
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").extract().response();
        Document d = Jsoup.parse(page.asString());
        assertEquals("en", d.selectFirst("html").attr("lang"), "the language it was asked in");
        assertEquals(List.of(second, first), d.select("#requests .ticket-number").eachText(), "newest first");
        assertEquals(List.of("L'écran reste noir", "Le traceur est muet"), d.select("#requests .request-subject")
                .eachText());
        assertEquals(List.of("Received, waiting for a support engineer", "Received, waiting for a support engineer"),
                d.select("#requests .request-state").eachText());
        assertTrue(d.getElementById("my-requests-of").text().contains(email.toLowerCase(Locale.ROOT)));
        assertFalse(page.asString().contains(colleague), "not a colleague's, though of the same company");
        assertEquals("fr", given().cookie(list).get("/my-requests/list?lang=fr").then().statusCode(200).extract()
                .htmlPath().getString("html.@lang"), "the language switch");

        // a request of the list opens without asking again: a session on its page
        Element item = d.select("#requests .ticket-number").get(1);
        assertEquals("/my-requests/list/" + first, item.attr("href"));
        Response toRequest = given().redirects().follow(false).cookie(list).get(item.attr("href")).then()
                .statusCode(200).header("Cache-Control", "no-store").extract().response();
        Cookie request = toRequest.getDetailedCookie(RequestPage.SESSION_COOKIE);
        assertEquals("/status/" + first, request.getPath());
        assertEquals("Strict", request.getSameSite());
        assertEquals("0;url=/status/" + first, Jsoup.parse(toRequest.asString())
                .selectFirst("meta[http-equiv=refresh]").attr("content"));
        assertTrue(given().cookie(request).get("/status/" + first).then().statusCode(200).extract().asString()
                .contains("Le traceur est muet"));

        // not another address's request, nor without the list's session
        Response refused = given().redirects().follow(false).cookie(list).get("/my-requests/list/" + colleague);
        refused.then().statusCode(404);
        assertNull(refused.getDetailedCookie(RequestPage.SESSION_COOKIE));
        given().redirects().follow(false).get("/my-requests/list/" + first).then().statusCode(404);
        assertEquals(3, Mailboxes.to(email).size(), "two acknowledgements and one mail for the list");
    }

    @Test
    void anAddressWithoutRequestsGetsTheSameAnswerAndNothingIsSent() {
        String email = Samples.unique("my-known");
        open(email, "Le traceur est muet");
        Mailboxes.await(email, 1);
        String nobody = Samples.unique("my-nobody");
        String known = ask(email, "fr").then().statusCode(200).extract().asString();
        String unknown = ask(nobody, "fr").then().statusCode(200).extract().asString();
        assertEquals(known.replace(email, "X"), unknown.replace(nobody, "X"),
                "the same answer whether the address has requests or not");
        Quiet.mailsTo(ds, email, nobody);
        assertEquals(2, Mailboxes.to(email).size(), "the list's link to the address with requests");
        assertEquals(0, Mailboxes.to(nobody).size());
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM outbox WHERE recipient = ?", nobody));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM request_list_access WHERE address = ?", nobody));
        ask("not an address", "en").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("<title>Error: My requests"));
    }

    @Test
    void anUnknownAnAlteredOrAnExpiredLinkOrSessionOpensNothing() {
        String email = Samples.unique("my-expiry");
        open(email, "Le traceur est muet");
        Mailboxes.await(email, 1);
        String link = mailedLink(email, 2);
        String token = link.substring(link.indexOf("token=") + 6);
        String altered = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        for (String wrong : List.of("/my-requests/list?token=" + Hashes.randomToken(),
                "/my-requests/list?token=" + altered, "/my-requests/list?token=", "/my-requests/list")) {
            Response r = given().redirects().follow(false).get(wrong);
            r.then().statusCode(404).header("Cache-Control", "no-store");
            assertNull(r.getDetailedCookie(MyRequestsPage.SESSION_COOKIE), wrong);
            assertNotNull(Jsoup.parse(r.asString()).getElementById("my-requests-invalid"), wrong);
        }
        given().cookie(MyRequestsPage.SESSION_COOKIE, Hashes.randomToken()).get("/my-requests/list").then()
                .statusCode(404);

        // the session ends after hub.status-page.session-ttl (12 h); the link still opens a new one within its day
        Cookie list = session(link);
        given().cookie(list).get("/my-requests/list").then().statusCode(200);
        clock.advance(Duration.ofHours(13));
        given().cookie(list).get("/my-requests/list").then().statusCode(404);
        Cookie again = session(link);
        given().cookie(again).get("/my-requests/list").then().statusCode(200);

        // the link ends after hub.status-page.list-link-ttl (24 h)
        clock.advance(Duration.ofHours(12));
        Response late = given().redirects().follow(false).get(link);
        late.then().statusCode(404);
        assertNull(late.getDetailedCookie(MyRequestsPage.SESSION_COOKIE));
    }

    @Test
    void askingAgainAndAgainMailsAnAddressNoMoreThanThreeTimesThenOnceAMinuteCountedWithLostLinks() {
        String email = Samples.unique("my-limit");
        String number = open(email, "Le traceur est muet");
        Mailboxes.await(email, 1);
        String answer = null;
        for (int i = 0; i < 5; i++) {
            String a = ask(email, "fr").then().statusCode(200).extract().asString();
            assertTrue(answer == null || answer.equals(a), "the same answer each time");
            answer = a;
        }
        assertEquals(3, Db.count(ds, "SELECT count(*) FROM request_list_access WHERE address = ? AND kind = 'link'",
                email), "three links at once, then none until the bucket refills");
        // "lost your link?" draws on the same count: no link sent again for the address now
        long links = Db.count(ds, "SELECT count(*) FROM ticket_access a JOIN ticket t ON t.id = a.ticket_id"
                + " WHERE t.number = ? AND a.kind = 'link'", number);
        new BrowserForm().field("lang", "fr").field("email", email).into(given()).post("/lost-link").then()
                .statusCode(200);
        assertEquals(links, Db.count(ds, "SELECT count(*) FROM ticket_access a JOIN ticket t ON t.id = a.ticket_id"
                + " WHERE t.number = ? AND a.kind = 'link'", number));
        Quiet.mailsTo(ds, email);
    }

    @Test
    void expiredLinksAndSessionsArePurgedByTheHourlyPurgeAndLiveOnesStay() {
        String email = Samples.unique("my-purge");
        open(email, "Le traceur est muet");
        Mailboxes.await(email, 1);
        session(mailedLink(email, 2));
        assertEquals(2, Db.count(ds, "SELECT count(*) FROM request_list_access WHERE address = ?", email));
        clock.advance(Duration.ofHours(23));
        purge.purge();
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM request_list_access WHERE address = ?", email),
                "the session (12 h) is gone, the link (24 h) stays");
        clock.advance(Duration.ofHours(2));
        purge.purge();
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM request_list_access WHERE address = ?", email));
    }
}
