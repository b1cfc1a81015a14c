package com.esii.support.hub.email;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Real mails sent to the support mailbox over SMTP, read by the hub over IMAP, answered over SMTP. */
@QuarkusTest
class EmailChannelTest extends HubTestResources {

    @Inject
    DataSource ds;

    String verdictOf(String messageId) {
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", messageId) != null);
        return Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", messageId);
    }

    String ticketOf(String messageId) {
        return Db.string(ds, "SELECT t.number FROM mail_receipt r JOIN ticket t ON t.id = r.ticket_id"
                + " WHERE r.message_id = ?", messageId);
    }

    @Test
    void aNewMailOpensATicketAnsweredInTheCustomersLanguage() throws Exception {
        String customer = Samples.unique("mail");
        MimeMessage sent = MailClient.send(MailClient.message(customer, "Imprimante en panne",
                "Bonjour,\n\nnotre imprimante ne fonctionne plus depuis ce matin. Pouvez-vous nous aider ?\n\nMerci"));
        String id = sent.getMessageID();
        assertEquals("NEW_TICKET", verdictOf(id));
        String number = ticketOf(id);
        assertNotNull(number);

        MimeMessage ack = Mailboxes.await(customer, 1).get(0);
        assertEquals("[" + number + "] Imprimante en panne", ack.getSubject());
        assertEquals(id, ack.getHeader("In-Reply-To", null));
        assertEquals("auto-replied", ack.getHeader("Auto-Submitted", null));
        assertEquals("fr", ack.getHeader("Content-Language", null));
        assertTrue(com.esii.support.hub.testing.Mailboxes.text(ack).contains("Nous avons bien reçu votre demande"));
        assertEquals("EMAIL", Db.string(ds, "SELECT channel FROM ticket WHERE number = ?", number));
        assertTrue(Db.string(ds, "SELECT description FROM ticket WHERE number = ?", number).contains("imprimante"));
        // Flagged seen on the server once committed.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> MailClient.seen(id));

        // A reply with the number in the subject joins the ticket; no second acknowledgement.
        MimeMessage reply = MailClient.message(customer, "RE : [" + number + "] Imprimante en panne",
                "Elle refonctionne après redémarrage.\n\nLe 26/11/2026, Support a écrit :\n> Nous avons bien reçu");
        MailClient.send(reply);
        assertEquals("COMMENT", verdictOf(reply.getMessageID()));
        assertEquals(number, ticketOf(reply.getMessageID()));
        assertEquals("Elle refonctionne après redémarrage.", Db.string(ds,
                "SELECT m.body FROM ticket_message m WHERE m.message_id = ?", reply.getMessageID()));

        // A reply that only names our acknowledgement in In-Reply-To joins it too.
        MimeMessage headerReply = MailClient.message(customer, "Suite", "One more thing.");
        headerReply.setHeader("In-Reply-To", ack.getMessageID());
        MailClient.send(headerReply);
        assertEquals("COMMENT", verdictOf(headerReply.getMessageID()));
        assertEquals(number, ticketOf(headerReply.getMessageID()));
        Quiet.outbox(ds, number);
        assertEquals(1, Mailboxes.to(customer).size());
    }

    @Test
    void anotherHelpdesksNumberDoesNotThread() throws Exception {
        String customer = Samples.unique("other-desk");
        MimeMessage m = MailClient.send(MailClient.message(customer, "RE: [INC-2026-000001] Your request",
                "Hello, the request is not working, please help us with this problem."));
        assertEquals("NEW_TICKET", verdictOf(m.getMessageID()));
        MimeMessage ack = Mailboxes.await(customer, 1).get(0);
        assertEquals("en", ack.getHeader("Content-Language", null));
    }

