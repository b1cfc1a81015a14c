package com.esii.support.hub.email;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.mail.CustomerNotice;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.GreenMailResource;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.TestSettings;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Real mails over IMAP with the sender forms real mailers write (corpus samples where they fit), the
 * acknowledgement read back from the SMTP server; delivery reports that stop mail and those that do not; the admin
 * lifting a suppression.
 */
@QuarkusTest
class AddressesAndReportsTest extends HubTestResources {

    static final Path CORPUS = Path.of("src/test/resources/corpus/emails");

    @Inject
    DataSource ds;
    @Inject
    TicketLedger ledger;
    @Inject
    CustomerNotice notices;
    @Inject
    OutboxRelay relay;

    // --- sender forms ---------------------------------------------------------------------------------------

    @Test
    void aDisplayNameWithoutAngleBracketsIsNotPartOfTheAddress() throws Exception {
        String local = unique("bb");
        String id = append(corpus("mail-gem/plain_emails/mix_caps_content_type.eml", "bb@bug.com", local + "@bug.com"));
        assertEquals("NEW_TICKET", verdictOf(id));
        assertEquals(local + "@bug.com", customerOf(id));
        assertEquals("Big Bug", Db.string(ds, "SELECT customer_name FROM ticket WHERE number = ?", ticketOf(id)));
        MimeMessage ack = hubMailsTo(local + "@bug.com", 1).get(0);
        assertEquals("Big Bug <" + local + "@bug.com>", ack.getHeader("To", null));
    }

    @Test
    void commentsInsideTheAddressAreDropped() throws Exception {
        String local = unique("pete");
        String id = append(corpus("mail-gem/rfc2822/example10.eml", "pete(his account)@silly.test",
                local + "(his account)@silly.test"));
        assertEquals("NEW_TICKET", verdictOf(id));
        assertEquals(local + "@silly.test", customerOf(id));
        hubMailsTo(local + "@silly.test", 1);
    }

    @Test
    void obsoleteSpacesAndCommentsInTheDomainDoNotCutTheAddress() throws Exception {
        // From  : John Doe <jdoe@machine(comment).  example> (RFC 5322 A.6.3) was once answered at jdoe@machine.
        String local = unique("jdoe");
        String id = append(corpus("mail-gem/rfc2822/example13.eml", "jdoe@machine", local + "@machine"));
        assertEquals("NEW_TICKET", verdictOf(id));
        assertEquals(local + "@machine.example", customerOf(id));
        hubMailsTo(local + "@machine.example", 1);
        assertTrue(hubMailsTo(local + "@machine", 0).isEmpty());
    }

    @Test
    void aUtf8AddressIsStoredWholeAndAnsweredInAUtf8Header() throws Exception {
        // RFC 6532: raw UTF-8 in From, in the name and in the address itself.
        String local = unique("jdöe");
        String id = append(corpus("mail-gem/rfc6532/utf8_headers.eml", "jdöe@", local + "@"));
        assertEquals("NEW_TICKET", verdictOf(id));
        assertEquals(local + "@mächine.example", customerOf(id));
        assertEquals("Jöhn Doe", Db.string(ds, "SELECT customer_name FROM ticket WHERE number = ?", ticketOf(id)));
        MimeMessage ack = hubMailsTo(local + "@mächine.example", 1).get(0);
        InternetAddress to = InternetAddress.parseHeader(utf8(ack.getHeader("To", null)), true)[0];
        assertEquals(local + "@mächine.example", to.getAddress());
        assertEquals("Jöhn Doe", to.getPersonal());
    }

    @Test
    void replyToIsAnsweredAndTheNameIsQuotedInTheAcknowledgement() throws Exception {
        String mary = unique("mary");
        String smith = unique("smith");
        String id = append(corpus("mail-gem/rfc2822/example06.eml", "mary@", mary + "@", "smith@", smith + "@"));
        assertEquals("NEW_TICKET", verdictOf(id));
        assertEquals(smith + "@home.example", customerOf(id));
        MimeMessage ack = hubMailsTo(smith + "@home.example", 1).get(0);
        assertEquals("\"Mary Smith: Personal Account\" <" + smith + "@home.example>", ack.getHeader("To", null));
        assertTrue(hubMailsTo(mary + "@example.net", 0).isEmpty());
        long ticket = ticketId(id);
        assertTrue(Db.string(ds, "SELECT detail FROM ticket_event WHERE ticket_id = ? AND type = 'reply-to'", ticket)
                .contains(mary + "@example.net asks for answers at " + smith + "@home.example"));
    }

