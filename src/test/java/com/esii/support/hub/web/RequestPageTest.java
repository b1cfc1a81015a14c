package com.esii.support.hub.web;

import com.esii.support.hub.ticket.Dates;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.BrowserForm;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.WireMockResource;
import com.esii.support.hub.testing.sim.Simulator;
import com.esii.support.hub.testing.sim.SimulatorProfile;
import com.esii.support.hub.testing.sim.SimulatorResource;
import com.esii.support.hub.ticket.Language;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The request page over HTTP, against the stateful Jira simulator: the link of the acknowledgement (whole in every
 * language, in the text and the HTML part), its exchange for a session cookie, who may see what, a reply with a
 * file reaching JSM as a public comment, solved / not solved, and "lost your link?".
 */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class RequestPageTest extends HubTestResources {

    @Inject
    DataSource ds;

    Simulator sim;

    @BeforeEach
    void fresh() {
        sim = SimulatorResource.simulator();
        sim.reset();
        sim.webhooksTo("http://localhost:" + RestAssured.port + "/webhooks/jira", WireMockResource.WEBHOOK_SECRET);
    }

    /** Opens a ticket over the API; answers its number and token. */
    static String[] open(String email, String language) {
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        body.put("language", language);
        body.put("accessCode", "4711-2026");
        Response r = given().contentType(ContentType.JSON).body(body).when().post("/api/tickets").then()
                .statusCode(201).extract().response();
        return new String[] { r.path("number"), r.path("accessToken") };
    }

    /** The link's token exchanged for the session cookie of the ticket's page. */
    static String session(String number, String token) {
        Response r = given().redirects().follow(false).when().get("/status/" + number + "?token=" + token).then()
                .statusCode(200).extract().response();
        return r.getCookie("hub_request");
    }

    static String raw(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theAcknowledgementsLinkStaysWholeInEveryLanguageInTheTextAndTheHtmlPart() throws Exception {
        for (Language l : Language.values()) {
            String email = Samples.unique("ack-link-" + l.code());
            String[] t = open(email, l.code());
            String url = "http://localhost:8080/status/" + t[0] + "?token=" + t[1];
            MimeMessage ack = Mailboxes.await(email, 1).get(0);
            assertTrue(ack.isMimeType("multipart/alternative"), ack.getContentType());
            String raw = raw(ack);
            String hours = switch (l) {
                case FR -> "sous 4 heures ouvrées (du lundi au vendredi, de 8 h à 18 h 30, heure de Paris)";
                case EN -> "within 4 business hours (Monday to Friday, 8:00 to 18:30, Paris time)";
                case ES -> "en un plazo de 4 horas hábiles (de lunes a viernes, de 8:00 a 18:30, hora de París)";
            };
            assertTrue(Mailboxes.text(ack).contains(hours), "the desk's hours and commitment from the settings: "
                    + Mailboxes.text(ack));
            if (l == Language.EN) { // issue 26: natural English, not the French "prendre en charge" word for word
                assertFalse(Mailboxes.text(ack).contains("in charge"), Mailboxes.text(ack));
            }
            // the URL as it travels: whole, on one line of its own, neither cut (soft line break) nor encoded
            assertTrue(raw.contains("\n" + url + "\r\n") || raw.contains("\n" + url + "\n"), l + ": " + raw);
            assertFalse(raw.contains("quoted-printable"), raw);
            assertTrue(Mailboxes.text(ack).contains("\n" + url + "\n"), Mailboxes.text(ack));
            String html = Mailboxes.html(ack);
            assertTrue(html.contains("<a href=\"" + url + "\">" + url + "</a>"), html);
            assertTrue(html.contains("<html lang=\"" + l.code() + "\">"), html);
            assertTrue(raw.contains("href=\"" + url + "\""), "the HTML part's link is whole in the raw mail too");
        }
    }

    @Test
    void theHtmlPartEscapesWhatTheCustomerWrote() {
        String html = com.esii.support.hub.mailkit.MailHtml.of("Objet : <script>alert(1)</script> & \"x\"\n\n"
                + "Suivre : https://hub.example/status/SUP-2026-000001?token=a_b-c.", "fr");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"), html);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("<a href=\"https://hub.example/status/SUP-2026-000001?token=a_b-c\">"), html);
    }

    @Test
    void theLinkIsExchangedForACookieOfTheTicketsPageOnlyAndThePageTellsWhatComesNext() {
        String email = Samples.unique("page-cookie");
        String[] t = open(email, "fr");
        Response opening = given().redirects().follow(false).when().get("/status/" + t[0] + "?token=" + t[1]);
        assertEquals(200, opening.statusCode());
        String setCookie = opening.getHeader("Set-Cookie");
        assertTrue(setCookie.contains("Path=/status/" + t[0]), setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP here: " + setCookie);
        assertTrue(opening.asString().contains("content=\"0;url=/status/" + t[0] + "\""), opening.asString());
        assertFalse(opening.asString().contains(t[1]), "the token is not in the page it leads to");
        assertEquals("no-referrer", opening.getHeader("Referrer-Policy"));
        String cookie = opening.getCookie("hub_request");

        OffsetDateTime due = OffsetDateTime.parse(Db.string(ds,
                "SELECT to_char(take_charge_due AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM ticket WHERE number = ?",
                t[0]));
        String page = given().cookie("hub_request", cookie).when().get("/status/" + t[0]).then().statusCode(200)
                .header("Cache-Control", "no-store").extract().asString();
        assertTrue(page.contains("Reçue, en attente de prise en charge"), page);
        String english = given().cookie("hub_request", cookie).queryParam("lang", "en").when().get("/status/" + t[0])
                .asString();
        assertTrue(english.contains("A support engineer will take on your request by"), english);
        assertFalse(english.contains("in charge"), "natural English (issue 26): " + english);
        assertTrue(page.contains("au plus tard le " + Dates.written(due, Language.FR) + " (heure de Paris)"), page);
        assertTrue(page.contains("Since this morning the tracker shows nothing."), "the first message: " + page);
        given().cookie("hub_request", cookie).queryParam("lang", "es").when().get("/status/" + t[0]).then()
                .body(containsString("a más tardar el " + Dates.written(due, Language.ES)));

        // without the cookie, with another ticket's cookie, or with a wrong token: the same "not found"
        String[] other = open(Samples.unique("page-other"), "fr");
        given().when().get("/status/" + t[0]).then().statusCode(404).body(not(containsString("tracker")));
        given().cookie("hub_request", cookie).when().get("/status/" + other[0]).then().statusCode(404);
        given().when().get("/status/" + t[0] + "?token=" + other[1]).then().statusCode(404);
        // the ticket API takes the same link token as before
        given().header("Authorization", "Bearer " + t[1]).when().get("/api/tickets/" + t[0]).then().statusCode(200);
    }

    /**
     * Issue 26: a reply with a file larger than a request may be (30 MB) is answered with the request page, status
     * 413, the limit named in the page's language and the message typed kept; nothing is added. Without the page's
     * session, the same answer as any reply without it.
     */
    @Test
    void aReplyWithAFileTooLargeToBeReceivedGivesThePageBackWithTheMessageTyped() {
        String[] t = open(Samples.unique("page-huge"), "es");
        String cookie = session(t[0], t[1]);
        HttpResponse<String> r = new BrowserForm().field("lang", "es").field("message", "Le envío el vídeo <del> fallo.")
                .file("attachments", "fallo.mp4", "video/mp4", WebFormTest.TOO_LARGE)
                .post("/status/" + t[0] + "/reply", "Cookie", "hub_request=" + cookie);
        assertEquals(413, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElseThrow().startsWith("default-src 'none'"),
                "the pages' headers");
        String html = r.body();
        assertTrue(html.contains("<html lang=\"es\">"), html);
        assertTrue(html.contains("<title>Error: Solicitud " + t[0]), html);
        assertTrue(html.contains("Los archivos son demasiado grandes para recibirlos: 30 MB como máximo en total,"
                + " 10 MB por archivo."), html);
        assertTrue(html.contains(">Le envío el vídeo &lt;del&gt; fallo.</textarea>"), html);
        assertTrue(html.contains("(fallo.mp4)"), html);
        assertTrue(html.contains("id=\"error-summary\""), html);
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket_message m JOIN ticket t ON t.id = m.ticket_id"
                + " WHERE t.number = ? AND m.direction = 'IN' AND m.body LIKE '%vídeo%'", t[0]));

        HttpResponse<String> without = new BrowserForm().field("lang", "es").field("message", "Sin sesión.")
                .file("attachments", "fallo.mp4", "video/mp4", WebFormTest.TOO_LARGE).post("/status/" + t[0] + "/reply");
        assertEquals(404, without.statusCode());
        assertFalse(without.body().contains("Sin sesión."));
    }

    @Test
    void aReplyWithAFileBecomesAPublicJsmCommentAndStaffsReplyFromJiraShowsOnThePage() throws Exception {
        String email = Samples.unique("page-reply");
        String[] t = open(email, "en");
        await().atMost(Duration.ofSeconds(20)).until(() -> key(t[0]) != null);
        String key = key(t[0]);
        String cookie = session(t[0], t[1]);

        // staff answer in Jira; the page shows it, and the notice mail links to the page
        assertEquals(204, sim.deliver(sim.staffComment(key, "Please send us the tracker's log.", true)));
        assertEquals(204, sim.deliver(sim.staffComment(key, "internal: VIP", false)));
        await().atMost(Duration.ofSeconds(20)).until(() -> given().cookie("hub_request", cookie)
                .get("/status/" + t[0]).asString().contains("Please send us the tracker&#39;s log."));
        String page = given().cookie("hub_request", cookie).get("/status/" + t[0]).asString();
        assertTrue(page.contains("Marie Agent, technical support"), page);
        assertFalse(page.contains("in charge"), "natural English (issue 26): " + page);
        assertFalse(page.contains("internal: VIP"), "internal comments stay internal");
        MimeMessage notice = Mailboxes.await(email, 2).get(1);
        Matcher link = Pattern.compile("(http://localhost:8080/status/" + t[0] + "\\?token=[A-Za-z0-9_-]+)\n")
                .matcher(Mailboxes.text(notice));
        assertTrue(link.find(), Mailboxes.text(notice));
        assertTrue(raw(notice).contains(link.group(1)), "whole in the raw notice");
        given().redirects().follow(false).get(link.group(1).substring("http://localhost:8080".length())).then()
                .statusCode(200).cookie("hub_request");

        // the customer answers on the page with a file: a message of the ticket, a public comment with the file
        byte[] log = "2026-11-28 tracker: no signal\n".getBytes(StandardCharsets.UTF_8);
        Response posted = new BrowserForm().field("lang", "en").field("message", "Here is the log.")
                .file("attachments", "tracker.log", "text/plain", log)
                .into(given().cookie("hub_request", cookie).redirects().follow(false)).post("/status/" + t[0] + "/reply");
        assertEquals(303, posted.statusCode(), posted.asString());
        assertTrue(posted.getHeader("Location").contains("/status/" + t[0] + "?lang=en&done=sent"));
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.comments(key).stream()
                .anyMatch(c -> c.isPublic() && c.body().contains("Here is the log.")));
        // staff read who wrote it (the hub's account writes the comment), in the desk's language (French here)
        assertTrue(sim.comments(key).stream().anyMatch(c -> c.body().startsWith("Jane Doe <" + email
                + "> a écrit :\n\nHere is the log.")), sim.comments(key).toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.request(key).attachments().contains("tracker.log"));
        page = given().cookie("hub_request", cookie).get("/status/" + t[0] + "?done=sent").asString();
        assertTrue(page.contains("Your message was added to the request."), page);
        assertTrue(page.indexOf("Please send us the tracker") < page.indexOf("Here is the log."), "oldest first");
        Matcher file = Pattern.compile("href=\"(/status/" + t[0] + "/files/\\d+)\" download>tracker.log<").matcher(page);
        assertTrue(file.find(), page);
        byte[] got = given().cookie("hub_request", cookie).get(file.group(1)).then().statusCode(200)
                .header("Content-Disposition", containsString("attachment")).extract().asByteArray();
        assertEquals(new String(log, StandardCharsets.UTF_8), new String(got, StandardCharsets.UTF_8));
        given().get(file.group(1)).then().statusCode(404);
        String[] other = open(Samples.unique("page-reply-other"), "en");
        given().cookie("hub_request", session(other[0], other[1])).get(file.group(1).replace(t[0], other[0])).then()
                .statusCode(404);

        // an executable is refused with one clear sentence, what was typed is kept and the file is named
        String refused = new BrowserForm().field("lang", "en").field("message", "And the tool.")
                .file("attachments", "fix.exe", "application/octet-stream", new byte[] { 77, 90 })
                .into(given().cookie("hub_request", cookie)).post("/status/" + t[0] + "/reply").then().statusCode(400)
                .extract().asString();
        assertTrue(refused.contains("<title>Error: Request " + t[0]), refused);
        assertTrue(refused.contains("The file &quot;fix.exe&quot; is of a refused type"), refused);
        assertTrue(refused.contains(">And the tool.</textarea>"), refused);
        assertTrue(refused.contains("The files you chose were not kept (fix.exe)"), refused);
        assertEquals(2, Db.count(ds, "SELECT count(*) FROM ticket_message m JOIN ticket t ON t.id = m.ticket_id"
                + " WHERE t.number = ? AND m.direction = 'IN' AND m.visibility = 'PUBLIC'", t[0]));
    }

    /**
     * Issue 26: the conversation shows what the customer was told by mail of R&D's work (the workaround, labelled
     * as one; the fix delivered, in the page's language), and every time on the page says it is Paris time.
     */
    @Test
    void theConversationShowsRdsWorkaroundAndTheFixDeliveredAndEveryTimeIsParisTime() {
        String email = Samples.unique("page-rd");
        String[] t = open(email, "fr");
        await().atMost(Duration.ofSeconds(20)).until(() -> key(t[0]) != null);
        String key = key(t[0]);
        String cookie = session(t[0], t[1]);
        assertEquals(204, sim.deliver(sim.moveStatus(key, "In Progress")));
        assertEquals(204, sim.deliver(sim.addLabel(key, "escalate-n2")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.string(ds, "SELECT rd_key FROM ticket WHERE number = ?",
                t[0]) != null);
        String bug = Db.string(ds, "SELECT rd_key FROM ticket WHERE number = ?", t[0]);
        assertEquals(204, sim.deliver(sim.staffComment(bug, "Workaround: redémarrez le service Tracker.", true)));
        sim.setFixVersion(bug, "4.2.1");
        assertEquals(204, sim.deliver(sim.releaseVersion("DEV", "4.2.1")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Mailboxes.to(email).stream().map(Mailboxes::text)
                .anyMatch(m -> m.contains("livrée dans la version 4.2.1")));

        org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(given().cookie("hub_request", cookie)
                .get("/status/" + t[0]).asString());
        List<String> said = page.select("#conversation > li").eachText();
        assertEquals(3, said.size(), "the request, the workaround, the fix: " + said);
        assertTrue(said.get(1).contains("Contournement proposé par la R&D")
                && said.get(1).contains("redémarrez le service Tracker."), said.get(1));
        assertTrue(said.get(2).contains("La correction est livrée dans la version 4.2.1."), said.get(2));
        for (org.jsoup.nodes.Element time : page.select("time")) {
            String after = time.parent().text();
            assertTrue(after.contains(time.text() + " (heure de Paris)"), "a time without its zone: " + after);
        }
        assertTrue(page.select("time").size() >= 5, "created, taken on, three messages: " + page.select("time"));
        // in another language, the same news in its words
        String english = given().cookie("hub_request", cookie).queryParam("lang", "en").get("/status/" + t[0])
                .asString();
        assertTrue(english.contains("Workaround from R&amp;D"), english);
        assertTrue(english.contains("The fix is delivered in version 4.2.1."), english);
        assertTrue(english.contains("(Paris time)"), english);
    }

    /**
     * Issue 26: staff put the request in "Waiting for customer" without a word: the clock stops, and the customer is
     * told by a short mail in their language, threaded like the other notices, that an answer of theirs is awaited
     * and how to give it. When staff's public reply is what awaits an answer, that reply was the mail: none more.
     */
    @Test
    void waitingForTheCustomerWithoutACommentTellsThemAnAnswerIsAwaited() throws Exception {
        String email = Samples.unique("page-waiting");
        String[] t = open(email, "es");
        await().atMost(Duration.ofSeconds(20)).until(() -> key(t[0]) != null);
        String key = key(t[0]);
        MimeMessage ack = Mailboxes.await(email, 1).get(0);
        assertEquals(204, sim.deliver(sim.moveStatus(key, "Waiting for customer")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "WAITING_ON_CUSTOMER".equals(status(t[0])));
        MimeMessage waiting = Mailboxes.await(email, 2).get(1);
        String text = Mailboxes.text(waiting);
        assertEquals("[" + t[0] + "] " + ack.getSubject().substring(ack.getSubject().indexOf("] ") + 2),
                waiting.getSubject());
        assertTrue(text.contains("El soporte técnico espera una respuesta suya para continuar con su solicitud "
                + t[0] + "."), text);
        assertTrue(text.contains("responda a este mensaje"), text);
        Matcher link = Pattern.compile("http://localhost:8080/status/" + t[0] + "\\?token=[A-Za-z0-9_-]+\n")
                .matcher(text);
        assertTrue(link.find(), "the request page's link: " + text);
        assertEquals(ack.getMessageID(), waiting.getHeader("In-Reply-To", null), "threaded to the acknowledgement");
        assertEquals("auto-generated", waiting.getHeader("Auto-Submitted", null));

        // staff ask in a public reply, then wait: the reply was the customer's mail
        assertEquals(204, sim.deliver(sim.moveStatus(key, "In Progress")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "IN_PROGRESS".equals(status(t[0])));
        assertEquals(204, sim.deliver(sim.staffComment(key, "¿Puede enviarnos el registro del rastreador?", true)));
        Mailboxes.await(email, 3);
        long synced = syncsDone(key);
        assertEquals(204, sim.deliver(sim.moveStatus(key, "Waiting for customer")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "WAITING_ON_CUSTOMER".equals(status(t[0])));
        await().atMost(Duration.ofSeconds(20)).until(() -> syncsDone(key) > synced);
        Quiet.mailsTo(ds, email);
        assertEquals(3, Mailboxes.to(email).size(), "the acknowledgement, the first waiting notice, staff's question");
    }

    @Test
    void afterTheResolutionNotSolvedReopensTheRequestInJsmAndSolvedIsRecordedOnce() {
        String email = Samples.unique("page-solved");
        String[] t = open(email, "fr");
        await().atMost(Duration.ofSeconds(20)).until(() -> key(t[0]) != null);
        String key = key(t[0]);
        String cookie = session(t[0], t[1]);
        resolvedInJira(t[0], key);
        String page = given().cookie("hub_request", cookie).get("/status/" + t[0]).asString();
        assertTrue(page.contains("Le problème est-il résolu ?"), page);
        // Jira's resolution in the customer's words (issue 26): "Done" says no more than "résolue"
        String resolved = Mailboxes.text(Mailboxes.await(email, 2).get(1));
        assertTrue(resolved.contains("Votre demande " + t[0] + " est résolue.\n"), resolved);
        assertFalse(resolved.contains("Done"), resolved);

        notSolved(t[0], cookie, "Le traceur s'arrête encore la nuit.");
        assertTrue(List.of("NEW", "IN_PROGRESS").contains(status(t[0])), status(t[0]));
        await().atMost(Duration.ofSeconds(20)).until(() -> !"Resolved".equals(sim.request(key).status()));
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.comments(key).stream()
                .anyMatch(c -> c.isPublic() && c.body().contains("Le traceur s'arrête encore la nuit.")));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'reopened' AND e.source = 'customer'", t[0]));

        assertEquals(204, sim.deliver(sim.resolve(key, "Cannot Reproduce")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "RESOLVED".equals(status(t[0])));
        await().atMost(Duration.ofSeconds(20)).until(() -> Mailboxes.to(email).stream().map(Mailboxes::text)
                .anyMatch(m -> m.contains("est résolue (problème non reproduit).")));
        assertTrue(Mailboxes.to(email).stream().map(Mailboxes::text).noneMatch(m -> m.contains("Cannot Reproduce")));
        for (int i = 0; i < 2; i++) { // a second click changes nothing
            new BrowserForm().field("lang", "fr").into(given().cookie("hub_request", cookie).redirects().follow(false))
                    .post("/status/" + t[0] + "/solved").then().statusCode(303);
        }
        assertEquals("RESOLVED", status(t[0]));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'resolution-confirmed' AND e.source = 'customer'", t[0]));
        given().cookie("hub_request", cookie).get("/status/" + t[0]).then()
                .body(containsString("Vous avez confirmé que le problème est résolu."))
                .body(not(containsString("Le problème est-il résolu ?")));
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.comments(key).stream()
                .anyMatch(c -> !c.isPublic()
                        && c.body().startsWith("Le client a confirmé sur la page de sa demande que le problème est résolu.")));
    }

    /**
     * Taking a request in charge is staff's act (issue 26): a request resolved before anyone took it in charge and
     * reopened by its customer moves to an in-progress status in JSM, and that is no taking in charge (it counted as
     * one, and improved the 4-hour figure); staff's first public reply is one.
     */
    @Test
    void aReopenTakesNothingInChargeAndStaffsFirstPublicReplyDoes() {
        String[] t = open(Samples.unique("page-reopen"), "fr");
        await().atMost(Duration.ofSeconds(20)).until(() -> key(t[0]) != null);
        String key = key(t[0]);
        String cookie = session(t[0], t[1]);
        resolvedInJira(t[0], key);
        notSolved(t[0], cookie, "Toujours en panne.");
        await().atMost(Duration.ofSeconds(20)).until(() -> "Reopened".equals(sim.request(key).status()));

        // Jira tells the hub the request's new status (Reopened, an in-progress category)
        long synced = syncsDone(key);
        assertEquals(204, sim.deliver(sim.moveStatus(key, "Reopened")));
        await().atMost(Duration.ofSeconds(20)).until(() -> syncsDone(key) > synced);
        assertNull(takenInChargeAt(t[0]));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'taken-in-charge'", t[0]));

        // staff answer publicly: that takes it in charge
        assertEquals(204, sim.deliver(sim.staffComment(key, "Nous regardons votre traceur.", true)));
        await().atMost(Duration.ofSeconds(20)).until(() -> takenInChargeAt(t[0]) != null);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'taken-in-charge' AND e.detail LIKE '%first public reply%'", t[0]));
    }

    @Test
    void aReopenLeadingToATakingStatusTakesNothingInChargeNowOrAtTheNextSync() {
        // A workflow whose reopen goes back to In Progress (one of hub.jira.taken-in-charge-statuses)
        sim.reopenInto("In Progress");
        String[] t = open(Samples.unique("page-reopen-progress"), "fr");
        await().atMost(Duration.ofSeconds(20)).until(() -> key(t[0]) != null);
        String key = key(t[0]);
        String cookie = session(t[0], t[1]);
        resolvedInJira(t[0], key);
        notSolved(t[0], cookie, "Toujours en panne.");
        await().atMost(Duration.ofSeconds(20)).until(() -> "In Progress".equals(sim.request(key).status()));

        // Jira tells the hub the request's new status, then something else (an internal note): no step each time
        long synced = syncsDone(key);
        assertEquals(204, sim.deliver(sim.moveStatus(key, "In Progress")));
        await().atMost(Duration.ofSeconds(20)).until(() -> syncsDone(key) > synced);
        long synced2 = syncsDone(key);
        assertEquals(204, sim.deliver(sim.staffComment(key, "Voir le journal du traceur.", false)));
        await().atMost(Duration.ofSeconds(20)).until(() -> syncsDone(key) > synced2);
        assertNull(takenInChargeAt(t[0]));
        assertEquals(0, takings(t[0]));

        // staff's first public reply takes it in charge; a later resolve and reopen changes nothing of it
        assertEquals(204, sim.deliver(sim.staffComment(key, "Nous regardons votre traceur.", true)));
        await().atMost(Duration.ofSeconds(20)).until(() -> takenInChargeAt(t[0]) != null);
        String taken = takenInChargeAt(t[0]);
        resolvedInJira(t[0], key);
        notSolved(t[0], cookie, "Encore.");
        await().atMost(Duration.ofSeconds(20)).until(() -> "In Progress".equals(sim.request(key).status()));
        long synced3 = syncsDone(key);
        assertEquals(204, sim.deliver(sim.moveStatus(key, "In Progress")));
        await().atMost(Duration.ofSeconds(20)).until(() -> syncsDone(key) > synced3);
        assertEquals(taken, takenInChargeAt(t[0]));
        assertEquals(1, takings(t[0]));
    }

    @Test
    void aRequestReopenedInJiraIntoATakingStatusIsNotTakenInChargeByTheNextSyncButStaffsMoveIs() {
        String[] t = open(Samples.unique("jira-reopen-progress"), "en");
        await().atMost(Duration.ofSeconds(20)).until(() -> key(t[0]) != null);
        String key = key(t[0]);
        resolvedInJira(t[0], key);
        // reopened on Jira's side (the portal, an automation) straight into In Progress
        assertEquals(204, sim.deliver(sim.moveStatus(key, "In Progress")));
        await().atMost(Duration.ofSeconds(20)).until(() -> !"RESOLVED".equals(status(t[0])));
        long synced = syncsDone(key);
        assertEquals(204, sim.deliver(sim.addLabel(key, "customer-site")));
        await().atMost(Duration.ofSeconds(20)).until(() -> syncsDone(key) > synced);
        assertNull(takenInChargeAt(t[0]));

        // staff move it on, then back to In Progress themselves: that is taking it in charge
        long synced2 = syncsDone(key);
        assertEquals(204, sim.deliver(sim.moveStatus(key, "Reopened")));
        await().atMost(Duration.ofSeconds(20)).until(() -> syncsDone(key) > synced2);
        assertEquals(204, sim.deliver(sim.moveStatus(key, "In Progress")));
        await().atMost(Duration.ofSeconds(20)).until(() -> takenInChargeAt(t[0]) != null);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'taken-in-charge' AND e.detail = 'JSM status In Progress'", t[0]));
    }

    long takings(String number) {
        return Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'taken-in-charge'", number);
    }

    /** Staff resolve the request in Jira (Done), and the hub has it resolved. */
    void resolvedInJira(String number, String key) {
        assertEquals(204, sim.deliver(sim.resolve(key, "Done")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "RESOLVED".equals(status(number)));
    }

    /** The customer presses "not solved" on the request page (French), with their words. */
    void notSolved(String number, String cookie, String message) {
        new BrowserForm().field("lang", "fr").field("message", message)
                .into(given().cookie("hub_request", cookie).redirects().follow(false))
                .post("/status/" + number + "/not-solved").then().statusCode(303);
    }

    String takenInChargeAt(String number) {
        return Db.string(ds, "SELECT taken_in_charge_at FROM ticket WHERE number = ?", number);
    }

    long syncsDone(String key) {
        return Db.count(ds, "SELECT count(*) FROM outbox WHERE lane = ? AND status = 'DONE'", "jira-in:" + key);
    }

    @Test
    void lostLinksGoOnlyToTheAddressOfTheRequestsAndTheAnswerNeverTellsWhetherItHasAny() throws Exception {
        String email = Samples.unique("lost-link");
        String[] first = open(email, "fr");
        String[] second = open(email, "fr");
        Mailboxes.await(email, 2);
        String known = new BrowserForm().field("lang", "fr").field("email", email.toUpperCase())
                .into(given()).post("/lost-link").then().statusCode(200).extract().asString();
        String unknown = new BrowserForm().field("lang", "fr").field("email", Samples.unique("nobody"))
                .into(given()).post("/lost-link").then().statusCode(200).extract().asString();
        assertEquals(known.replace(email.toUpperCase(), "X"), unknown.replaceAll("nobody-[0-9a-f]{8}@customer\\.example", "X"),
                "the same answer whether the address has requests or not");
        await().atMost(Duration.ofSeconds(20)).until(() -> Mailboxes.to(email).size() == 3);
        MimeMessage links = Mailboxes.to(email).get(2);
        assertEquals("Les liens vers vos demandes de support", links.getSubject());
        String text = Mailboxes.text(links);
        for (String number : List.of(first[0], second[0])) {
            Matcher m = Pattern.compile("\n(http://localhost:8080/status/" + number + "\\?token=[A-Za-z0-9_-]+)\n").matcher(text);
            assertTrue(m.find(), text);
            assertTrue(raw(links).contains(m.group(1)));
            assertNotNull(given().redirects().follow(false).get(m.group(1).substring(21)).then().statusCode(200)
                    .extract().cookie("hub_request"), "the new link opens the page");
        }
        assertTrue(text.indexOf(second[0]) < text.indexOf(first[0]), "newest first");
        // asked again and again: the loop caps and the per-address limit keep the mailbox quiet
        for (int i = 0; i < 6; i++) {
            new BrowserForm().field("lang", "fr").field("email", email).into(given()).post("/lost-link").then()
                    .statusCode(200);
        }
        Quiet.outbox(ds, "links:" + email.toLowerCase(java.util.Locale.ROOT)); // every link mail asked for is sent
        assertEquals(3, Mailboxes.to(email).size(), "no more than the address's cap of automatic mails (3 in 10 min)");
        new BrowserForm().field("lang", "en").field("email", "not an address").into(given()).post("/lost-link").then()
                .statusCode(400).body(containsString("<title>Error: Lost your link?"));
    }

    String key(String number) {
        return Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number);
    }

    String status(String number) {
        return Db.string(ds, "SELECT status FROM ticket WHERE number = ?", number);
    }
}
