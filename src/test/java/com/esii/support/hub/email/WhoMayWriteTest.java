package com.esii.support.hub.email;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
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

/**
 * Only the ticket's customer and its participants write into a ticket by mail (issue 14, part 1), over real SMTP and
 * IMAP: a stranger naming a ticket (its number, a forged In-Reply-To) opens a new ticket that names the old one for
 * staff; the old one gets no comment, is not reopened, its clock not moved. A bounce is filed on a ticket only when
 * its failed recipient takes part in it. Every verdict keeps its raw mail, duplicates included.
 */
@QuarkusTest
class WhoMayWriteTest extends HubTestResources {

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

    long messages(String number) {
        return Db.count(ds, "SELECT count(*) FROM ticket_message m JOIN ticket t ON t.id = m.ticket_id"
                + " WHERE t.number = ?", number);
    }

    /** A customer's mail copied to a colleague; its ticket number, once acknowledged. */
    String opened(String customer, String colleague) throws Exception {
        MimeMessage first = MailClient.message(customer, "Imprimante en panne",
                "Bonjour, notre imprimante ne fonctionne plus depuis ce matin. Merci de votre aide.");
        if (colleague != null) {
            first.addRecipient(Message.RecipientType.CC, new InternetAddress(colleague, "Collègue Ünïcode", "UTF-8"));
        }
        MailClient.send(first);
        assertEquals("NEW_TICKET", verdictOf(first.getMessageID()));
        Mailboxes.await(customer, 1);
        return ticketOf(first.getMessageID());
    }

    @Test
    void aStrangerWithAValidNumberOpensANewTicketAndTheOldOneIsLeftAsItWas() throws Exception {
        String customer = Samples.unique("owner");
        String number = opened(customer, null);
        // the ticket is resolved: a customer's reply would reopen it
        given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("type", "resolved")).when().post("/admin/tickets/" + number + "/steps")
                .then().statusCode(200);
        long before = messages(number);