    @Test
    void aNameThatNeedsEncodingIsEncodedInTheAcknowledgement() throws Exception {
        String local = unique("joerg");
        String id = send("From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller=2C_ACME?= <" + local + "@Customer.Example>\r\n",
                "Drucker", "Der Drucker druckt nicht mehr.");
        assertEquals("NEW_TICKET", verdictOf(id));
        assertEquals(local + "@customer.example", customerOf(id));
        MimeMessage ack = hubMailsTo(local + "@customer.example", 1).get(0);
        String raw = ack.getHeader("To", null);
        assertTrue(raw.startsWith("=?UTF-8?"), raw);
        InternetAddress to = InternetAddress.parseHeader(raw, true)[0];
        assertEquals("Jörg Müller, ACME", to.getPersonal());
    }

    // --- addresses nobody can answer -------------------------------------------------------------------------

    @Test
    void anAddressWithoutADotQualifiedDomainOpensATicketThatSaysItIsNotAcknowledged() throws Exception {
        String local = unique("jdoe");
        String id = send("From: John Doe <" + local + "@machine>\r\n", "Scanner down", "The scanner is broken.");
        String why = local + "@machine has no dot-qualified domain";
        assertNotAcknowledged(id, why);
        assertEquals("John Doe <" + local + "@machine>",
                Db.string(ds, "SELECT customer_name FROM ticket WHERE number = ?", ticketOf(id)));
    }

    @Test
    void severalAuthorsWithoutASenderOpenATicketThatSaysItIsNotAcknowledged() throws Exception {
        String tim = unique("tim");
        String concierge = unique("concierge");
        String id = append(corpus("mail-gem/plain_emails/raw_email_multiple_from.eml", "tim@", tim + "@",
                "concierge@", concierge + "@"));
        assertNotAcknowledged(id, "From names 2 mailboxes (" + tim + "@powerupdev.com, " + concierge
                + "@powerupdev.com) and no Sender says which one wrote it");
        assertTrue(hubMailsTo(tim + "@powerupdev.com", 0).isEmpty());
        assertTrue(hubMailsTo(tim + "@powerupdev.com concierge@powerupdev.com", 0).isEmpty());
    }

    @Test
    void aFromWithoutAnyMailboxOpensATicketThatSaysItIsNotAcknowledged() throws Exception {
        String id = send("From: Undisclosed sender\r\n", "Help", "Nothing works here.");
        assertNotAcknowledged(id, "From \"Undisclosed sender\" names no mailbox");
        assertEquals("Undisclosed sender", Db.string(ds, "SELECT customer_name FROM ticket WHERE number = ?",
                ticketOf(id)));
    }