    @Test
    void machineMailIsNeverAnsweredButAnAutoReplyToATicketIsRecordedOnIt() throws Exception {
        String customer = Samples.unique("ooo");
        MimeMessage first = MailClient.send(MailClient.message(customer, "Scanner", "Le scanner ne marche pas du tout."));
        verdictOf(first.getMessageID());
        String number = ticketOf(first.getMessageID());
        Mailboxes.await(customer, 1);

        MimeMessage ooo = MailClient.message(customer, "Absence : [" + number + "] Scanner", "Je suis absent.");
        ooo.setHeader("Auto-Submitted", "auto-replied");
        MailClient.send(ooo);
        assertEquals("AUTO_REPLY_RECORDED", verdictOf(ooo.getMessageID()));
        assertEquals(number, ticketOf(ooo.getMessageID()));

        MimeMessage list = MailClient.message(Samples.unique("list"), "Newsletter", "News of the week");
        list.setHeader("List-Id", "<news.example.com>");
        MailClient.send(list);
        assertEquals("AUTO_REPLY_IGNORED", verdictOf(list.getMessageID()));

        MimeMessage noreply = MailClient.message("no-reply@vendor.example", "Your invoice", "Invoice attached");
        MailClient.send(noreply);
        assertEquals("AUTO_REPLY_IGNORED", verdictOf(noreply.getMessageID()));

        // a verdict commits with whatever it queues: nothing queued for these senders, nothing more for the ticket
        Quiet.outbox(ds, number);
        assertEquals(0, Db.count(ds, "SELECT COUNT(*) FROM outbox WHERE recipient = ?", "no-reply@vendor.example"));
        assertEquals(1, Mailboxes.to(customer).size(), "the auto-reply was not answered");
        assertTrue(Mailboxes.to("no-reply@vendor.example").isEmpty());
    }

    @Test
    void anOutOfOfficeResponderAnsweringOurAcknowledgementsStaysWithinTheCaps() throws Exception {
        // The responder answers every mail it gets with a new subject: the hub never answers it.
        String responder = Samples.unique("responder");
        for (int i = 0; i < 5; i++) {
            MimeMessage auto = MailClient.message(responder, "Out of office " + i, "I am away until Monday.");
            auto.setHeader("X-Autoreply", "yes");
            MailClient.send(auto);
            assertEquals("AUTO_REPLY_IGNORED", verdictOf(auto.getMessageID()));
        }
        assertTrue(Mailboxes.to(responder).isEmpty());
    }

