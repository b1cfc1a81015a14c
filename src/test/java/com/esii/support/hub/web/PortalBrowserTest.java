package com.esii.support.hub.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import com.esii.support.hub.testing.Browser;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.WireMockResource;
import com.esii.support.hub.testing.sim.Simulator;
import com.esii.support.hub.testing.sim.SimulatorProfile;
import com.esii.support.hub.testing.sim.SimulatorResource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * The customer's pages in a real browser (headless Chromium), as a customer uses them, at desktop and phone widths,
 * each page checked with axe-core (WCAG 2.1 A and AA) and kept as a screenshot under {@code target/screenshots/}.
 */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class PortalBrowserTest extends HubTestResources {

    static Browser browser;

    @Inject
    DataSource ds;

    Simulator sim;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void fresh() {
        sim = SimulatorResource.simulator();
        sim.reset();
        sim.webhooksTo("http://localhost:" + RestAssured.port + "/webhooks/jira", WireMockResource.WEBHOOK_SECRET);
        browser.size(1280, 900);
        browser.driver().manage().deleteAllCookies();
    }

    String base() {
        return "http://localhost:" + RestAssured.port;
    }

    ChromeDriver d() {
        return browser.driver();
    }

    void accessible(String page) {
        List<String> violations = browser.axe();
        assertEquals(List.of(), violations, "WCAG 2.1 AA violations on " + page);
    }

    /**
     * Clicks what sends the browser to another page and waits for that page: the old page's elements go stale, so
     * nothing read next comes from the page being left (a click returns before a form's answer has loaded).
     */
    void navigate(By what) {
        navigate(d(), what);
    }

    static void navigate(ChromeDriver d, By what) {
        WebElement old = d.findElement(By.tagName("html"));
        d.findElement(what).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                old.getTagName();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException gone) {
                return true;
            } catch (org.openqa.selenium.WebDriverException e) {
                // Chromium's other word for it, when asked while the next page replaces the document
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        });
    }

    @Test
    void theRequestPageFromTheMailsLinkWithStaffsReplyAReplyWithAFileThenNotSolvedAndSolved() throws Exception {
        String email = Samples.unique("browser-page");
        String[] t = RequestPageTest.open(email, "fr");
        String link = link(Mailboxes.text(Mailboxes.await(email, 1).get(0)), t[0]);
        await().atMost(Duration.ofSeconds(20)).until(() -> key(t[0]) != null);
        String key = key(t[0]);

        // the link followed from another site (a webmail): the SameSite=Strict session still opens the page
        d().get("data:text/html;charset=utf-8,<a id='go' href='" + link + "'>open</a>");
        navigate(By.id("go"));
        await().atMost(Duration.ofSeconds(10)).until(() -> d().getCurrentUrl().equals(base() + "/status/" + t[0]));
        assertFalse(d().getCurrentUrl().contains("token"), "the address no longer carries the token");
        assertEquals("Reçue, en attente de prise en charge", d().findElement(By.id("ticket-status")).getText());
        assertTrue(d().findElement(By.id("next")).getText().startsWith("Un technicien du support la prendra en charge"
                + " au plus tard le "), d().findElement(By.id("next")).getText());
        assertEquals("fr", d().findElement(By.tagName("html")).getAttribute("lang"));
        accessible("the request page");
        browser.screenshot("request-page-new-fr");

        // staff answer in Jira
        assertEquals(204, sim.deliver(sim.staffComment(key, "Pouvez-vous nous envoyer le journal du traceur ?", true)));
        assertEquals(204, sim.deliver(sim.moveStatus(key, "Waiting for customer")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "WAITING_ON_CUSTOMER".equals(status(t[0])));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            d().navigate().refresh();
            return d().findElement(By.id("conversation")).getText().contains("journal du traceur");
        });
        assertTrue(d().findElement(By.id("conversation")).getText().contains("Marie Agent, du support technique"));
        assertEquals("En attente de votre réponse", d().findElement(By.id("ticket-status")).getText());

        // an empty reply: the error summary takes the focus, the title says so
        navigate(By.id("send-reply"));
        assertTrue(d().getTitle().startsWith("Erreur : "), d().getTitle());
        assertEquals("error-summary", browser.focused());
        assertEquals("message-help message-error", d().findElement(By.id("message")).getAttribute("aria-describedby"));
        accessible("the request page with an error");
        browser.screenshot("request-page-error-fr");

        // a reply with a file: a message of the ticket and a public comment in JSM; the clock starts again
        Path log = Files.createTempFile("traceur", ".log");
        Files.writeString(log, "03:12 plus de signal\n", StandardCharsets.UTF_8);
        d().findElement(By.id("message")).sendKeys("Voici le journal.");
        d().findElement(By.id("attachments")).sendKeys(log.toAbsolutePath().toString());
        navigate(By.id("send-reply"));
        assertEquals("Votre message a été ajouté à la demande.", d().findElement(By.id("done")).getText());
        String conversation = d().findElement(By.id("conversation")).getText();
        assertTrue(conversation.indexOf("journal du traceur") < conversation.indexOf("Voici le journal."),
                "oldest first: " + conversation);
        assertTrue(conversation.contains(log.getFileName().toString()), conversation);
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.comments(key).stream()
                .anyMatch(c -> c.isPublic() && c.body().contains("Voici le journal.")));
        await().atMost(Duration.ofSeconds(20)).until(() -> !"WAITING_ON_CUSTOMER".equals(status(t[0])));
        accessible("the request page after a reply");
        browser.screenshot("request-page-replied-fr");

        // at a phone's width: nothing cut, nothing to scroll sideways
        browser.size(375, 800);
        d().navigate().refresh();
        assertFalse(browser.scrollsSideways(), "the request page fits a phone");
        assertOneLine("#page-number", t[0]);
        browser.screenshot("request-page-phone-fr");
        browser.size(1280, 900);

        // resolved: "not solved" reopens it, in JSM too
        assertEquals(204, sim.deliver(sim.resolve(key, "Done")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "RESOLVED".equals(status(t[0])));
        d().get(base() + "/status/" + t[0] + "?lang=en");
        assertEquals("Resolved", d().findElement(By.id("ticket-status")).getText());
        accessible("the resolved request page");
        browser.screenshot("request-page-resolved-en");
        d().findElement(By.id("not-solved-message")).sendKeys("It stops again every night.");
        navigate(By.id("not-solved"));
        assertEquals("Your request is open again: a support engineer will get back to you.",
                d().findElement(By.id("done")).getText());
        await().atMost(Duration.ofSeconds(20)).until(() -> !"Resolved".equals(sim.request(key).status()));

        // resolved again: "solved" is recorded
        assertEquals(204, sim.deliver(sim.resolve(key, "Done")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "RESOLVED".equals(status(t[0])));
        d().get(base() + "/status/" + t[0] + "?lang=es");
        navigate(By.id("solved"));
        assertTrue(d().findElement(By.id("confirmed")).getText().startsWith("Ha confirmado que el problema está"
                + " resuelto."), d().findElement(By.id("confirmed")).getText());
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'resolution-confirmed'", t[0]));
        accessible("the confirmed request page");
        browser.screenshot("request-page-confirmed-es");

        // without the session (another browser): not found, and the way to ask for the links again
        d().manage().deleteAllCookies();
        d().get(base() + "/status/" + t[0]);
        assertTrue(d().findElement(By.tagName("h1")).getText().contains("introuvable"));
        navigate(By.linkText("Lien perdu ?"));
        accessible("the lost-link form");
        browser.screenshot("lost-link-fr");
        d().findElement(By.id("email")).sendKeys(email);
        navigate(By.cssSelector("form button[type=submit]"));
        assertTrue(d().findElement(By.id("lost-link-sent")).getText().startsWith("C'est noté."));
        accessible("the lost-link answer");
    }

    /**
     * "How did we do?" (issue 26.11): the closing mail's "4" followed from a webmail opens the rating page with 4
     * chosen; in French, then English; sent without a rating (the error takes the focus), then with one and a
     * comment: the request page thanks the customer and shows the rating. Each page checked with axe-core.
     */
    @Test
    void howDidWeDoFromTheClosingMailsLinkInFrenchAndEnglish() {
        String email = Samples.unique("browser-rating");
        String[] t = RequestPageTest.open(email, "fr");
        await().atMost(Duration.ofSeconds(20)).until(() -> key(t[0]) != null);
        assertEquals(204, sim.deliver(sim.resolve(key(t[0]), "Done")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "RESOLVED".equals(status(t[0])));
        // the hub's public address in the tests is the default; the test's server listens on its own port
        String four = SatisfactionTest.links(Mailboxes.text(Mailboxes.await(email, 2).get(1)), t[0]).get(4)
                .replace(SatisfactionTest.BASE, base());
        String ratingPage = base() + "/status/" + t[0] + "/satisfaction?rating=4";

        // followed from another site (a webmail), like the request page's link: the Strict session still holds
        d().get("data:text/html;charset=utf-8,<a id='go' href='" + four + "'>4</a>");
        navigate(By.id("go"));
        await().atMost(Duration.ofSeconds(10)).until(() -> d().getCurrentUrl().equals(ratingPage));
        assertEquals("fr", d().findElement(By.tagName("html")).getAttribute("lang"));
        assertTrue(d().findElement(By.id("rating-4")).isSelected());
        assertFalse(d().findElement(By.id("rating-5")).isSelected());
        assertEquals(0, ratings(t[0]), "opening the page records nothing");
        accessible("the rating page");
        browser.screenshot("rating-page-fr");

        // the request page of the resolved ticket offers the same form
        navigate(By.id("back-to-request"));
        assertTrue(d().findElement(By.id("satisfaction")).getText().contains("Votre note, de 1 (très mauvais) à 5"));
        accessible("the resolved request page with its rating form");
        browser.screenshot("request-page-rating-form-fr");

        d().get(ratingPage);
        navigate(By.linkText("English"));
        assertEquals(ratingPage + "&lang=en", d().getCurrentUrl());
        assertEquals("How did we do?", d().findElement(By.id("satisfaction-title")).getText());
        assertTrue(d().findElement(By.id("rating-4")).isSelected(), "the rating chosen stays chosen");
        accessible("the rating page in English");
        browser.screenshot("rating-page-en");

        // sent with no rating chosen: the page comes back with the error, which takes the focus
        browser.js("document.querySelectorAll('input[name=rating]').forEach(r => r.checked = false);");
        navigate(By.id("send-rating"));
        assertTrue(d().getTitle().startsWith("Error: "), d().getTitle());
        assertEquals("error-summary", browser.focused());
        assertEquals("Choose a rating from 1 to 5.", d().findElement(By.cssSelector("#error-summary li")).getText());
        accessible("the rating page with an error");
        browser.screenshot("rating-page-error-en");

        d().findElement(By.cssSelector("label[for=rating-4]")).click();
        d().findElement(By.id("rating-comment-input")).sendKeys("Quick, but I had to <call> twice.");
        navigate(By.id("send-rating"));
        assertEquals(base() + "/status/" + t[0] + "?lang=en&done=rated#satisfaction", d().getCurrentUrl());
        assertEquals("Thank you for your answer!", d().findElement(By.id("done")).getText());
        assertTrue(d().findElement(By.id("rating-given")).getText().startsWith("Your rating: 4/5 – good, given on "),
                d().findElement(By.id("rating-given")).getText());
        assertEquals("Quick, but I had to <call> twice.", d().findElement(By.id("rating-comment")).getText());
        accessible("the request page rated");
        browser.screenshot("request-page-rated-en");
        navigate(By.linkText("Français"));
        assertTrue(d().findElement(By.id("rating-given")).getText().startsWith("Votre note : 4/5 – bon, donnée le "),
                d().findElement(By.id("rating-given")).getText());
        accessible("the request page rated, in French");
        assertEquals(1, ratings(t[0]));
        Quiet.outbox(ds, t[0]); // its JSM comment written before the next test resets the simulated Jira
    }

    long ratings(String number) {
        return Db.count(ds, "SELECT count(*) FROM ticket_satisfaction s JOIN ticket t ON t.id = s.ticket_id"
                + " WHERE t.number = ?", number);
    }

    @Test
    void theOnSiteAppointmentAndAStandardExchangeOnTheRequestPageAreAccessibleAndTheCustomerAcceptsInOneClick()
            throws Exception {
        java.util.Map<String, Object> member = new java.util.HashMap<>();
        member.put("name", "Lucie Bernard");
        member.put("kind", "technician");
        member.put("email", "lucie@field.example");
        member.put("basePostcode", "34880");
        io.restassured.RestAssured.given().auth().preemptive().basic("admin",
                com.esii.support.hub.testing.TestSettings.ADMIN_PASSWORD).contentType(io.restassured.http.ContentType.JSON)
                .body(member).put("/admin/field-team/lucie").then().statusCode(200);
        String email = Samples.unique("browser-onsite");
        String[] t = RequestPageTest.open(email, "fr");
        String link = link(Mailboxes.text(Mailboxes.await(email, 1).get(0)), t[0]);
        await().atMost(Duration.ofSeconds(20)).until(() -> key(t[0]) != null);
        String key = key(t[0]);
        for (String action : List.of("onsite", "onsite-accept")) {
            if (action.equals("onsite-accept")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> "proposed".equals(Db.string(ds, "SELECT v.status"
                        + " FROM onsite_visit v JOIN ticket t ON t.id = v.ticket_id WHERE t.number = ?", t[0])));
            }
            io.restassured.RestAssured.given().baseUri(sim.url()).contentType(io.restassured.http.ContentType.JSON)
                    .body(java.util.Map.of("action", action, "key", key)).post("/__sim/staff").then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "invited".equals(Db.string(ds, "SELECT v.status"
                + " FROM onsite_visit v JOIN ticket t ON t.id = v.ticket_id WHERE t.number = ?", t[0])));
        d().get(link);
        await().atMost(Duration.ofSeconds(10)).until(() -> d().getCurrentUrl().equals(base() + "/status/" + t[0]));
        assertEquals("Proposée : en attente de votre réponse", d().findElement(By.id("visit-state")).getText());
        accessible("the request page with an on-site appointment");
        browser.screenshot("request-page-onsite-fr");
        navigate(By.id("visit-accept"));
        assertEquals("Merci : le rendez-vous est confirmé.", d().findElement(By.id("done")).getText());
        assertEquals("Confirmée", d().findElement(By.id("visit-state")).getText());
        accessible("the request page with a confirmed appointment");

        // a standard exchange on another ticket: where the unit is
        String exchangeEmail = Samples.unique("browser-exchange");
        String[] x = RequestPageTest.open(exchangeEmail, "en");
        String xLink = link(Mailboxes.text(Mailboxes.await(exchangeEmail, 1).get(0)), x[0]);
        await().atMost(Duration.ofSeconds(20)).until(() -> key(x[0]) != null);
        assertEquals(204, sim.deliver(sim.addLabel(key(x[0]), "standard-exchange")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "exchange".equals(Db.string(ds,
                "SELECT on_site_kind FROM ticket WHERE number = ?", x[0])));
        d().get(xLink);
        await().atMost(Duration.ofSeconds(10)).until(() -> d().getCurrentUrl().equals(base() + "/status/" + x[0]));
        assertTrue(d().findElement(By.id("exchange")).getText().contains("Replacement unit sent"));
        accessible("the request page of a standard exchange");
        browser.screenshot("request-page-exchange-en");
    }

    @Test
    void theFormInEachLanguageItsErrorsTheLanguageSwitchAFileAndBackThenSendAgain() throws Exception {
        for (String[] l : new String[][] { { "fr", "Ouvrir une demande de support" },
                { "en", "Open a support request" }, { "es", "Abrir una solicitud de soporte" } }) {
            d().get(base() + "/?lang=" + l[0]);
            assertEquals(l[1], d().findElement(By.tagName("h1")).getText());
            assertEquals(l[0], d().findElement(By.tagName("html")).getAttribute("lang"));
            accessible("the form in " + l[0]);
            browser.screenshot("form-" + l[0]);
        }

        // errors: a missing subject, a refused file; the summary takes the focus, the title says so
        String email = Samples.unique("browser-form");
        Path shot = Files.createTempFile("ecran", ".png");
        Files.write(shot, new byte[] { (byte) 0x89, 'P', 'N', 'G' });
        Path tool = Files.createTempFile("outil", ".exe");
        Files.write(tool, new byte[] { 'M', 'Z' });
        d().get(base() + "/?lang=fr");
        d().findElement(By.id("name")).sendKeys("Inès Martin");
        d().findElement(By.id("email")).sendKeys(email);
        d().findElement(By.id("description")).sendKeys("L'écran reste noir au démarrage.");
        d().findElement(By.id("attachments")).sendKeys(shot + "\n" + tool);
        navigate(By.id("submit"));
        assertTrue(d().getTitle().startsWith("Erreur : "), d().getTitle());
        assertEquals("error-summary", browser.focused());
        String summary = d().findElement(By.id("error-summary")).getText();
        assertTrue(summary.contains("Indiquez un objet."), summary);
        assertTrue(summary.contains("« " + tool.getFileName() + " » est d'un type refusé"), summary);
        String lost = d().findElement(By.id("attachments-lost")).getText();
        assertTrue(lost.contains(shot.getFileName().toString()), "the files to choose again are named: " + lost);
        assertEquals("true", d().findElement(By.id("subject")).getAttribute("aria-invalid"));
        assertEquals("subject-error", d().findElement(By.id("subject")).getAttribute("aria-describedby"));
        assertEquals("Inès Martin", d().findElement(By.id("name")).getAttribute("value"));
        accessible("the form with errors");
        browser.screenshot("form-errors-fr");

        // the language switch keeps what was typed
        navigate(By.cssSelector("button[name=switchLang][value=en]"));
        assertEquals("en", d().findElement(By.tagName("html")).getAttribute("lang"));
        assertEquals("Inès Martin", d().findElement(By.id("name")).getAttribute("value"));
        assertEquals("L'écran reste noir au démarrage.", d().findElement(By.id("description")).getAttribute("value"));
        accessible("the form after switching language");
        browser.screenshot("form-switched-en");

        // a fresh form, sent with a file; then Back, and sent again: the same ticket
        d().get(base() + "/?lang=en");
        d().findElement(By.id("name")).sendKeys("Inès Martin");
        d().findElement(By.id("email")).sendKeys(email);
        d().findElement(By.id("subject")).sendKeys("Black screen");
        d().findElement(By.id("description")).sendKeys("The screen stays black at start-up.");
        d().findElement(By.id("attachments")).sendKeys(shot.toString());
        navigate(By.id("submit"));
        String number = d().findElement(By.id("ticket-number")).getText();
        accessible("the page of a request sent");
        browser.screenshot("form-sent-en");
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM attachment a JOIN ticket t ON t.id = a.ticket_id"
                + " WHERE t.number = ?", number));
        d().navigate().back();
        await().atMost(Duration.ofSeconds(10)).until(() -> !d().findElements(By.id("submit")).isEmpty());
        navigate(By.id("submit"));
        assertEquals(number, d().findElement(By.id("ticket-number")).getText(), "sent again: the same ticket");
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", email));

        // a phone's width
        browser.size(375, 800);
        d().get(base() + "/?lang=fr");
        assertFalse(browser.scrollsSideways(), "the form fits a phone");
        browser.screenshot("form-phone-fr");
    }

    /**
     * Issue 26: the access code field is not filled again by the browser after Back ({@code autocomplete="off"}), and
     * the request sent again without it is still the same request: the first ticket's confirmation, one
     * acknowledgement in the mailbox, one JSM request, one ERP record.
     */
    @Test
    void backThenSendAgainAfterTypingAnAccessCodeIsStillOneRequest() {
        try (Browser restoring = Browser.start(Browser.NO_BACK_FORWARD_CACHE)) {
            sendTwiceAfterBack(restoring);
        }
    }

    private void sendTwiceAfterBack(Browser b) {
        ChromeDriver d = b.driver();
        String email = Samples.unique("browser-code");
        d.get(base() + "/?lang=fr");
        d.findElement(By.id("name")).sendKeys("Inès Martin");
        d.findElement(By.id("email")).sendKeys(email);
        d.findElement(By.id("accessCode")).sendKeys("4711-2026");
        d.findElement(By.id("subject")).sendKeys("Moniteur muet");
        d.findElement(By.id("description")).sendKeys("Le moniteur de la chambre 12 ne sonne plus.");
        navigate(d, By.id("submit"));
        String number = d.findElement(By.id("ticket-number")).getText();

        d.navigate().back();
        await().atMost(Duration.ofSeconds(10)).until(() -> !d.findElements(By.id("submit")).isEmpty());
        assertEquals("Le moniteur de la chambre 12 ne sonne plus.",
                d.findElement(By.id("description")).getAttribute("value"), "what the browser restores");
        assertEquals("", d.findElement(By.id("accessCode")).getAttribute("value"), "what it does not");
        navigate(d, By.id("submit"));
        String again = d.findElement(By.id("ticket-number")).getText();
        List<String> numbers = Db.strings(ds, "SELECT number FROM ticket WHERE customer_email = ?", email);
        Quiet.outbox(ds, numbers.toArray(String[]::new));

        assertEquals(1, Mailboxes.to(email).size(), "one acknowledgement");
        assertEquals(1, sim.requests().stream().filter(r -> email.equals(r.reporterEmail())).count(),
                "one JSM request");
        assertEquals(1, numbers.stream().mapToLong(n -> sim.records(n).size()).sum(), "one ERP record");
        assertEquals(List.of(number), numbers);
        assertEquals(number, again, "sent again: the same ticket");
        assertTrue(d.findElement(By.id("submitted-again")).isDisplayed());
        assertEquals(List.of(), b.axe(), "WCAG 2.1 AA violations on the page of a request sent again");
        b.screenshot("form-sent-again-fr");
    }

    /**
     * Issue 26: a file larger than a request may be (30 MB), on the form and in a reply on the request page: the page
     * comes back with the limit named in its language and what was typed, not a browser's error page.
     */
    @Test
    void aFileTooLargeToBeReceivedGivesThePageBackWithTheLimitAndWhatWasTyped() throws Exception {
        Path video = Files.createTempFile("video", ".mp4");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(video.toFile(), "rw")) {
            f.setLength(WebFormTest.TOO_LARGE.length);
        }
        String email = Samples.unique("browser-huge");
        d().get(base() + "/?lang=es");
        d().findElement(By.id("name")).sendKeys("Ana García");
        d().findElement(By.id("email")).sendKeys(email);
        d().findElement(By.id("subject")).sendKeys("Vídeo del fallo");
        d().findElement(By.id("description")).sendKeys("La pantalla parpadea, vea el vídeo.");
        d().findElement(By.id("attachments")).sendKeys(video.toString());
        navigate(By.id("submit"));
        assertEquals("es", d().findElement(By.tagName("html")).getAttribute("lang"));
        assertTrue(d().getTitle().startsWith("Error: "), d().getTitle());
        assertEquals("error-summary", browser.focused());
        String summary = d().findElement(By.id("error-summary")).getText();
        assertTrue(summary.contains("30 MB como máximo en total, 10 MB por archivo"), summary);
        assertTrue(d().findElement(By.id("attachments-lost")).getText().contains(video.getFileName().toString()));
        assertEquals("Ana García", d().findElement(By.id("name")).getAttribute("value"));
        assertEquals(email, d().findElement(By.id("email")).getAttribute("value"));
        assertEquals("La pantalla parpadea, vea el vídeo.",
                d().findElement(By.id("description")).getAttribute("value"));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", email));
        accessible("the form after a file too large");
        browser.screenshot("form-too-large-es");

        // the same in a reply on the request page
        String[] t = RequestPageTest.open(email, "fr");
        d().get(link(Mailboxes.text(Mailboxes.await(email, 1).get(0)), t[0]));
        await().atMost(Duration.ofSeconds(10)).until(() -> d().getCurrentUrl().equals(base() + "/status/" + t[0]));
        d().findElement(By.id("message")).sendKeys("Voici la vidéo de la panne.");
        d().findElement(By.id("attachments")).sendKeys(video.toString());
        navigate(By.id("send-reply"));
        assertTrue(d().getTitle().startsWith("Erreur : "), d().getTitle());
        assertEquals("error-summary", browser.focused());
        assertTrue(d().findElement(By.id("error-summary")).getText().contains("30 Mo au plus en tout, 10 Mo par"
                + " fichier"), d().findElement(By.id("error-summary")).getText());
        assertEquals("Voici la vidéo de la panne.", d().findElement(By.id("message")).getAttribute("value"));
        accessible("the request page after a file too large");
        browser.screenshot("request-page-too-large-fr");
        Files.delete(video);
    }

    /**
     * Issue 26.10: "my requests" as a customer uses it, from the form's link: the address, the link read from the
     * mailbox and followed from another site (a webmail), the list (the address's two requests, newest first), a
     * request opened from it without asking again; each page with no axe-core violation in French and English; at a
     * phone's width nothing to scroll sideways and each number on one line. Without the list's session: the form,
     * saying the link does not open the list.
     */
    @Test
    void myRequestsFromTheFormToTheListThenARequestInFrenchAndEnglish() {
        String email = Samples.unique("browser-list");
        String[] first = RequestPageTest.open(email, "fr");
        String[] second = RequestPageTest.open(email, "fr");
        Mailboxes.await(email, 2);
        for (String[] l : new String[][] { { "fr", "Mes demandes" }, { "en", "My requests" } }) {
            d().get(base() + "/?lang=" + l[0]);
            navigate(By.id("my-requests-link"));
            assertEquals(l[1], d().findElement(By.tagName("h1")).getText());
            accessible("the my-requests form in " + l[0]);
            browser.screenshot("my-requests-form-" + l[0]);
        }
        navigate(By.id("my-requests-submit"));
        assertTrue(d().getTitle().startsWith("Error: "), d().getTitle());
        accessible("the my-requests form with an error");
        d().findElement(By.id("email")).sendKeys(email);
        navigate(By.id("my-requests-submit"));
        assertTrue(d().findElement(By.id("my-requests-sent")).getText().startsWith("Done."));
        accessible("the my-requests answer");

        Matcher m = Pattern.compile("(http://localhost:8080/my-requests/list\\?token=[A-Za-z0-9_-]+)")
                .matcher(Mailboxes.text(Mailboxes.await(email, 3).get(2)));
        assertTrue(m.find());
        String link = m.group(1).replace("http://localhost:8080", base());
        d().get("data:text/html;charset=utf-8,<a id='go' href='" + link + "'>open</a>");
        navigate(By.id("go"));
        await().atMost(Duration.ofSeconds(10)).until(() -> d().getCurrentUrl().equals(base() + "/my-requests/list"));
        assertEquals(List.of(second[0], first[0]), d().findElements(By.cssSelector("#requests .ticket-number"))
                .stream().map(WebElement::getText).toList(), "newest first");
        assertEquals("en", d().findElement(By.tagName("html")).getAttribute("lang"), "the language it was asked in");
        accessible("the list of requests in en");
        browser.screenshot("my-requests-list-en");
        d().get(base() + "/my-requests/list?lang=fr");
        assertEquals("fr", d().findElement(By.tagName("html")).getAttribute("lang"));
        accessible("the list of requests in fr");
        browser.screenshot("my-requests-list-fr");

        browser.size(375, 800);
        d().navigate().refresh();
        assertFalse(browser.scrollsSideways(), "the list fits a phone");
        for (WebElement number : d().findElements(By.cssSelector("#requests .ticket-number"))) {
            assertEquals(1L, browser.js("return arguments[0].getClientRects().length;", number),
                    number.getText() + " on one line at 375 px");
        }
        browser.screenshot("my-requests-list-phone-fr");
        browser.size(1280, 900);

        navigate(By.linkText(first[0]));
        await().atMost(Duration.ofSeconds(10)).until(() -> d().getCurrentUrl().equals(base() + "/status/" + first[0]));
        assertEquals(first[0], d().findElement(By.id("page-number")).getText(), "the request, without asking again");
        accessible("a request opened from the list");

        d().get(base() + "/my-requests/list");
        d().manage().deleteAllCookies(); // those the list's pages see: its session's path is /my-requests
        for (String l : List.of("fr", "en")) {
            d().get(base() + "/my-requests/list?lang=" + l);
            assertTrue(d().findElement(By.id("my-requests-invalid")).isDisplayed());
            accessible("the list without its session in " + l);
            browser.screenshot("my-requests-invalid-" + l);
        }
    }

    /**
     * Issue 26.8: the element {@code css} shows {@code text} on one line, never broken in the middle (an inline
     * element broken across lines has a box per line).
     */
    void assertOneLine(String css, String text) {
        WebElement e = d().findElement(By.cssSelector(css));
        assertEquals(text, e.getText());
        assertEquals(1L, browser.js("return arguments[0].getClientRects().length;", e),
                css + " on one line at " + browser.js("return window.innerWidth;") + " px");
    }

    static String link(String mail, String number) {
        Matcher m = Pattern.compile("(http://localhost:8080/status/" + number + "\\?token=[A-Za-z0-9_-]+)").matcher(mail);
        assertTrue(m.find(), mail);
        // the hub's public address in the tests is the default; the test's server listens on its own port
        return m.group(1).replace("http://localhost:8080", "http://localhost:" + RestAssured.port);
    }

    String key(String number) {
        return Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number);
    }

    String status(String number) {
        return Db.string(ds, "SELECT status FROM ticket WHERE number = ?", number);
    }
}