    private void assertNotAcknowledged(String id, String why) {
        assertEquals("NOT_ACKNOWLEDGED", verdictOf(id));
        assertEquals("ticket opened, not acknowledged: " + why,
                Db.string(ds, "SELECT reason FROM mail_receipt WHERE message_id = ?", id));
        long ticket = ticketId(id);
        assertEquals("NOT_ACKNOWLEDGED", Db.string(ds, "SELECT flags FROM ticket WHERE id = ?", ticket));
        assertEquals("not acknowledged: " + why, Db.string(ds,
                "SELECT detail FROM ticket_event WHERE ticket_id = ? AND type = 'mail-withheld'", ticket));
        assertEquals("", Db.string(ds, "SELECT customer_email FROM ticket WHERE id = ?", ticket));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM outbox WHERE ticket_id = ? AND type = 'mail-ack'", ticket),
                "no acknowledgement queued, so none can die later");
    }

    // --- delivery reports ------------------------------------------------------------------------------------

    @Test
    void aDelayedReportIsRecordedOnTheTicketAndStopsNothing() throws Exception {
        String customer = unique("slow") + "@customer.example";
        String first = send("From: " + customer + "\r\n", "Badge reader", "The badge reader is down.");
        assertEquals("NEW_TICKET", verdictOf(first));
        long ticket = ticketId(first);
        MimeMessage ack = hubMailsTo(customer, 1).get(0);

        String report = report(customer, ack, "delayed", "4.4.1", "Will-Retry-Until: Fri, 27 Nov 2026 10:00:00 +0100\r\n");
        assertEquals("DELIVERY_REPORT", verdictOf(report));
        assertEquals(ticket, ticketId(report));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM suppressed_address WHERE address = ?", customer));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_message WHERE ticket_id = ? AND message_id = ?",
                ticket, report));
        String comment = internalNoteOf(ticket);
        // staff's note, in the desk's language (French by default)
        assertTrue(comment.contains(customer + " retardé (4.4.1"), comment);
        assertTrue(comment.contains("rien n'est bloqué"), comment);

        String next = send("From: " + customer + "\r\n", "Second problem", "The printer is down too.");
        assertEquals("NEW_TICKET", verdictOf(next));
        hubMailsTo(customer, 2);
    }

    @Test
    void aFailedReportSuppressesTheAddressUntilAnAdminLiftsIt() throws Exception {
        String customer = unique("gone") + "@customer.example";
        String first = send("From: " + customer + "\r\n", "Screen", "The screen stays black.");
        assertEquals("NEW_TICKET", verdictOf(first));
        long ticket = ticketId(first);
        MimeMessage ack = hubMailsTo(customer, 1).get(0);

        String report = report(customer, ack, "failed", "5.1.1", "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n");
        assertEquals("BOUNCE", verdictOf(report));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM suppressed_address WHERE address = ?", customer));
        String comment = internalNoteOf(ticket);
        assertTrue(comment.contains(customer + " en échec (5.1.1: 550 5.1.1 user unknown)"), comment);
        assertTrue(comment.contains("Plus aucun mail automatique n'est envoyé à " + customer), comment);

        // The next new mail opens a ticket; its acknowledgement is withheld, and the history says so.
        String second = send("From: " + customer + "\r\n", "Keyboard", "The keyboard is dead.");
        assertEquals("NOT_ACKNOWLEDGED", verdictOf(second));
        long secondTicket = ticketId(second);
        String withheld = Db.string(ds, "SELECT detail FROM ticket_event WHERE ticket_id = ? AND type = 'mail-withheld'",
                secondTicket);
        assertTrue(withheld.startsWith("not acknowledged: " + customer + " gets no automatic mail since"), withheld);
        assertTrue(withheld.contains("5.1.1"), withheld);
        assertEquals("NOT_ACKNOWLEDGED", Db.string(ds, "SELECT flags FROM ticket WHERE id = ?", secondTicket));

        // Staff's answer on the first ticket is withheld too, and written in its history.
        Ticket t = ledger.findById(ticket).orElseThrow();
        QuarkusTransaction.requiringNew().run(() -> notices.enqueue(t, "agent-reply", "We are on it.", "Staff", null,
                "<reply." + UUID.randomUUID() + "@example.com>", OffsetDateTime.now()));
        relay.wake();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Db.count(ds,
                "SELECT count(*) FROM ticket_event WHERE ticket_id = ? AND type = 'mail-withheld'", ticket) == 1);
        assertTrue(Db.string(ds, "SELECT detail FROM ticket_event WHERE ticket_id = ? AND type = 'mail-withheld'",
                ticket).startsWith("mail-notice (agent-reply) to " + customer + " not sent: " + customer
                        + " gets no automatic mail since"));

        // The admin lists the suppression, then lifts it (as a JSON client would send it); the next mail is answered.
        admin().get("/admin/mail/suppressions").then().statusCode(200)
                .body("address", hasItem(customer));
        admin().get("/admin/mail/suppressions/" + customer).then().statusCode(200)
                .body("reason", equalTo("delivery report: " + customer + " failed (5.1.1: 550 5.1.1 user unknown)"));
        given().contentType(ContentType.JSON).body("{}").when().delete("/admin/mail/suppressions/" + customer)
                .then().statusCode(401);
        admin().contentType(ContentType.JSON).body("{}").delete("/admin/mail/suppressions/" + customer).then()
                .statusCode(200).body("address", equalTo(customer)).body("liftedBy", equalTo("admin"));
        admin().header("X-Requested-By", "test").delete("/admin/mail/suppressions/" + customer).then().statusCode(404);
        admin().get("/admin/mail/suppressions").then().statusCode(200).body("address", not(hasItem(customer)));
        assertTrue(Files.readString(Path.of("target/quarkus.log")).contains("Suppression of " + customer
                + " lifted by admin"), "the lifting is logged with the admin's name");

        String third = send("From: " + customer + "\r\n", "Mouse", "The mouse is dead as well.");
        assertEquals("NEW_TICKET", verdictOf(third));
        assertEquals(2, hubMailsTo(customer, 2).size(), "the first acknowledgement and this one");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** A delivery report from the customer's server about our acknowledgement, its headers returned. */
    private String report(String customer, MimeMessage ack, String action, String status, String more)
            throws Exception {
        String id = "<dsn-" + UUID.randomUUID() + "@mx.customer.example>";
        String raw = "From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>\r\n"
                + "To: support@example.com\r\n"
                + "Subject: Delivery Status Notification (" + action + ")\r\n"
                + "Message-ID: " + id + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r1\"\r\n\r\n"
                + "--r1\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host mx.customer.example.\r\n"
                + "--r1\r\nContent-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; mx.customer.example\r\nArrival-Date: Thu, 26 Nov 2026 10:00:00 +0100\r\n\r\n"
                + "Final-Recipient: rfc822; " + customer + "\r\nOriginal-Recipient: rfc822;" + customer + "\r\n"
                + "Action: " + action + "\r\nStatus: " + status + "\r\n" + more
                + "\r\n--r1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
                + "From: Support <support@example.com>\r\nTo: " + customer + "\r\n"
                + "Subject: " + ack.getSubject() + "\r\nMessage-ID: " + ack.getMessageID() + "\r\n"
                + "\r\n--r1--\r\n";
        MailClient.append(raw.getBytes(StandardCharsets.UTF_8));
        return id;
    }

    /** The latest internal note for staff on the ticket's request (its queued JSM comment). */
    private String internalNoteOf(long ticket) {
        return Db.string(ds, "SELECT payload FROM outbox WHERE ticket_id = ? AND type = 'jira-comment'"
                + " ORDER BY id DESC LIMIT 1", ticket);
    }

    private io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).when();
    }

    /** A corpus message with its Message-ID made unique, threading headers dropped, and strings replaced. */
    private static byte[] corpus(String file, String... replacements) throws Exception {
        // Latin-1 keeps every byte as one character; replacements are written as the file's UTF-8 bytes.
        String raw = new String(Files.readAllBytes(CORPUS.resolve(file)), StandardCharsets.ISO_8859_1);
        for (int i = 0; i < replacements.length; i += 2) {
            String from = latin1View(replacements[i]);
            assertTrue(raw.contains(from), file + " has " + replacements[i]);
            raw = raw.replace(from, latin1View(replacements[i + 1]));
        }
        raw = raw.replaceAll("(?im)^(In-Reply-To|References)\\s*:.*\\r?\\n", "");
        String id = "<corpus-" + UUID.randomUUID() + "@test.example>";
        if (raw.matches("(?is).*^Message-I[Dd]\\s*:.*")) {
            raw = raw.replaceFirst("(?im)^Message-I[Dd]\\s*:.*$", "Message-ID: " + id);
        } else {
            raw = "Message-ID: " + id + "\r\n" + raw;
        }
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String append(byte[] raw) throws Exception {
        MailClient.append(raw);
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^Message-ID: (<[^>]+>)").matcher(text);
        assertTrue(m.find());
        return m.group(1);
    }

    private static String send(String fromLine, String subject, String text) throws Exception {
        String id = "<mail-" + UUID.randomUUID() + "@customer.example>";
        String raw = fromLine + "To: support@example.com\r\nSubject: " + subject + "\r\nMessage-ID: " + id
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + text + "\r\n";
        MailClient.append(raw.getBytes(StandardCharsets.UTF_8));
        return id;
    }

    private String verdictOf(String messageId) {
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", messageId) != null);
        return Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", messageId);
    }

    private String ticketOf(String messageId) {
        return Db.string(ds, "SELECT t.number FROM mail_receipt r JOIN ticket t ON t.id = r.ticket_id"
                + " WHERE r.message_id = ?", messageId);
    }

    private long ticketId(String messageId) {
        return Db.count(ds, "SELECT ticket_id FROM mail_receipt WHERE message_id = ?", messageId);
    }

    private String customerOf(String messageId) {
        return Db.string(ds, "SELECT t.customer_email FROM mail_receipt r JOIN ticket t ON t.id = r.ticket_id"
                + " WHERE r.message_id = ?", messageId);
    }

    /**
     * The hub's mails whose To header names this address, read from the raw header (RFC 6532 headers are UTF-8
     * bytes, which the server's parser shows as Latin-1); waits for {@code count} of them (0: none expected).
     */
    private List<MimeMessage> hubMailsTo(String address, int count) throws Exception {
        if (count == 0) {
            Quiet.mailsTo(ds, address.split("\\s+")); // no mail to them still waiting to be sent
            return received(address);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received(address).size() >= count);
        return received(address);
    }

    private static List<MimeMessage> received(String address) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : GreenMailResource.mail().getReceivedMessages()) {
            String to = m.getHeader("To", null);
            if (m.getHeader("X-Support-Hub") == null || to == null) {
                continue;
            }
            if (Arrays.stream(InternetAddress.parseHeader(utf8(to), false))
                    .anyMatch(a -> address.equalsIgnoreCase(a.getAddress()))) {
                out.add(m);
            }
        }
        // GreenMail keeps one copy per recipient: the same mail once
        return out.stream().filter(distinctBy()).toList();
    }

    private static java.util.function.Predicate<MimeMessage> distinctBy() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return m -> {
            try {
                return seen.add(m.getMessageID());
            } catch (Exception e) {
                return true;
            }
        };
    }

    private static String utf8(String latin1View) {
        return new String(latin1View.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static String latin1View(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String unique(String local) {
        return local + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
