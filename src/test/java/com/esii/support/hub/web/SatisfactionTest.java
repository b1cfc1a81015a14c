package com.esii.support.hub.web;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.BrowserForm;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;
import com.esii.support.hub.testing.WireMockResource;
import com.esii.support.hub.testing.sim.Simulator;
import com.esii.support.hub.testing.sim.SimulatorProfile;
import com.esii.support.hub.testing.sim.SimulatorResource;
import com.esii.support.hub.util.Hashes;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * "How did we do?" (issue 26.11) over HTTP against the stateful Jira simulator: the closing mail's five links in every
 * language (text and HTML parts), a link that opens the rating page with its rating chosen and records nothing by
 * itself, the confirmation by POST, then the JSM internal comment (checked against Atlassian's contracts like every
 * Jira write of these tests), the dashboard's monthly figure (page and CSV) and, for a poor rating, the desk's mail.
 * The unhappy paths: a wrong, foreign or expired token, no session, a rating out of range, a comment too long, a
 * second answer (refused: the first stands), a ticket not resolved.
 */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class SatisfactionTest extends HubTestResources {

    static final String BASE = "http://localhost:8080";
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Inject
    DataSource ds;

    Simulator sim;

    @BeforeEach
    void fresh() {
        sim = SimulatorResource.simulator();
        sim.reset();
        sim.webhooksTo("http://localhost:" + RestAssured.port + "/webhooks/jira", WireMockResource.WEBHOOK_SECRET);
    }

    /** A ticket resolved by staff in Jira: its number, access token, JSM key, customer and closing mail. */
    record Resolved(String number, String token, String key, String email, MimeMessage closing) {

        /** The closing mail's link for each rating, 1 to 5, in order. */
        Map<Integer, String> links() {
            return SatisfactionTest.links(Mailboxes.text(closing), number);
        }

        /** The path of the closing mail's link for {@code rating}. */
        String path(int rating) {
            return links().get(rating).substring(BASE.length());
        }
    }

    Resolved resolved(String name, String language) {
        String email = Samples.unique(name);
        String[] t = RequestPageTest.open(email, language);
        await().atMost(Duration.ofSeconds(20)).until(() -> key(t[0]) != null);
        String key = key(t[0]);
        assertEquals(204, sim.deliver(sim.resolve(key, "Done")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "RESOLVED".equals(status(t[0])));
        return new Resolved(t[0], t[1], key, email, Mailboxes.await(email, 2).get(1));
    }

    /** Each rating link of a mail's text, whole on a line of its own. */
    static Map<Integer, String> links(String text, String number) {
        Matcher m = Pattern.compile("\n(" + Pattern.quote(BASE) + "/status/" + number
                + "/rate/([0-9])\\?token=[A-Za-z0-9_-]{43})\n").matcher(text);
        Map<Integer, String> out = new LinkedHashMap<>();
        while (m.find()) {
            out.put(Integer.parseInt(m.group(2)), m.group(1));
        }
        return out;
    }

    /** A link followed as a browser does: the session cookie the opening page sets, and where it sends on to. */
    static String[] follow(String path) {
        Response r = given().redirects().follow(false).get(path).then().statusCode(200)
                .header("Cache-Control", "no-store").extract().response();
        Matcher m = Pattern.compile("content=\"0;url=([^\"]+)\"").matcher(r.asString());
        assertTrue(m.find(), r.asString());
        assertNotNull(r.getCookie("hub_request"), "a session on the ticket's page");
        return new String[] { r.getCookie("hub_request"), m.group(1).replace("&amp;", "&") };
    }

    static Response answer(String number, String cookie, String lang, String rating, String comment) {
        BrowserForm form = new BrowserForm().field("lang", lang);
        if (rating != null) {
            form.field("rating", rating);
        }
        if (comment != null) {
            form.field("comment", comment);
        }
        return form.into(cookie == null ? given().redirects().follow(false)
                : given().cookie("hub_request", cookie).redirects().follow(false))
                .post("/status/" + number + "/satisfaction");
    }

    @Test
    void theClosingMailAsksHowWeDidInEveryLanguageWithFiveLinksWholeInTheTextAndTheHtmlPart() throws Exception {
        Map<String, String[]> words = Map.of(
                "fr", new String[] { "Qu'avez-vous pensé de notre aide ? Donnez-nous votre note, de 1 (très mauvais)"
                        + " à 5 (excellent)", "1 – très mauvais :", "5 – excellent :" },
                "en", new String[] { "How did we do? Give us your rating, from 1 (very poor) to 5 (excellent)",
                        "1 – very poor:", "5 – excellent:" },
                "es", new String[] { "¿Qué le ha parecido nuestra atención? Denos su valoración, de 1 (muy mala)"
                        + " a 5 (excelente)", "1 – muy mala:", "5 – excelente:" });
        for (Map.Entry<String, String[]> w : words.entrySet()) {
            Resolved r = resolved("rate-mail-" + w.getKey(), w.getKey());
            String text = Mailboxes.text(r.closing());
            assertTrue(text.contains(w.getValue()[0]), text);
            Map<Integer, String> links = r.links();
            assertEquals(List.of(1, 2, 3, 4, 5), List.copyOf(links.keySet()), text);
            assertTrue(text.contains("\n" + w.getValue()[1] + "\n" + links.get(1) + "\n"), text);
            assertTrue(text.contains("\n" + w.getValue()[2] + "\n" + links.get(5) + "\n"), text);
            // one token for the five, its own: not the request page's link of the same mail
            String token = links.get(1).substring(links.get(1).indexOf("token=") + 6);
            links.values().forEach(l -> assertTrue(l.endsWith("token=" + token), l));
            Matcher status = Pattern.compile("\n" + Pattern.quote(BASE) + "/status/" + r.number()
                    + "\\?token=([A-Za-z0-9_-]+)\n").matcher(text);
            assertTrue(status.find(), "the request page's link: " + text);
            assertNotEquals(token, status.group(1), "the request page's link carries another token");
            String raw = RequestPageTest.raw(r.closing());
            String html = Mailboxes.html(r.closing());
            assertTrue(html.contains("<html lang=\"" + w.getKey() + "\">"), html);
            for (String l : links.values()) {
                assertTrue(raw.contains(l), "whole in the raw mail: " + l);
                assertTrue(html.contains("<a href=\"" + l + "\">" + l + "</a>"), html);
            }
        }
    }

    /**
     * The whole way of a poor rating: staff resolve in Jira, the closing mail's "2" opens the page with 2 chosen,
     * the customer confirms with a comment; JSM gets one internal comment, the desk a mail in its language (French
     * here), the dashboard counts it in its month (page and CSV), the request page shows it, escaped everywhere.
     */
    @Test
    void aPoorRatingFromTheClosingMailReachesJsmTheDashboardAndTheDesk() throws Exception {
        Resolved r = resolved("rate-poor", "fr");
        String[] opened = follow(r.path(2));
        assertEquals("/status/" + r.number() + "/satisfaction?rating=2", opened[1]);
        Document page = Jsoup.parse(given().cookie("hub_request", opened[0]).get(opened[1]).then().statusCode(200)
                .header("Cache-Control", "no-store").extract().asString());
        assertEquals("fr", page.selectFirst("html").attr("lang"));
        assertEquals("Qu'avez-vous pensé de notre aide ?", page.selectFirst("#satisfaction-title").text());
        for (int i = 1; i <= 5; i++) {
            assertEquals(i == 2, page.getElementById("rating-" + i).hasAttr("checked"), "rating " + i);
        }
        Element form = page.selectFirst("#satisfaction form");
        assertEquals("post", form.attr("method"));
        assertEquals("/status/" + r.number() + "/satisfaction", form.attr("action"));
        assertEquals("1000", page.getElementById("rating-comment-input").attr("maxlength"));
        assertEquals(0, ratings(r.number()), "opening the page records nothing");

        YearMonth month = YearMonth.now(PARIS);
        long before = dashboardCount(month);
        String comment = "Trop lent <b>vraiment</b> & personne ne m'a rappelé.";
        Response posted = answer(r.number(), opened[0], "fr", "2", comment);
        assertEquals(303, posted.statusCode(), posted.asString());
        assertEquals("/status/" + r.number() + "?lang=fr&done=rated#satisfaction",
                posted.getHeader("Location").replaceFirst("^http://localhost:\\d+", ""));
        assertEquals("2", Db.string(ds, "SELECT s.rating FROM ticket_satisfaction s JOIN ticket t ON t.id = s.ticket_id"
                + " WHERE t.number = ?", r.number()));
        assertEquals(comment, Db.string(ds, "SELECT s.comment FROM ticket_satisfaction s JOIN ticket t"
                + " ON t.id = s.ticket_id WHERE t.number = ?", r.number()));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'satisfaction' AND e.source = 'customer' AND e.detail = ?",
                r.number(), "2/5: " + comment));

        // JSM: staff read it as an internal comment, in the desk's language, once
        String expected = "Note du client sur le traitement de sa demande : 2/5 (mauvais). Note basse.\n\n"
                + "Son commentaire : " + comment;
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.comments(r.key()).stream()
                .anyMatch(c -> !c.isPublic() && c.body().startsWith(expected)));
        Quiet.outbox(ds, r.number());
        assertEquals(1, sim.comments(r.key()).stream().filter(c -> c.body().contains("Note du client")).count());
        assertTrue(sim.comments(r.key()).stream().noneMatch(c -> c.isPublic() && c.body().contains("Note du client")));

        // the desk: a mail in its language naming the ticket, the rating, the comment and the JSM request
        MimeMessage alert = deskMails(r.number()).get(0);
        assertEquals(1, deskMails(r.number()).size());
        assertTrue(alert.getSubject().startsWith("[Note basse 2/5] [" + r.number() + "] "), alert.getSubject());
        String text = Mailboxes.text(alert);
        assertTrue(text.contains("Le client a noté le traitement de sa demande " + r.number() + " : 2/5 (mauvais)."),
                text);
        assertTrue(text.contains("Son commentaire :\n" + comment + "\n"), text);
        assertTrue(text.contains("Demande JSM : " + r.key() + "\n" + sim.url() + "/browse/" + r.key() + "\n"), text);
        String html = Mailboxes.html(alert);
        assertTrue(html.contains("Trop lent &lt;b&gt;vraiment&lt;/b&gt; &amp; personne"), html);
        assertFalse(html.contains("<b>vraiment</b>"), html);
        assertTrue(html.contains("<html lang=\"fr\">"), html);

        // the request page thanks the customer and shows the rating; the comment escaped, no form any more
        String after = given().cookie("hub_request", opened[0]).get("/status/" + r.number() + "?lang=fr&done=rated")
                .then().statusCode(200).extract().asString();
        Document request = Jsoup.parse(after);
        assertEquals("Merci pour votre réponse !", request.getElementById("done").text());
        String given = request.getElementById("rating-given").text();
        assertTrue(given.startsWith("Votre note : 2/5 – mauvais, donnée le "), given);
        assertEquals(comment, request.getElementById("rating-comment").text());
        assertTrue(after.contains("Trop lent &lt;b&gt;vraiment&lt;/b&gt; &amp; personne"), after);
        assertNull(request.selectFirst("#satisfaction form"));

        // the dashboard: the month's average and count, on the page and in the CSV
        assertEquals(before + 1, dashboardCount(month));
        long[] sumCount = monthSumAndCount(month);
        String average = new java.math.BigDecimal(Math.round(sumCount[0] * 100.0 / sumCount[1]) / 100.0)
                .setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        Map<String, String> csv = dashboardCsv(month);
        assertEquals(average, csv.get("average"), csv.toString());
        assertEquals(String.valueOf(sumCount[1]), csv.get("count"));
        Document dashboard = Jsoup.parse(admin("/admin/dashboard?" + period(month) + "&lang=en"));
        assertEquals(String.valueOf(sumCount[1]), dashboard.selectFirst("table#satisfaction-table tr[data-key=" + month
                + "] td[data-key=count]").attr("data-value"));
        assertEquals(average, new java.math.BigDecimal(dashboard.selectFirst("table#satisfaction-table tr[data-key="
                + month + "] td[data-key=average]").attr("data-value")).stripTrailingZeros().toPlainString());
        assertNotNull(dashboard.getElementById("satisfaction-chart"), "a chart of the months' averages");
        assertEquals("Customer satisfaction", dashboard.getElementById("satisfaction-heading").text());
    }

    /** Mail scanners and link previewers follow links: the link and the page it leads to record nothing. */
    @Test
    void followingARatingLinkAndOpeningThePageRecordNothing() {
        Resolved r = resolved("rate-get", "en");
        for (int rating = 1; rating <= 5; rating++) {
            String[] opened = follow(r.path(rating));
            given().cookie("hub_request", opened[0]).get(opened[1]).then().statusCode(200);
            given().get(r.path(rating)).then().statusCode(200); // a scanner that keeps no cookie
        }
        Quiet.outbox(ds, r.number());
        assertEquals(0, ratings(r.number()));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'satisfaction'", r.number()));
        assertTrue(sim.comments(r.key()).stream().noneMatch(c -> c.body().contains("Note du client")));
        assertEquals(List.of(), deskMails(r.number()));
    }

    @Test
    void aWrongAForeignOrAnExpiredTokenOpensNothingAndNoSessionPostsNothing() {
        Resolved r = resolved("rate-token", "fr");
        Resolved other = resolved("rate-token-other", "fr");
        String path = r.path(4);
        String token = path.substring(path.indexOf("token=") + 6);
        String wrong = token.substring(0, 42) + (token.endsWith("A") ? "B" : "A");
        Response refused = given().redirects().follow(false).get("/status/" + r.number() + "/rate/4?token=" + wrong);
        assertEquals(404, refused.statusCode());
        assertNull(refused.getCookie("hub_request"), "no session for a wrong token");
        // another ticket's rating link, the ticket's own request-page token: neither is this ticket's rating link
        String foreign = other.path(4).substring(other.path(4).indexOf("token=") + 6);
        given().redirects().follow(false).get("/status/" + r.number() + "/rate/4?token=" + foreign).then()
                .statusCode(404);
        given().redirects().follow(false).get("/status/" + r.number() + "/rate/4?token=" + r.token()).then()
                .statusCode(404);
        given().redirects().follow(false).get("/status/" + r.number() + "/rate/4").then().statusCode(404);

        // expired (hub.satisfaction.link-ttl has passed): the link no longer opens anything
        assertEquals(1, Db.update(ds, "UPDATE ticket_access SET expires_at = ? WHERE token_hash = ?"
                + " AND kind = 'rating'", OffsetDateTime.now().minusMinutes(1), Hashes.sha256Hex(token)));
        given().redirects().follow(false).get(path).then().statusCode(404);

        // without the page's session, or with another ticket's: the same "not found", nothing recorded
        String otherSession = follow(other.path(5))[0];
        assertEquals(404, answer(r.number(), null, "fr", "5", "Très bien").statusCode());
        assertEquals(404, answer(r.number(), otherSession, "fr", "5", "Très bien").statusCode());
        given().get("/status/" + r.number() + "/satisfaction").then().statusCode(404);
        assertEquals(0, ratings(r.number()));
        assertEquals(0, ratings(other.number()));

        // the request page still offers the form (its own link: the acknowledgement's)
        String session = RequestPageTest.session(r.number(), r.token());
        Document page = Jsoup.parse(given().cookie("hub_request", session).get("/status/" + r.number()).asString());
        assertNotNull(page.selectFirst("#satisfaction form[action=/status/" + r.number() + "/satisfaction]"));
        assertEquals(303, answer(r.number(), session, "fr", "5", null).statusCode());
        assertEquals(1, ratings(r.number()));
        Quiet.outbox(ds, r.number(), other.number());
    }

    @Test
    void aRatingOutOfRangeOrACommentTooLongIsRefusedWithThePageAndNothingIsRecorded() {
        Resolved r = resolved("rate-range", "es");
        // a link naming no rating of 1 to 5 opens the page with none chosen
        String path = r.path(3).replace("/rate/3?", "/rate/9?");
        String[] opened = follow(path);
        assertEquals("/status/" + r.number() + "/satisfaction", opened[1]);
        Document page = Jsoup.parse(given().cookie("hub_request", opened[0]).get(opened[1]).asString());
        assertTrue(page.select("input[name=rating][checked]").isEmpty());
        assertEquals("es", page.selectFirst("html").attr("lang"));

        for (String bad : new String[] { "0", "6", "-1", "4.5", "tres", "", "99999999999", null }) {
            Response refused = answer(r.number(), opened[0], "es", bad, "Comentario");
            assertEquals(400, refused.statusCode(), bad);
            Document d = Jsoup.parse(refused.asString());
            assertEquals("Elija una valoración de 1 a 5.", d.selectFirst("#error-summary li a[href=#rating-1]").text(),
                    bad);
            assertTrue(d.title().startsWith("Error: "), d.title());
            assertEquals("Comentario", d.getElementById("rating-comment-input").text(), "what was typed is kept");
        }
        String tooLong = "ñ".repeat(1001);
        Response refused = answer(r.number(), opened[0], "es", "4", tooLong);
        assertEquals(400, refused.statusCode());
        Document d = Jsoup.parse(refused.asString());
        assertEquals("Su comentario es demasiado largo: como máximo 1000 caracteres.",
                d.selectFirst("#error-summary li a[href=#rating-comment-input]").text());
        assertTrue(d.getElementById("rating-4").hasAttr("checked"), "the rating chosen is kept");
        assertEquals("true", d.getElementById("rating-comment-input").attr("aria-invalid"));
        Quiet.outbox(ds, r.number());
        assertEquals(0, ratings(r.number()));

        // 1,000 characters, line breaks as a browser sends them (CRLF, each one character in the box): accepted
        String justFits = "a".repeat(499) + "\r\n" + "b".repeat(500);
        assertEquals(303, answer(r.number(), opened[0], "es", " 4 ", justFits).statusCode());
        assertEquals("a".repeat(499) + "\n" + "b".repeat(500), Db.string(ds, "SELECT s.comment FROM"
                + " ticket_satisfaction s JOIN ticket t ON t.id = s.ticket_id WHERE t.number = ?", r.number()));
        Quiet.outbox(ds, r.number()); // its JSM comment written before the next test resets the simulated Jira
    }

    /**
     * One answer per ticket: the first stands, a second is refused (409) and changes nothing, in the hub, in JSM and
     * for the desk; a rating that is not poor alerts nobody; a later resolution does not ask again.
     */
    @Test
    void aSecondAnswerIsRefusedAndTheFirstStands() throws Exception {
        Resolved r = resolved("rate-twice", "en");
        String session = RequestPageTest.session(r.number(), r.token());
        Document request = Jsoup.parse(given().cookie("hub_request", session).get("/status/" + r.number()).asString());
        assertEquals("How did we do?", request.selectFirst("#satisfaction-title").text(),
                "the request page of a resolved ticket offers the form");
        assertTrue(request.select("#satisfaction input[name=rating][checked]").isEmpty());

        assertEquals(303, answer(r.number(), session, "en", "4", "Quick and clear.").statusCode());
        Response again = answer(r.number(), session, "en", "1", "Changed my mind.");
        assertEquals(409, again.statusCode());
        Document d = Jsoup.parse(again.asString());
        assertEquals("You had already given your rating: the first answer is kept.",
                d.getElementById("rating-notice").text());
        assertTrue(d.getElementById("rating-given").text().startsWith("Your rating: 4/5 – good, given on "),
                d.getElementById("rating-given").text());
        assertNull(d.selectFirst("#satisfaction form"));
        // the mail's link still opens the page, which shows the rating given and no form
        String[] opened = follow(r.path(1));
        Document viaMail = Jsoup.parse(given().cookie("hub_request", opened[0]).get(opened[1]).asString());
        assertNotNull(viaMail.getElementById("rating-given"));
        assertNull(viaMail.selectFirst("#satisfaction form"));

        Quiet.outbox(ds, r.number());
        assertEquals("4", Db.string(ds, "SELECT s.rating FROM ticket_satisfaction s JOIN ticket t"
                + " ON t.id = s.ticket_id WHERE t.number = ?", r.number()));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'satisfaction'", r.number()));
        List<String> comments = sim.comments(r.key()).stream().map(Simulator.JiraComment::body)
                .filter(b -> b.contains("Note du client")).toList();
        assertEquals(1, comments.size(), comments.toString());
        assertTrue(comments.get(0).startsWith("Note du client sur le traitement de sa demande : 4/5 (bon).\n\n"
                + "Son commentaire : Quick and clear."), comments.get(0));
        assertEquals(List.of(), deskMails(r.number()), "4 is not a poor rating");

        // reopened, then resolved again: the new closing mail does not ask again
        assertEquals(204, sim.deliver(sim.moveStatus(r.key(), "In Progress")));
        await().atMost(Duration.ofSeconds(20)).until(() -> !"RESOLVED".equals(status(r.number())));
        assertEquals(204, sim.deliver(sim.resolve(r.key(), "Done")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "RESOLVED".equals(status(r.number())));
        Quiet.outbox(ds, r.number());
        MimeMessage last = Mailboxes.to(r.email()).get(Mailboxes.to(r.email()).size() - 1);
        assertNotEquals(r.closing().getHeader("Message-ID", null), last.getHeader("Message-ID", null));
        assertTrue(Mailboxes.text(last).contains("is resolved"), Mailboxes.text(last));
        assertEquals(Map.of(), links(Mailboxes.text(last), r.number()), Mailboxes.text(last));
        assertFalse(Mailboxes.text(last).contains("How did we do?"), Mailboxes.text(last));
    }

    @Test
    void aTicketNotResolvedIsNotRated() {
        String[] t = RequestPageTest.open(Samples.unique("rate-open"), "fr");
        String session = RequestPageTest.session(t[0], t[1]);
        Document request = Jsoup.parse(given().cookie("hub_request", session).get("/status/" + t[0]).asString());
        assertNull(request.getElementById("satisfaction"), "nothing to rate yet");
        Document page = Jsoup.parse(given().cookie("hub_request", session).get("/status/" + t[0] + "/satisfaction")
                .then().statusCode(200).extract().asString());
        assertEquals("Vous pourrez nous donner votre avis une fois votre demande résolue.",
                page.getElementById("rating-not-yet").text());
        assertNull(page.selectFirst("#satisfaction form"));
        assertEquals(409, answer(t[0], session, "fr", "5", null).statusCode());
        assertEquals(0, ratings(t[0]));
        Quiet.outbox(ds, t[0]); // its JSM request made before the next test resets the simulated Jira
    }

    // --- helpers

    long ratings(String number) {
        return Db.count(ds, "SELECT count(*) FROM ticket_satisfaction s JOIN ticket t ON t.id = s.ticket_id"
                + " WHERE t.number = ?", number);
    }

    /** The desk's mails about this ticket. */
    static List<MimeMessage> deskMails(String number) {
        return Mailboxes.to(SimulatorResource.TEAM).stream().filter(m -> {
            try {
                return m.getSubject().contains("[" + number + "]");
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static String period(YearMonth month) {
        return "from=" + month.atDay(1) + "&to=" + month.atEndOfMonth();
    }

    static String admin(String path) {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).get(path).then()
                .statusCode(200).extract().asString();
    }

    /** The CSV's satisfaction figures of the month: figure → value. */
    static Map<String, String> dashboardCsv(YearMonth month) {
        byte[] csv = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD)
                .get("/admin/dashboard.csv?" + period(month)).then().statusCode(200).extract().asByteArray();
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : new String(csv, StandardCharsets.UTF_8).split("\r\n")) {
            String[] f = line.split(",", -1);
            if (f.length == 8 && f[0].equals("satisfaction") && f[1].equals(month.toString())) {
                out.put(f[6], f[7]);
            }
        }
        return out;
    }

    static long dashboardCount(YearMonth month) {
        return Long.parseLong(dashboardCsv(month).get("count"));
    }

    /** The month's ratings as the database holds them: their sum and how many. */
    long[] monthSumAndCount(YearMonth month) {
        OffsetDateTime start = month.atDay(1).atStartOfDay(PARIS).toOffsetDateTime();
        OffsetDateTime end = month.plusMonths(1).atDay(1).atStartOfDay(PARIS).toOffsetDateTime();
        return new long[] {
                Db.count(ds, "SELECT coalesce(sum(rating), 0) FROM ticket_satisfaction WHERE given_at >= ?"
                        + " AND given_at < ?", start, end),
                Db.count(ds, "SELECT count(*) FROM ticket_satisfaction WHERE given_at >= ? AND given_at < ?", start,
                        end) };
    }

    String key(String number) {
        return Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number);
    }

    String status(String number) {
        return Db.string(ds, "SELECT status FROM ticket WHERE number = ?", number);
    }
}
