package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The intake takes a batch's senders side by side (hub.mail.intake-threads, 4 by default) but each sender's mails in
 * the order they arrived: a customer's reply that follows their first mail in the same burst is threaded to the
 * ticket that mail opened, never taken first as a new request.
 */
@QuarkusTest
class MailBurstOrderTest extends HubTestResources {

    @Inject
    DataSource ds;

    @Test
    void inABurstEachSendersReplyFindsTheTicketItsFirstMailOpened() throws Exception {
        int senders = 8;
        List<String> customers = new ArrayList<>();
        List<byte[]> firsts = new ArrayList<>();
        List<byte[]> replies = new ArrayList<>();
        long n = System.nanoTime();
        for (int i = 0; i < senders; i++) {
            String customer = Samples.unique("burst" + i);
            customers.add(customer);
            String first = "<first-" + i + "-" + n + "@customer.example>";
            firsts.add(mail(customer, first, null, "Scanner " + i + " en panne",
                    "Bonjour, le scanner numéro " + i + " ne démarre plus depuis ce matin."));
            replies.add(mail(customer, "<reply-" + i + "-" + n + "@customer.example>", first,
                    "Re: Scanner " + i + " en panne", "Précision : le voyant orange clignote trois fois."));
        }
        // all firsts, then all replies, appended over one connection: one batch of 16 mails from 8 senders
        List<byte[]> burst = new ArrayList<>(firsts);
        burst.addAll(replies);
        MailClient.appendAll(burst);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> customers.stream().allMatch(c -> Db.count(ds,
                "SELECT count(*) FROM mail_receipt WHERE message_id LIKE ? AND verdict IS NOT NULL",
                "<%-" + customers.indexOf(c) + "-" + n + "@customer.example>") == 2));
        for (int i = 0; i < senders; i++) {
            String customer = customers.get(i);
            assertEquals("NEW_TICKET", Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?",
                    "<first-" + i + "-" + n + "@customer.example>"), customer);
            assertEquals("COMMENT", Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?",
                    "<reply-" + i + "-" + n + "@customer.example>"), customer);
            assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", customer), customer);
        }
    }

    private static byte[] mail(String from, String messageId, String inReplyTo, String subject, String text) {
        String raw = "From: " + from + "\r\nTo: support@example.com\r\nSubject: =?UTF-8?Q?"
                + subject.replace(" ", "_") + "?=\r\nMessage-ID: " + messageId + "\r\n"
                + (inReplyTo == null ? "" : "In-Reply-To: " + inReplyTo + "\r\nReferences: " + inReplyTo + "\r\n")
                + "Date: Sat, 28 Nov 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + text + "\r\n";
        return raw.getBytes(StandardCharsets.UTF_8);
    }
}