        String stranger = Samples.unique("stranger");
        MimeMessage m = MailClient.send(MailClient.message(stranger, "RE: [" + number + "] Imprimante en panne",
                "Please add this to the ticket and reopen it."));
        assertEquals("NEW_TICKET", verdictOf(m.getMessageID()));
        String other = ticketOf(m.getMessageID());
        assertNotNull(other);
        assertNotEquals(number, other);
        assertTrue(Db.string(ds, "SELECT reason FROM mail_receipt WHERE message_id = ?", m.getMessageID())
                .contains("names " + number));
        // the old ticket: no message, still resolved, nothing in its history from the stranger
        assertEquals(before, messages(number));
        assertEquals("RESOLVED", Db.string(ds, "SELECT status FROM ticket WHERE number = ?", number));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'reopened'", number));
        // the new ticket is the stranger's, and names the old one for staff
        assertEquals(stranger, Db.string(ds, "SELECT customer_email FROM ticket WHERE number = ?", other));
        assertTrue(Db.string(ds, "SELECT e.detail FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'names-other-ticket'", other)
                .startsWith("Ce message cite " + number + ", mais " + stranger + " n'est ni le client"),
                "staff's note, in the desk's language (French by default)");
        // the stranger is told their own new number; the customer is sent nothing more
        MimeMessage ack = Mailboxes.await(stranger, 1).get(0);
        assertTrue(ack.getSubject().contains(other), ack.getSubject());
        Quiet.outbox(ds, number, other);
        assertEquals(1, Mailboxes.to(customer).size());
    }

    @Test
    void aForgedInReplyToDoesNotThreadAStrangersMail() throws Exception {
        String customer = Samples.unique("victim");
        String number = opened(customer, null);
        MimeMessage ack = Mailboxes.to(customer).get(0);
        long before = messages(number);

        MimeMessage forged = MailClient.message(Samples.unique("forger"), "Hello", "Injected text.");
        forged.setHeader("In-Reply-To", ack.getMessageID());
        forged.setHeader("References", ack.getMessageID());
        MailClient.send(forged);
        assertEquals("NEW_TICKET", verdictOf(forged.getMessageID()));
        assertNotEquals(number, ticketOf(forged.getMessageID()));
        assertEquals(before, messages(number));
    }

    @Test
    void aColleagueCopiedOnTheFirstMailRepliesIntoTheTicket() throws Exception {
        String customer = Samples.unique("boss");
        String colleague = Samples.unique("colleague").toUpperCase(java.util.Locale.ROOT);
        String number = opened(customer, colleague);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_participant p JOIN ticket t ON t.id = p.ticket_id"
                + " WHERE t.number = ? AND p.address = ? AND p.source = 'mail'", number,
                colleague.toLowerCase(java.util.Locale.ROOT)));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket_participant p JOIN ticket t ON t.id = p.ticket_id"
                + " WHERE t.number = ? AND p.address = ?", number, "support@example.com"));

        MimeMessage reply = MailClient.send(MailClient.message(colleague.toLowerCase(java.util.Locale.ROOT),
                "RE: [" + number + "] Imprimante en panne", "Elle refonctionne, merci."));
        assertEquals("COMMENT", verdictOf(reply.getMessageID()));
        assertEquals(number, ticketOf(reply.getMessageID()));
    }

    @Test
    void aBounceIsFiledOnATicketOnlyWhenItsFailedRecipientTakesPartInIt() throws Exception {
        String customer = Samples.unique("bounced-owner");
        String number = opened(customer, null);
        long before = messages(number);

        // a report about someone else's address that carries the ticket's number in its returned headers
        String elsewhere = Samples.unique("someone-else");
        String foreign = bounce(elsewhere, number, "<other-" + System.nanoTime() + "@customer.example>");
        MailClient.append(foreign.getBytes(StandardCharsets.US_ASCII));
        String foreignId = messageIdOf(foreign);
        assertEquals("BOUNCE", verdictOf(foreignId));
        assertEquals(null, ticketOf(foreignId));
        assertEquals(before, messages(number));

        // the same report about the ticket's customer is filed on it (internal)
        String own = bounce(customer, number, "<own-" + System.nanoTime() + "@customer.example>");
        MailClient.append(own.getBytes(StandardCharsets.US_ASCII));
        String ownId = messageIdOf(own);
        assertEquals("BOUNCE", verdictOf(ownId));
        assertEquals(number, ticketOf(ownId));
        assertEquals(before + 1, messages(number));
    }

    @Test
    void aDuplicateKeepsItsRawMailStoredOnceForTheSameBytes() throws Exception {
        String customer = Samples.unique("dup");
        String id = "<dup-" + System.nanoTime() + "@customer.example>";
        byte[] raw = ("From: " + customer + "\r\nTo: support@example.com\r\nSubject: Twice\r\nMessage-ID: " + id
                + "\r\nDate: Thu, 26 Nov 2026 10:00:00 +0100\r\n\r\nThe very same bytes, twice.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        MailClient.append(raw);
        MailClient.append(raw);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Db.count(ds,
                "SELECT count(*) FROM mail_receipt WHERE message_id = ?", id) == 2);
        String duplicate = Db.string(ds, "SELECT id FROM mail_receipt WHERE message_id = ? AND verdict = 'DUPLICATE'", id);
        assertNotNull(duplicate);
        assertEquals(1, Db.count(ds, "SELECT count(DISTINCT raw_id) FROM mail_receipt WHERE message_id = ?"
                + " AND raw_id IS NOT NULL HAVING count(*) = 2", id), "both verdicts name the one stored copy");
        byte[] eml = given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when()
                .get("/admin/mail/verdicts/" + duplicate + "/eml").then().statusCode(200).extract().asByteArray();
        assertTrue(new String(eml, StandardCharsets.US_ASCII).contains("The very same bytes, twice."));
    }

    @Test
    void theCustomersReplyLongAfterTheEndOpensAFollowUpThatNamesTheOldTicketInTheirLanguage() throws Exception {
        String customer = Samples.unique("late");
        String number = opened(customer, null);
        Db.update(ds, "UPDATE ticket SET status = 'CLOSED' WHERE number = ?", number);
        MimeMessage m = MailClient.send(MailClient.message(customer, "RE: [" + number + "] Imprimante en panne",
                "Bonjour, la panne est revenue ce matin, l'imprimante ne répond plus du tout."));
        assertEquals("NEW_TICKET", verdictOf(m.getMessageID()));
        String other = ticketOf(m.getMessageID());
        assertNotEquals(number, other);
        String text = Db.string(ds, "SELECT m.body FROM ticket_message m JOIN ticket t ON t.id = m.ticket_id"
                + " WHERE t.number = ? AND m.direction = 'IN'", other);
        assertTrue(text.startsWith("(Suite de la demande " + number + ", résolue il y a plus de "), text);
    }

    @Test
    void theRecordedAcknowledgementKeepsNoAccessToken() throws Exception {
        String customer = Samples.unique("token");
        String number = opened(customer, null);
        MimeMessage ack = Mailboxes.to(customer).get(0);
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        ack.writeTo(raw);
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("token=([A-Za-z0-9_-]{16,})")
                .matcher(raw.toString(StandardCharsets.UTF_8));
        assertTrue(link.find(), "the mail carries the link");
        String token = link.group(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Db.count(ds, "SELECT count(*) FROM ticket_message m"
                + " JOIN ticket t ON t.id = m.ticket_id WHERE t.number = ? AND m.direction = 'OUT'", number) == 1);
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket_message WHERE body LIKE ?", "%" + token + "%"));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_message m JOIN ticket t ON t.id = m.ticket_id"
                + " WHERE t.number = ? AND m.direction = 'OUT' AND m.body LIKE '%(token)%'", number));
        // the sent acknowledgement's outbox row no longer holds it either (it held it until the mail was written)
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Db.count(ds, "SELECT count(*) FROM outbox"
                + " WHERE type = 'mail-ack' AND lane = ? AND status = 'DONE'", "mail:" + number) == 1);
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM outbox WHERE payload LIKE ?", "%" + token + "%"));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM outbox WHERE type = 'mail-ack' AND lane = ?"
                + " AND payload LIKE '%\"token\":null%'", "mail:" + number));
    }

    static String bounce(String failed, String number, String messageId) {
        return "From: MAILER-DAEMON@mx.customer.example\r\n"
                + "To: support@example.com\r\n"
                + "Subject: Undelivered Mail Returned to Sender\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
                + "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.customer.example\r\n\r\n"
                + "Final-Recipient: rfc822; " + failed + "\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                + "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: support@example.com\r\nTo: " + failed
                + "\r\nSubject: [" + number + "] Imprimante en panne\r\n"
                + "--b1--\r\n";
    }

    static String messageIdOf(String raw) {
        int i = raw.indexOf("Message-ID: ") + "Message-ID: ".length();
        return raw.substring(i, raw.indexOf("\r\n", i));
    }
}
