package com.esii.support.hub.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import com.esii.support.hub.mailkit.Suppressions;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.outbox.OutboxStatus;
import com.esii.support.hub.outbox.TestHandlers;
import com.esii.support.hub.testing.Browser;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;
import com.esii.support.hub.ticket.TicketLedger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The admin pages in a real browser (headless Chromium, issue 26.9): every page reached from the home's menu, in
 * French and in English, checked with axe-core (WCAG 2.1 A and AA) and kept as a screenshot; a dead row replayed with
 * the keyboard through its confirmation (the browser's own Origin and Sec-Fetch-Site pass the cross-site guard); the
 * same form from another site refused; a phone's width.
 */
@QuarkusTest
class AdminPagesBrowserTest extends HubTestResources {

    static Browser browser;

    @Inject
    Outbox outbox;
    @Inject
    OutboxRelay relay;
    @Inject
    TicketLedger ledger;
    @Inject
    Suppressions suppressions;
    @Inject
    DataSource ds;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
        // the admin's HTTP Basic login, sent with every request as a browser does once the admin has typed it
        browser.driver().executeCdpCommand("Network.enable", Map.of());
        browser.driver().executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + TestSettings.ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)))));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void desktop() {
        browser.size(1280, 900);
    }

    ChromeDriver d() {
        return browser.driver();
    }

    String base() {
        return "http://localhost:" + RestAssured.port;
    }

    void accessible(String page) {
        assertEquals(List.of(), browser.axe(), "WCAG 2.1 AA violations on " + page);
    }

    /** A ticket of its own with a row its target refuses: dead at the first attempt. */
    long[] deadRowOfATicket() {
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("admin-browser")))
                .when().post("/api/tickets").then().statusCode(201).extract().path("number");
        long ticket = ledger.findByNumber(number).orElseThrow().id();
        long id = QuarkusTransaction.requiringNew().call(() -> outbox.enqueue(TestHandlers.Refused.TYPE,
                "test:browser-" + UUID.randomUUID(), ticket, Map.of(), OffsetDateTime.now()));
        relay.wake();
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.find(id).orElseThrow().status() == OutboxStatus.DEAD);
        return new long[] { ticket, id };
    }

    void navigate(By what) {
        navigate(() -> d().findElement(what).click());
    }

    /** Does what leads to another page and waits for that page (the old one's elements go stale). */
    void navigate(Runnable action) {
        WebElement old = d().findElement(By.tagName("html"));
        action.run();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                old.getTagName();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException gone) {
                return true;
            }
        });
    }

    @Test
    void everyAdminPageFromTheHomesMenuInFrenchAndEnglish() throws Exception {
        long[] dead = deadRowOfATicket();
        String address = "browser-" + UUID.randomUUID().toString().substring(0, 8) + "@customer.example";
        suppressions.suppress(address, "550 5.1.1 user unknown", OffsetDateTime.now());
        String sender = Samples.unique("admin-browser-mail");
        MailClient.send(MailClient.message(sender, "Le traceur <s'arrête>", "Depuis ce matin."));
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(ds,
                "SELECT count(*) FROM mail_receipt WHERE sender = ?", sender) == 1);

        for (String lang : List.of("fr", "en")) {
            d().get(base() + "/admin?lang=" + lang);
            assertEquals(lang, d().findElement(By.tagName("html")).getAttribute("lang"));
            accessible("the admin home (" + lang + ")");
            browser.screenshot("admin-home-" + lang);
            for (String section : List.of("tickets", "outbox", "verdicts", "suppressions", "oncall", "calls",
                    "field-team", "dashboard")) {
                navigate(By.id("menu-" + section));
                assertEquals(lang, d().findElement(By.tagName("html")).getAttribute("lang"), section);
                accessible(section + " (" + lang + ")");
                browser.screenshot("admin-" + section + "-" + lang);
                if (section.equals("dashboard")) {
                    navigate(By.id("admin-home")); // and back to the home
                    assertEquals(base() + "/admin?lang=" + lang, d().getCurrentUrl());
                }
            }
            // the pages one level down
            String number = ledger.findById(dead[0]).orElseThrow().number();
            d().get(base() + "/admin/tickets?number=" + number + "&lang=" + lang);
            navigate(By.linkText(number));
            accessible("a ticket (" + lang + ")");
            browser.screenshot("admin-ticket-" + lang);
            navigate(By.cssSelector("#row-" + dead[1] + " a[href*='/replay']"));
            accessible("a replay's confirmation (" + lang + ")");
            d().get(base() + "/admin/mail/verdicts?lang=" + lang);
            navigate(By.cssSelector("#verdicts tbody tr a"));
            accessible("a verdict (" + lang + ")");
            browser.screenshot("admin-verdict-" + lang);
            d().get(base() + "/admin/mail/suppressions?lang=" + lang);
            navigate(By.cssSelector("tr[data-address='" + address + "'] a"));
            accessible("a suppression (" + lang + ")");
        }
        suppressions.lift(address);
    }

    @Test
    void aDeadRowIsReplayedWithTheKeyboardAndTheSameFormFromAnotherSiteIsRefused() {
        long[] dead = deadRowOfATicket();
        long id = dead[1];
        d().get(base() + "/admin/outbox?lang=en");
        // the first thing the keyboard reaches: the way past the menu
        d().findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertEquals("skip", browser.focused());

        navigate(() -> d().findElement(By.id("replay-" + id)).sendKeys(Keys.ENTER));
        assertEquals("Replay row " + id + "?", d().findElement(By.tagName("h1")).getText());
        navigate(() -> d().findElement(By.id("confirm")).sendKeys(Keys.ENTER));
        assertEquals("Row " + id + " replayed: it is back in the queue.", d().findElement(By.id("result")).getText());
        assertTrue(d().getCurrentUrl().startsWith(base() + "/admin/outbox?state=dead&done=replayed&row=" + id),
                d().getCurrentUrl());
        accessible("the result of a replay");
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.find(id).orElseThrow().claims() == 2
                && outbox.find(id).orElseThrow().status() == OutboxStatus.DEAD);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event WHERE ticket_id = ? AND type = ?", dead[0],
                "outbox-replayed"));

        // the same form on another site's page, in the browser that holds the login
        d().get("data:text/html;charset=utf-8,<form method=post action='" + base() + "/admin/outbox/" + id
                + "/skip'><button id=go>Win a prize</button></form>");
        navigate(By.id("go"));
        assertTrue(d().getPageSource().contains("Cross-site request refused"), d().getPageSource());
        assertEquals(OutboxStatus.DEAD, outbox.find(id).orElseThrow().status(), "nothing skipped");
    }

    @Test
    void thePagesFitAPhonesWidth() {
        long[] dead = deadRowOfATicket();
        String number = ledger.findById(dead[0]).orElseThrow().number();
        browser.size(375, 800);
        for (String page : List.of("/admin?lang=en", "/admin/tickets?lang=en", "/admin/tickets/" + number + "?lang=en",
                "/admin/outbox?lang=en", "/admin/outbox/" + dead[1] + "/skip?lang=en", "/admin/mail/verdicts?lang=en",
                "/admin/phone/calls?lang=en", "/admin/oncall?lang=en")) {
            d().get(base() + page);
            assertFalse(browser.scrollsSideways(), page + " scrolls sideways at 375 px");
        }
        d().get(base() + "/admin/tickets/" + number + "?lang=en");
        browser.screenshot("admin-ticket-phone");
        // the dashboard's tables scroll sideways inside their boxes at this width: each box is reachable by keyboard
        d().get(base() + "/admin/dashboard?lang=en");
        accessible("the dashboard at 375 px");
    }
}
