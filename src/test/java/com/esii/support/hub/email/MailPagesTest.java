package com.esii.support.hub.email;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.AdminRequests;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.GreenMailResource;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The mail verdicts' pages (issue 26.9): the list and its verdict filter, a verdict's page with the raw mail shown as
 * text (markup, control characters and bytes that are no UTF-8 included) and its .eml, a mail longer than the page
 * shows, an unknown verdict; the JSON list unchanged.
 */
@QuarkusTest
class MailPagesTest extends HubTestResources {

    @Inject
    DataSource ds;

    /** Puts a raw mail in the support mailbox and waits for its verdict; its receipt's id. */
    long received(byte[] raw, String messageId) throws Exception {
        MailClient.append(raw);
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(ds,
                "SELECT count(*) FROM mail_receipt WHERE message_id IN (?, ?)", messageId, "<" + messageId + ">") == 1);
        return Long.parseLong(Db.string(ds, "SELECT CAST(id AS VARCHAR) FROM mail_receipt WHERE message_id IN (?, ?)",
                messageId, "<" + messageId + ">"));
    }

    static byte[] mail(String from, String messageId, String subject, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("From: " + from + "\r\nTo: " + GreenMailResource.SUPPORT + "\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + messageId + ">\r\nDate: Mon, 16 Mar 2026 08:00:00 +0100\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(body);
        return b.toByteArray();
    }

    @Test
    void aVerdictsPageShowsTheRawMailAsText() throws Exception {
        String id = UUID.randomUUID().toString();
        String from = "raw-" + id.substring(0, 8) + "@customer.example";
        byte[] body = ("Bonjour,\r\n<script>alert('raw')</script>\r\nla facture est r\u00e9gl\u00e9e\u0007.\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] raw = mail(from, id + "@customer.example", "<b>Facture</b> & avoir", body);
        long receipt = received(raw, id + "@customer.example");

        Response html = AdminRequests.browser().when().get("/admin/mail/verdicts/" + receipt + "?lang=en");
        assertEquals(200, html.statusCode());
        assertFalse(html.asString().contains("<script>alert('raw')"), "the raw mail is text, not markup");
        assertFalse(html.asString().contains("\u0007"), "no control character in the page");
        Document page = AdminRequests.page("/admin/mail/verdicts/" + receipt + "?lang=en");
        assertEquals("Mail verdict " + receipt, page.select("h1").text());
        assertEquals("New ticket", page.select("#verdict").text());
        assertEquals("<b>Facture</b> & avoir", page.select("#subject").text());
        String shown = page.select("#raw").first().wholeText();
        assertTrue(shown.contains("Subject: <b>Facture</b> & avoir\n"), shown);
        assertTrue(shown.contains("<script>alert('raw')</script>"), shown);
        assertTrue(shown.contains("la facture est r\ufffdgl\ufffde."), "Latin-1 bytes shown replaced, the bell dropped: "
                + shown);
        assertTrue(page.select("#cut").isEmpty());
        String number = Db.string(ds, "SELECT t.number FROM mail_receipt r JOIN ticket t ON t.id = r.ticket_id"
                + " WHERE r.id = ?", receipt);
        assertEquals("/admin/tickets/" + number + "?lang=en", page.select("#facts a").attr("href"));

        String eml = page.select("#eml").attr("href");
        assertEquals("/admin/mail/verdicts/" + receipt + "/eml", eml);
        Response download = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when().get(eml);
        assertEquals(200, download.statusCode());
        assertTrue(download.header("Content-Disposition").startsWith("attachment"));
        byte[] kept = download.asByteArray();
        assertTrue(new String(kept, StandardCharsets.ISO_8859_1).contains(new String(body, StandardCharsets.ISO_8859_1)),
                "the .eml holds the bytes as received");

        Document list = AdminRequests.page("/admin/mail/verdicts?verdict=new-ticket&lang=en");
        assertEquals("new-ticket", list.select("#verdict-" + receipt).attr("data-verdict"));
        assertEquals("/admin/mail/verdicts/" + receipt + "?lang=en",
                list.select("#verdict-" + receipt + " a").first().attr("href"));
        assertEquals("new-ticket", list.select("#verdict option[selected]").val());
        Document bounces = AdminRequests.page("/admin/mail/verdicts?verdict=bounce&lang=en");
        assertTrue(bounces.select("#verdict-" + receipt).isEmpty(), "filtered out");
        assertFalse(AdminRequests.page("/admin/mail/verdicts").select("#verdict-" + receipt).isEmpty());
    }

    @Test
    void aLongMailIsShownInPartAndWhollyInTheEml() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] body = ("Journal :\r\n" + "ligne du journal du traceur 0123456789\r\n".repeat(6000))
                .getBytes(StandardCharsets.ISO_8859_1);
        long receipt = received(mail("long-" + id.substring(0, 8) + "@customer.example", id + "@customer.example",
                "Journal", body), id + "@customer.example");
        Document page = AdminRequests.page("/admin/mail/verdicts/" + receipt + "?lang=en");
        assertEquals("The mail is longer than this page shows: download it to read it whole.",
                page.select("#cut").text());
        assertEquals(MailPages.RAW_SHOWN, page.select("#raw").first().wholeText().length());
        byte[] eml = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                .get("/admin/mail/verdicts/" + receipt + "/eml").asByteArray();
        assertTrue(eml.length > body.length);
    }

    @Test
    void anUnknownVerdictIsSaidSoAndJsonClientsStillGetJson() {
        Document missing = AdminRequests.page("/admin/mail/verdicts/999999999?lang=en", 404);
        assertEquals("There is no mail verdict 999999999.", missing.select("[role=alert]").text());
        Response json = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                .get("/admin/mail/verdicts?limit=1");
        assertTrue(json.contentType().startsWith("application/json"));
        assertTrue(json.jsonPath().getList("$").size() <= 1);
        assertEquals(400, given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                .get("/admin/mail/verdicts?verdict=nonsense").statusCode(), "the JSON's own answer");
        assertEquals("", AdminRequests.page("/admin/mail/verdicts?verdict=nonsense")
                .select("#verdict option[selected]").val(), "the page shows every verdict instead");
    }

    @Test
    void theTextOfARawMailKeepsLinesAndDropsWhatAPageCannotShow() {
        assertArrayEquals(new String[] { "a\tb", "c\ufffd", "d" },
                MailPages.asText(new byte[] { 'a', '\t', 'b', '\r', '\n', 'c', (byte) 0xe9, 0, '\n', 'd', 0x1b })
                        .split("\n"));
    }
}
