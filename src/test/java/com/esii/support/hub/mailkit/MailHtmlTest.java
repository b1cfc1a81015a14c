package com.esii.support.hub.mailkit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The HTML part of every mail ({@link MailHtml}, template {@code mail/html-part.html}): the text escaped by Qute, in
 * paragraphs, lines joined with {@code <br>}, each address a link on a line of its own, without the sentence's
 * closing punctuation.
 */
@QuarkusTest
class MailHtmlTest extends HubTestResources {

    @Test
    void theTextIsEscapedInParagraphsWithItsAddressesAsLinks() {
        String html = MailHtml.of("Hello Ann,\r\n\r\nSee https://a.example/x, and (https://b.example/y).\n"
                + "Line two: http://c.example/z?a=1&b=2!\n   \n\nEnd https://d.example\n\n\n", "en");
        assertEquals("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                </head>
                <body>
                <p>Hello Ann,</p>
                <p>See\s
                <a href="https://a.example/x">https://a.example/x</a>
                , and (
                <a href="https://b.example/y">https://b.example/y</a>
                ).<br>
                Line two:\s
                <a href="http://c.example/z?a=1&amp;b=2">http://c.example/z?a=1&amp;b=2</a>
                !</p>
                <p>End\s
                <a href="https://d.example">https://d.example</a>
                </p>
                </body>
                </html>
                """, html);
    }

    @Test
    void markupInTheTextIsShownNotRun() {
        String html = MailHtml.of("Objet : <script>alert(1)</script> & \"x\" 'y'\nSuivre : "
                + "https://hub.example/status/SUP-2026-000001?token=a_b-c.", "fr");
        assertTrue(html.contains("<p>Objet : &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;"
                + "<br>\nSuivre : \n<a href=\"https://hub.example/status/SUP-2026-000001?token=a_b-c\">"
                + "https://hub.example/status/SUP-2026-000001?token=a_b-c</a>\n.</p>\n"), html);
        assertFalse(html.contains("<script>"), html);
    }

    /** What the customer typed comes back escaped in the acknowledgement's HTML part, the text part unchanged. */
    @Test
    void theAcknowledgementsHtmlPartEscapesTheSubject() {
        String email = Samples.unique("html-part");
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        body.put("subject", "<script>alert(1)</script> & \"x\"");
        given().contentType(ContentType.JSON).body(body).when().post("/api/tickets").then().statusCode(201);
        MimeMessage ack = Mailboxes.await(email, 1).get(0);
        assertTrue(Mailboxes.text(ack).contains("<script>alert(1)</script> & \"x\""), Mailboxes.text(ack));
        String html = Mailboxes.html(ack);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"), html);
        assertFalse(html.contains("<script>"), html);
    }
}