    @Test
    void aHumanWritingTooOftenIsCappedAndTheTicketFlagged() throws Exception {
        String customer = Samples.unique("chatty");
        String lastId = null;
        for (int i = 0; i < 4; i++) {
            MimeMessage m = MailClient.send(MailClient.message(customer, "Problem number " + i,
                    "This is a new problem, not working at all."));
            lastId = m.getMessageID();
            verdictOf(lastId);
        }
        assertEquals("LOOP_CAPPED", verdictOf(lastId));
        String number = ticketOf(lastId);
        assertEquals("LOOP_CAPPED", Db.string(ds, "SELECT flags FROM ticket WHERE number = ?", number));
        Mailboxes.await(customer, 3);
        Quiet.outbox(ds, number);
        assertEquals(3, Mailboxes.to(customer).size());
        given().when().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.containsString("hub_mail_loop_capped_total{cap=\"address\"}"));
    }

    @Test
    void aBounceStopsMailToTheFailedAddress() throws Exception {
        String failed = Samples.unique("gone");
        String bounce = "From: MAILER-DAEMON@mx.customer.example\r\n"
                + "To: support@example.com\r\n"
                + "Subject: Undelivered Mail Returned to Sender\r\n"
                + "Message-ID: <bounce-" + System.nanoTime() + "@mx.customer.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
                + "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.customer.example\r\n\r\n"
                + "Final-Recipient: rfc822; " + failed + "\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                + "--b1--\r\n";
        MailClient.append(bounce.getBytes(StandardCharsets.US_ASCII));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Db.count(ds,
                "SELECT count(*) FROM suppressed_address WHERE address = ?", failed) == 1);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM mail_receipt WHERE verdict = 'BOUNCE' AND reason LIKE ?",
                "%" + failed + "%"));
        // A ticket for that address is still opened, but not acknowledged.
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(failed)).when().post("/api/tickets")
                .then().statusCode(201).extract().path("number");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(Db.string(ds,
                "SELECT o.status FROM outbox o JOIN ticket t ON t.id = o.ticket_id WHERE t.number = ?", number)));
        assertTrue(Mailboxes.to(failed).isEmpty());
        assertTrue(Mailboxes.to("mailer-daemon@mx.customer.example").isEmpty());
    }

    @Test
    void theSameMailDeliveredTwiceOpensOneTicket() throws Exception {
        String customer = Samples.unique("twice");
        String id = "<twice-" + System.nanoTime() + "@customer.example>";
        String body = "From: " + customer + "\r\nTo: support@example.com\r\nSubject: Twice\r\nMessage-ID: " + id
                + "\r\nDate: Thu, 26 Nov 2026 10:00:00 +0100\r\n\r\nThe same mail, twice: nothing works.\r\n";
        MailClient.append(("Received: from a.example by hub1\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        MailClient.append(("Received: from b.example by hub2\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Db.count(ds,
                "SELECT count(*) FROM mail_receipt WHERE message_id = ?", id) == 2);
        assertEquals(List.of("DUPLICATE", "NEW_TICKET"), List.of(
                Db.string(ds, "SELECT min(verdict) FROM mail_receipt WHERE message_id = ?", id),
                Db.string(ds, "SELECT max(verdict) FROM mail_receipt WHERE message_id = ?", id)));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", customer));
        // the duplicate's verdict names the receipt of the mail that was taken (the one naming the seen key)
        String first = Db.string(ds, "SELECT id FROM mail_receipt WHERE message_id = ? AND verdict = 'NEW_TICKET'", id);
        assertEquals("seen before (receipt " + first + ")", Db.string(ds,
                "SELECT reason FROM mail_receipt WHERE message_id = ? AND verdict = 'DUPLICATE'", id));
    }

    @Test
    void aMailOverTheSizeCapIsKeptAndAnsweredPolitely() throws Exception {
        String customer = Samples.unique("big");
        MimeMessage m = MailClient.message(customer, "Huge logs", "x".repeat(3 * 1024 * 1024));
        MailClient.send(m);
        assertEquals("TOO_LARGE", verdictOf(m.getMessageID()));
        MimeMessage notice = Mailboxes.await(customer, 1).get(0);
        assertTrue(notice.getSubject().contains("Huge logs"), notice.getSubject());
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", customer));
        assertTrue(Db.count(ds, "SELECT c.size_bytes FROM mail_receipt r JOIN raw_content c ON c.id = r.raw_id"
                + " WHERE r.message_id = ?", m.getMessageID()) > 3 * 1024 * 1024);
    }

    @Test
    void aMailThatCannotBeProcessedIsMovedToTheErrorFolderAndBlocksNothing() throws Exception {
        String customer = Samples.unique("poison");
        MimeMessage poison = MailClient.send(MailClient.message(customer, "Crash " + PoisonableMailStore.POISON, "x"));
        MimeMessage next = MailClient.send(MailClient.message(customer, "After the poison", "This one is fine, but broken."));
        assertEquals("ERROR", verdictOf(poison.getMessageID()));
        assertTrue(Db.string(ds, "SELECT reason FROM mail_receipt WHERE message_id = ?", poison.getMessageID())
                .contains("poisoned for the test"));
        assertTrue(Db.count(ds, "SELECT c.size_bytes FROM mail_receipt r JOIN raw_content c ON c.id = r.raw_id"
                + " WHERE r.message_id = ?", poison.getMessageID()) > 0, "the raw mail is kept");
        assertEquals("NEW_TICKET", verdictOf(next.getMessageID()));
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> MailClient.inFolder("Support Hub Errors", poison.getMessageID()));
    }

    @Test
    void aMailWithBrokenPartsStillOpensATicket() throws Exception {
        String customer = Samples.unique("broken");
        String longId = "<" + "x".repeat(1200) + "@customer.example>";
        String raw = "From: " + customer + "\r\nTo: support@example.com\r\nSubject: Nul\u0000 bytes\r\nMessage-ID: "
                + longId + "\r\n\r\nBinary\u0000garbage in a text part, not working.\r\n";
        MailClient.append(raw.getBytes(StandardCharsets.ISO_8859_1));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Db.count(ds,
                "SELECT count(*) FROM ticket WHERE customer_email = ?", customer) == 1);
        assertEquals("Binarygarbage in a text part, not working.", Db.string(ds,
                "SELECT description FROM ticket WHERE customer_email = ?", customer));
    }

    @Test
    void theNumberInTheBodyThreadsAMailWhoseClientStrippedTheRest() throws Exception {
        String customer = Samples.unique("stripped");
        MimeMessage first = MailClient.send(MailClient.message(customer, "Badge reader", "The badge reader is down."));
        verdictOf(first.getMessageID());
        String number = ticketOf(first.getMessageID());
        MimeMessage stripped = MailClient.send(MailClient.message(customer, "more info",
                "Here is the log you asked for.\n\n> Its number is " + number + ": keep it"));
        assertEquals("COMMENT", verdictOf(stripped.getMessageID()));
        assertEquals(number, ticketOf(stripped.getMessageID()));
    }

    @Test
    void verdictsAreListedToOperators() throws Exception {
        MimeMessage m = MailClient.send(MailClient.message(Samples.unique("admin"), "Listed", "Hello, it is broken."));
        verdictOf(m.getMessageID());
        given().when().get("/admin/mail/verdicts").then().statusCode(401);
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when().get("/admin/mail/verdicts")
                .then().statusCode(200).body("messageId", hasItem(m.getMessageID()));
        given().when().get("/q/health/group/mail").then().statusCode(200);
    }
}
