package com.esii.support.hub.mail;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * An acknowledgement is kept on its ticket with its Message-ID as soon as the mail server accepted it, so it is
 * marked done with the relay's other rows (issue 29): a replica killed between that record and the mark leaves a row
 * that another claim finds sent, and does not send again. Killed before the record, the mail is sent again, with
 * the same Message-ID (no mail server takes part in the database's transaction).
 */
@QuarkusTest
class AcknowledgementResendTest extends HubTestResources {

    @Inject
    DataSource ds;
    @Inject
    OutboxRelay relay;
    @Inject
    com.esii.support.hub.mailkit.Suppressions suppressions;

    @Test
    void anAcknowledgementKeptOnItsTicketIsNotSentAgainByTheNextClaim() throws Exception {
        String customer = Samples.unique("resend");
        MimeMessage ack = open(customer);
        // as a replica killed after the record, before the mark: the row pending again, claimed once already
        claimedOnceAndLeft(customer);
        relay.wake();
        awaitDone(customer);
        assertEquals(2L, Db.count(ds, "SELECT max(o.claims) FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                + " WHERE t.customer_email = ? AND o.type = 'mail-ack'", customer), "claimed again");
        Thread.sleep(500); // a resend would have reached the mailbox by now: the relay marked the row after sending
        assertEquals(List.of(ack.getMessageID()), Mailboxes.to(customer).stream().map(AcknowledgementResendTest::id)
                .toList(), "sent once");
    }

    @Test
    void anAcknowledgementNotKeptYetIsSentAgainWithItsMessageId() throws Exception {
        String customer = Samples.unique("resent");
        MimeMessage ack = open(customer);
        // as a replica killed after the server accepted the mail, before its record
        Db.update(ds, "DELETE FROM ticket_message WHERE direction = 'OUT' AND message_id = ?", ack.getMessageID());
        claimedOnceAndLeft(customer);
        relay.wake();
        List<MimeMessage> both = Mailboxes.await(customer, 2);
        assertEquals(List.of(ack.getMessageID(), ack.getMessageID()), both.stream().map(AcknowledgementResendTest::id)
                .toList(), "the same mail, shown once by the customer's mail client");
        awaitDone(customer);
    }

    @Test
    void aSuppressedAcknowledgementIsWrittenInTheHistoryOnceAcrossASecondClaim() {
        String customer = Samples.unique("gone");
        suppressions.suppress(customer, "delivery report: 5.1.1 no such user", OffsetDateTime.now());
        given().contentType(ContentType.JSON).body(Samples.ticket(customer)).when().post("/api/tickets").then()
                .statusCode(201);
        awaitDone(customer);
        String withheld = "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                + " WHERE t.customer_email = ? AND e.type = 'mail-withheld'";
        assertEquals(1, Db.count(ds, withheld, customer));
        // as a replica killed after writing the note, before the mark
        claimedOnceAndLeft(customer);
        relay.wake();
        awaitDone(customer);
        assertEquals(1, Db.count(ds, withheld, customer), "the note written once");
        assertEquals(0, Mailboxes.to(customer).size());
    }

    private MimeMessage open(String customer) {
        given().contentType(ContentType.JSON).body(Samples.ticket(customer)).when().post("/api/tickets").then()
                .statusCode(201);
        MimeMessage ack = Mailboxes.await(customer, 1).get(0);
        awaitDone(customer);
        return ack;
    }

    private void claimedOnceAndLeft(String customer) {
        assertEquals(1, Db.update(ds, "UPDATE outbox SET status = 'PENDING', done_at = NULL, claimed_by = NULL,"
                + " claimed_until = NULL, next_attempt_at = CURRENT_TIMESTAMP, attempts = 1, claims = 1"
                + " WHERE type = 'mail-ack' AND ticket_id = (SELECT id FROM ticket WHERE customer_email = ?)", customer));
    }

    private void awaitDone(String customer) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Db.count(ds, "SELECT count(*) FROM outbox o"
                + " JOIN ticket t ON t.id = o.ticket_id WHERE t.customer_email = ? AND o.type = 'mail-ack'"
                + " AND o.status = 'DONE'", customer) == 1);
    }

    private static String id(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
