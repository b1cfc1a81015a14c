package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.GreenMailResource;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A ticket's language, decided once when a mail opens it, is the one of its acknowledgement and the one its triage
 * read: real mails over SMTP, read over IMAP, answered over SMTP.
 */
@org.junit.jupiter.api.Tag("app") // a running hub: the full suite, not the quick lane (-Pquick)
@QuarkusTest
class MailLanguageEndToEndTest extends com.esii.support.hub.testing.HubTestResources {

    @Inject
    DataSource ds;

    /** A customer's mail in ISO-8859-1, 8-bit, with no Content-Language. */
    static MimeMessage latin1(String from, String subject, String text) throws Exception {
        MimeMessage m = new MimeMessage(MailClient.smtpSession());
        m.setFrom(new InternetAddress(from, "María López", "ISO-8859-1"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(GreenMailResource.SUPPORT));
        m.setSubject(subject, "ISO-8859-1");
        m.setText(text, "ISO-8859-1");
        m.setHeader("Content-Transfer-Encoding", "8bit");
        return m;
    }

    String ticketOf(String messageId) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Db.string(ds,
                "SELECT t.number FROM mail_receipt r JOIN ticket t ON t.id = r.ticket_id WHERE r.message_id = ?",
                messageId) != null);
        return Db.string(ds,
                "SELECT t.number FROM mail_receipt r JOIN ticket t ON t.id = r.ticket_id WHERE r.message_id = ?",
                messageId);
    }

    @Test
    void aSpanishMailInLatin1WithoutContentLanguageIsAcknowledgedAndTriagedInSpanish() throws Exception {
        String customer = Samples.unique("impresora");
        MimeMessage sent = MailClient.send(latin1(customer, "Impresora de turnos",
                "Buenos días, la impresora de turnos no funciona.\n\nMaría"));
        assertNull(sent.getHeader("Content-Language"));
        assertEquals("text/plain; charset=ISO-8859-1", sent.getContentType());
        String number = ticketOf(sent.getMessageID());

        assertEquals("es", Db.string(ds, "SELECT language FROM ticket WHERE number = ?", number));
        MimeMessage ack = Mailboxes.await(customer, 1).get(0);
        assertEquals("es", ack.getHeader("Content-Language", null));
        String body = com.esii.support.hub.testing.Mailboxes.text(ack);
        assertTrue(body.contains("Hola María López:") && body.contains("Hemos recibido su solicitud"), body);
        // The triage read the same Spanish text: its Spanish rule decided the criticality.
        String triage = Db.string(ds, "SELECT e.detail FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.number = ? AND e.type = 'triaged'", number);
        assertTrue(triage.contains("major by major-es"), triage);

        // The same customer writing again, in French this time, about something else: a new ticket, answered in
        // the language of their earlier ticket (it comes before the text).
        MimeMessage again = MailClient.send(latin1(customer, "Autre site",
                "Bonjour, l'écran d'appel du guichet 4 reste figé depuis ce matin. Merci de regarder."));
        String second = ticketOf(again.getMessageID());
        assertEquals("es", Db.string(ds, "SELECT language FROM ticket WHERE number = ?", second));
        assertEquals(2, Mailboxes.await(customer, 2).size());
        assertEquals("es", Mailboxes.to(customer).get(1).getHeader("Content-Language", null));
    }

    /** The detector is built and run at the start, on a thread of its own, not by the first customer's mail. */
    @Test
    void theLanguageDetectorIsWarmedAtTheStart() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(com.esii.support.hub.ticket.LanguageDetection::warm);
    }

    /**
     * A mail whose Reply-To names the customer (an assistant writing for the head of department): the customer of
     * the ticket is the Reply-To address, and so are the earlier tickets whose language comes before the text.
     */
    @Test
    void theEarlierTicketsLookedAtAreTheCustomersNamedInReplyToNotTheAuthors() throws Exception {
        String head = Samples.unique("jefa");
        MimeMessage first = MailClient.send(latin1(head, "Impresora de turnos",
                "Buenos días, la impresora de turnos no funciona.\n\nMaría"));
        assertEquals("es", Db.string(ds, "SELECT language FROM ticket WHERE number = ?", ticketOf(first.getMessageID())));

        String assistant = Samples.unique("assistant");
        MimeMessage forHead = latin1(assistant, "Écran figé",
                "Bonjour, l'écran d'appel du guichet 4 reste figé depuis ce matin. Merci de regarder.");
        forHead.setReplyTo(new InternetAddress[] {new InternetAddress(head)});
        MailClient.send(forHead);
        String number = ticketOf(forHead.getMessageID());
        assertEquals(head, Db.string(ds, "SELECT customer_email FROM ticket WHERE number = ?", number));
        assertEquals("es", Db.string(ds, "SELECT language FROM ticket WHERE number = ?", number),
                "the language of the customer's earlier ticket");
        assertEquals("es", Mailboxes.await(head, 2).get(1).getHeader("Content-Language", null));
    }
}
