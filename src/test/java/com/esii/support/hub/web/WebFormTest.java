package com.esii.support.hub.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.BrowserForm;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.GreenMailResource;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.ticket.Dates;
import com.esii.support.hub.ticket.Language;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class WebFormTest extends HubTestResources {

    private static final Pattern NUMBER = Pattern.compile("id=\"ticket-number\">(SUP-\\d{4}-\\d{6})<");

    @Inject
    DataSource ds;

    @Test
    void theFormSpeaksTheBrowsersLanguageAndSwitches() {
        given().header("Accept-Language", "es-ES,es;q=0.9").when().get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<html lang=\"es\">"))
                .body(containsString("Abrir una solicitud de soporte"))
                .body(containsString("name=\"switchLang\" value=\"en\""));
        Response en = given().header("Accept-Language", "es").queryParam("lang", "en").when().get("/");
        en.then().statusCode(200).body(containsString("Open a support request"));
        assertEquals("en", en.cookie("lang"));
        given().cookie("lang", "en").header("Accept-Language", "es").when().get("/").then()
                .body(containsString("Open a support request"));
        given().when().get("/").then().body(containsString("<html lang=\"fr\">"))
                .body(containsString("Ouvrir une demande de support"));
    }

    @Test
    void everyFieldHasALabelAndTheFormWorksWithoutJavaScript() {
        String html = given().queryParam("lang", "en").when().get("/").then().statusCode(200).extract().asString();
        for (String field : new String[] { "name", "email", "company", "accessCode", "product", "impact", "subject",
                "description", "attachments", "kind-problem", "kind-question" }) {
            assertTrue(html.contains("<label for=\"" + field + "\""), "no label for " + field);
            assertTrue(html.contains("id=\"" + field + "\""), "no field " + field);
        }
        assertTrue(html.contains("method=\"post\"") && html.contains("enctype=\"multipart/form-data\""));
        assertTrue(!html.contains("<script"), "the form needs no script");
    }

    @Test
    void aTicketFromTheFormIsStoredShownAndAcknowledgedByMail() throws Exception {
        String email = Samples.unique("web");
        String html = new BrowserForm().field("name", "Jean Dupont").field("email", email)
                .field("company", "Mairie").field("accessCode", "ACME-42").field("product", "Borne")
                .field("subject", "Écran noir").field("description", "Plus rien ne s'affiche.")
                .field("impact", "major").field("kind", "problem").field("lang", "fr")
                .field("formKey", java.util.UUID.randomUUID().toString()).field("website", "")
                .file("attachments", "journal.log", "text/plain", "ligne 1\nligne 2".getBytes(StandardCharsets.UTF_8))
                .into(given()).when().post("/")
                .then().statusCode(200).body(containsString("Demande enregistrée")).extract().asString();
        Matcher m = NUMBER.matcher(html);
        assertTrue(m.find(), html);
        String number = m.group(1);

        assertEquals("Écran noir", Db.string(ds, "SELECT subject FROM ticket WHERE number = ?", number));
        assertEquals("WEB", Db.string(ds, "SELECT channel FROM ticket WHERE number = ?", number));
        assertEquals("MAJOR", Db.string(ds, "SELECT criticality FROM ticket WHERE number = ?", number));
        assertEquals("ACME-42", Db.string(ds, "SELECT access_code FROM ticket WHERE number = ?", number));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM attachment a JOIN ticket t ON t.id = a.ticket_id"
                + " WHERE t.number = ? AND a.filename = 'journal.log' AND a.size_bytes = 15", number));

        // The acknowledgement, read from the customer's mailbox over IMAP.
        Mailboxes.await(email, 1);
        Properties p = new Properties();
        Session s = Session.getInstance(p);
        try (Store store = s.getStore("imap")) {
            store.connect("127.0.0.1", GreenMailResource.mail().getImap().getPort(), email, email);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] msgs = inbox.getMessages();
            assertEquals(1, msgs.length);
            assertEquals("[" + number + "] Écran noir", msgs[0].getSubject());
            String text = com.esii.support.hub.testing.Mailboxes.text(msgs[0]);
            assertTrue(text.contains("Nous avons bien reçu votre demande"), text);
            assertTrue(text.contains("Impact : Majeur"), text);
            Matcher link = Pattern.compile("/status/" + number + "\\?token=([A-Za-z0-9_-]+)").matcher(text);
            assertTrue(link.find(), text);
            // The link in the mail opens the request page: its token exchanged for a session on the ticket's page.
            String session = given().when().get("/status/" + number + "?token=" + link.group(1)).then()
                    .statusCode(200).extract().cookie("hub_request");
            given().cookie("hub_request", session).when().get("/status/" + number).then().statusCode(200)
                    .body(containsString(number)).body(containsString("Écran noir"))
                    .body(containsString("Reçue, en attente de prise en charge"));
        }
        given().when().get("/status/" + number + "?token=wrong").then().statusCode(404)
                .body(not(containsString("Écran noir")));
        given().when().get("/status/" + number).then().statusCode(404);
    }

    /** Submits the form as a browser does; answers the page. */
    static String submit(String email, String accessCode, String lang) {
        return new BrowserForm().field("name", "Jean Dupont").field("email", email).field("company", "Mairie")
                .field("accessCode", accessCode).field("product", "Borne").field("subject", "Écran noir")
                .field("description", "Plus rien ne s'affiche.").field("impact", "major").field("kind", "problem")
                .field("lang", lang).field("formKey", java.util.UUID.randomUUID().toString()).field("website", "")
                .into(given()).when().post("/").then().statusCode(200).extract().asString();
    }

    @Test
    void anAccessCodeThatNamesNoContractIsSaidSoAndTheAcknowledgementGivesThisTicketsOwnCommitment() {
        // what says the code was not recognised, what says a quote comes first, the 4-hour promise
        java.util.Map<Language, List<String>> words = java.util.Map.of(
                Language.FR, List.of("n'a pas été reconnu", "après acceptation d'un devis", "heures ouvrées"),
                Language.EN, List.of("was not recognised", "once you have accepted a quote", "business hours"),
                Language.ES, List.of("no ha sido reconocido", "una vez aceptado un presupuesto", "horas hábiles"));
        for (Language l : Language.values()) {
            String email = Samples.unique("code-" + l.code());
            String code = "NOPE-" + l.code().toUpperCase(java.util.Locale.ROOT);
            String html = submit(email, code, l.code()).replace("&#39;", "'");
            assertTrue(html.contains(code) && html.contains(words.get(l).get(0)), html);
            String text = Mailboxes.text(Mailboxes.await(email, 1).get(0));
            assertTrue(text.contains("(" + code + ")") && text.contains(words.get(l).get(0)), text);
            assertTrue(text.contains(words.get(l).get(1)), "no maintenance: a quote first: " + text);
            assertFalse(text.contains(words.get(l).get(2)), "no 4-hour promise without a contract: " + text);
        }
        // a code that names a maintained customer: nothing said of the code, the ticket's own deadline in words
        String email = Samples.unique("code-ok");
        String html = submit(email, "4711-2026", "fr").replace("&#39;", "'");
        assertFalse(html.contains("n'a pas été reconnu"), html);
        Matcher m = NUMBER.matcher(html);
        assertTrue(m.find(), html);
        OffsetDateTime due = OffsetDateTime.ofInstant(Instant.ofEpochSecond(Db.count(ds,
                "SELECT FLOOR(EXTRACT(EPOCH FROM take_charge_due)) FROM ticket WHERE number = ?", m.group(1))),
                ZoneOffset.UTC);
        String text = Mailboxes.text(Mailboxes.await(email, 1).get(0));
        assertTrue(text.contains("au plus tard le " + Dates.written(due, Language.FR) + " (heure de Paris)"), text);
        assertTrue(text.contains("sous 4 heures ouvrées"), text);
        assertFalse(text.contains("reconnu") || text.contains("devis") || text.contains("astreinte"), text);
    }

    @Test
    void errorsAreShownNextToTheirFieldsAndWhatWasTypedIsKept() {
        long before = Db.count(ds, "SELECT count(*) FROM ticket");
        String html = new BrowserForm().field("name", "Ann").field("email", "not-an-address")
                .field("subject", "s".repeat(300)).field("description", "It broke.").field("lang", "en")
                .field("company", "Keep <me> & co")
                .file("attachments", "tool.exe", "application/octet-stream", new byte[] { 1, 2 })
                .into(given()).when().post("/")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("id=\"email-error\""), html);
        assertTrue(html.contains("aria-describedby=\"email-error\""));
        assertTrue(html.contains("id=\"subject-error\""));
        assertTrue(html.contains("id=\"attachments-error\""));
        assertTrue(html.contains("The file &quot;tool.exe&quot; is of a refused type"), html);
        assertTrue(html.contains("The files you chose were not kept (tool.exe): please choose them again."), html);
        assertTrue(html.contains("<title>Error: Open a support request"), html);
        assertTrue(html.contains("The subject is at most 255 characters."), html);
        assertTrue(!html.contains("id=\"name-error\""), "name was fine");
        assertTrue(html.contains("Some fields need correcting"));
        assertTrue(html.contains("value=\"not-an-address\""));
        assertTrue(html.contains("It broke.</textarea>"));
        assertTrue(html.contains("Keep &lt;me&gt; &amp; co"), "typed text is kept, escaped");
        assertEquals(before, Db.count(ds, "SELECT count(*) FROM ticket"));
    }

    @Test
    void eachCaseHasOneClearMessageAndTheFormSaysWhatIsOptionalAndHowToReachTheDesk() {
        String html = new BrowserForm().field("name", " ").field("email", "").field("subject", "Down")
                .field("description", "It broke.").field("lang", "fr").into(given()).when().post("/")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("<title>Erreur : Ouvrir une demande de support"), html);
        assertTrue(html.contains(">Erreur : Indiquez votre nom.</p>"), html);
        assertTrue(html.contains(">Erreur : Indiquez votre adresse e-mail.</p>"), html);
        assertTrue(!html.contains("200 caractères"), "an empty name is not told about its length");
        assertTrue(html.contains("id=\"error-summary\" autofocus"), html);

        for (String[] l : new String[][] { { "fr", "(facultatif)" }, { "en", "(optional)" }, { "es", "(opcional)" } }) {
            String form = given().queryParam("lang", l[0]).when().get("/").then().statusCode(200).extract().asString();
            for (String optional : new String[] { "company", "accessCode", "product", "impact", "attachments" }) {
                assertTrue(java.util.regex.Pattern.compile("<label for=\"" + optional + "\">[^<]*<span class=\"hint\">"
                        + java.util.regex.Pattern.quote(l[1]) + "</span>").matcher(form).find(), optional + " in " + l[0]);
            }
            for (String required : new String[] { "name", "email", "subject", "description" }) {
                assertTrue(form.contains("id=\"" + required + "\"") && !form.contains("<label for=\"" + required
                        + "\">" + "x"), required);
                assertTrue(java.util.regex.Pattern.compile("<label for=\"" + required + "\">[^<]*</label>")
                        .matcher(form).find(), required + " is not marked optional in " + l[0]);
            }
            assertTrue(form.contains("href=\"tel:0499922999\""), form);
            assertTrue(form.contains("id=\"accessCode-help\""), form);
            assertTrue(form.contains("10 "), "the size limit is stated");
        }
        String fr = given().queryParam("lang", "fr").when().get("/").asString();
        assertTrue(fr.contains("Du lundi au vendredi, de 8 h à 18 h 30 (heure de Paris)"), fr);
        String en = given().queryParam("lang", "en").when().get("/").asString();
        assertTrue(en.contains("Monday to Friday, 8:00 to 18:30 (Paris time)"), en);
        assertTrue(en.contains("At most 10 MB per file and 10 files; programs (.exe, .bat, .js…) are refused."), en);
    }

    @Test
    void theLanguageSwitchKeepsWhatWasTypedAndNamesTheFilesToChooseAgain() {
        long before = Db.count(ds, "SELECT count(*) FROM ticket");
        String html = new BrowserForm().field("name", "Ana").field("email", "ana@cliente.example")
                .field("subject", "Pantalla negra").field("description", "No arranca.").field("lang", "fr")
                .field("impact", "major").field("switchLang", "es")
                .file("attachments", "foto.png", "image/png", new byte[] { 1 })
                .into(given()).when().post("/").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<html lang=\"es\">"), html);
        assertTrue(html.contains("value=\"Ana\"") && html.contains("No arranca.</textarea>"), html);
        assertTrue(html.contains("value=\"major\" selected"), html);
        assertTrue(html.contains("(foto.png)"), html);
        assertEquals(before, Db.count(ds, "SELECT count(*) FROM ticket"), "switching opens nothing");
    }

    @Test
    void aBotFillingTheHoneypotCreatesNothing() {
        long before = Db.count(ds, "SELECT count(*) FROM ticket");
        new BrowserForm().field("name", "Bot").field("email", "bot@spam.example").field("subject", "Buy")
                .field("description", "cheap").field("website", "http://spam.example")
                .into(given()).when().post("/").then().statusCode(200);
        assertEquals(before, Db.count(ds, "SELECT count(*) FROM ticket"));
        assertTrue(Mailboxes.to("bot@spam.example").isEmpty());
    }

    @Test
    void resubmittingTheSameFormCreatesOneTicket() {
        String email = Samples.unique("web-twice");
        String key = java.util.UUID.randomUUID().toString();
        String[] numbers = new String[2];
        for (int i = 0; i < 2; i++) {
            String html = new BrowserForm().field("name", "Ann").field("email", email).field("subject", "Twice")
                    .field("description", "Pressed F5").field("formKey", key)
                    .into(given()).when().post("/").then().statusCode(200).extract().asString();
            Matcher m = NUMBER.matcher(html);
            assertTrue(m.find());
            numbers[i] = m.group(1);
        }
        assertEquals(numbers[0], numbers[1]);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", email));
    }

    /** A body larger than quarkus.http.limits.max-body-size (30M): a 31 MB file. */
    static final byte[] TOO_LARGE = new byte[31 * 1024 * 1024];

    /**
     * Issue 26: a file larger than a request may be (30 MB) is answered with the form itself, status 413, the limit
     * named in the page's language, everything typed kept and the file named to be chosen again; nothing is opened.
     */
    @Test
    void aFileTooLargeToBeReceivedGivesTheFormBackWithWhatWasTypedAndTheLimit() {
        long before = Db.count(ds, "SELECT count(*) FROM ticket");
        String email = Samples.unique("web-huge");
        String description = "The kiosk shows a green line, then goes dark; see the video. ".repeat(150).strip();
        HttpResponse<String> r = new BrowserForm().field("lang", "en").field("formKey", java.util.UUID.randomUUID().toString())
                .field("website", "").field("name", "Ann Lee").field("email", email).field("company", "Town <hall>")
                .field("accessCode", "4711-2026").field("product", "Kiosk").field("kind", "question")
                .field("impact", "minor").field("subject", "Video of the fault").field("description", description)
                .file("attachments", "fault.mp4", "video/mp4", TOO_LARGE).post("/");
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElseThrow().startsWith("default-src 'none'"),
                "the pages' headers");
        String html = r.body();
        assertTrue(html.contains("<title>Error: Open a support request"), html);
        assertTrue(html.contains("The files are too large to be received: 30 MB at most in all, 10 MB per file."
                + " Nothing was sent; what you typed is kept below."), html);
        assertTrue(html.contains("The files you chose were not kept (fault.mp4): please choose them again."), html);
        assertTrue(html.contains("aria-describedby=\"attachments-help attachments-error attachments-lost\""), html);
        assertTrue(html.contains("value=\"Ann Lee\"") && html.contains("value=\"" + email + "\"")
                && html.contains("value=\"Town &lt;hall&gt;\"") && html.contains("value=\"4711-2026\"")
                && html.contains("value=\"Kiosk\"") && html.contains("value=\"Video of the fault\""), html);
        assertTrue(html.contains(">" + description + "</textarea>"), "a long description comes back whole");
        assertTrue(html.contains("value=\"minor\" selected") && html.contains("value=\"question\" checked"), html);
        assertEquals(before, Db.count(ds, "SELECT count(*) FROM ticket"));

        // in the language the page was in
        String fr = new BrowserForm().field("lang", "fr").field("name", "Inès").field("email", email)
                .field("subject", "Vidéo").field("description", "Voir la vidéo.")
                .file("attachments", "panne.mp4", "video/mp4", TOO_LARGE).post("/").body();
        assertTrue(fr.contains("Les fichiers sont trop volumineux pour être reçus : 30 Mo au plus en tout, 10 Mo par"
                + " fichier."), fr);
        assertTrue(fr.contains("Voir la vidéo.</textarea>"), fr);
    }
}
