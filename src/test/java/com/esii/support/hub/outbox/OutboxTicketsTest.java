package com.esii.support.hub.outbox;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.erp.ErpRecordSender;
import com.esii.support.hub.erp.ErpRecords;
import com.esii.support.hub.jira.JiraOutbox;
import com.esii.support.hub.jira.JsmComments;
import com.esii.support.hub.jira.JsmRequests;
import com.esii.support.hub.mail.AcknowledgementMail;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The relay reads the tickets of the rows a look claimed in one statement and hands each row its ticket (issue
 * 29: the acknowledgement, the JSM request, its note and the ERP record each read it again); the handlers use it
 * and read their ticket themselves only when their row came without it.
 */
@QuarkusTest
class OutboxTicketsTest extends HubTestResources {

    @Inject
    Outbox outbox;
    @Inject
    OutboxRelay relay;
    @Inject
    DataSource ds;
    @Inject
    TicketLedger ledger;
    @Inject
    ObjectMapper json;
    @Inject
    AcknowledgementMail acks;
    @Inject
    JsmRequests requests;
    @Inject
    JsmComments comments;
    @Inject
    ErpRecordSender records;

    /**
     * Each claimed row comes with its ticket as it is once the rows before it in its lane are done: the second row
     * sees what the first one changed (as a note sees the key its JSM request recorded); a row without a ticket
     * comes without.
     */
    @Test
    void eachClaimedRowComesWithItsTicketAsTheRowsBeforeItInItsLaneLeftIt() {
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("carried")))
                .when().post("/api/tickets").then().statusCode(201).extract().path("number");
        long ticketId = Db.count(ds, "SELECT id FROM ticket WHERE number = ?", number);
        String lane = "test:read-" + number;
        String copied = Samples.unique("copied");
        String later = Samples.unique("later");
        Db.update(ds, "INSERT INTO ticket_participant (ticket_id, address, source, added_at) VALUES (?, ?, 'mail', ?)",
                ticketId, copied, OffsetDateTime.now());
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> {
            long first = outbox.enqueue(TestHandlers.Reading.TYPE, lane, ticketId, Map.of("n", 1), OffsetDateTime.now());
            long second = outbox.enqueue(TestHandlers.Reading.TYPE, lane, ticketId, Map.of("n", 2),
                    OffsetDateTime.now());
            long none = outbox.enqueue(TestHandlers.Reading.TYPE, lane + "-none", null, Map.of("n", 3),
                    OffsetDateTime.now());
            // the first row's effect changes the ticket (registered before the rows can be claimed: uncommitted)
            TestHandlers.Reading.CHANGE.put(first, () -> {
                Db.update(ds, "UPDATE ticket SET subject = ? WHERE id = ?", "changed by the row before", ticketId);
                Db.update(ds, "INSERT INTO ticket_participant (ticket_id, address, source, added_at)"
                        + " VALUES (?, ?, 'jira', ?)", ticketId, later, OffsetDateTime.now().plusSeconds(1));
            });
            return List.of(first, second, none);
        });
        relay.wake();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds,
                "SELECT count(*) FROM outbox WHERE id = ANY(?) AND status = 'DONE'", (Object) ids.toArray(Long[]::new)) == 3);

        Ticket first = TestHandlers.Reading.CARRIED.get(ids.get(0));
        Ticket second = TestHandlers.Reading.CARRIED.get(ids.get(1));
        assertEquals(number, first.number());
        assertEquals("The tracker stopped", first.subject());
        assertEquals("changed by the row before", second.subject(),
                "read once the row before it in its lane was done, not earlier");
        assertEquals(List.of(copied), List.copyOf(TestHandlers.Reading.PARTICIPANTS.get(ids.get(0))),
                "the ticket's participants come with it");
        assertEquals(List.of(copied, later), List.copyOf(TestHandlers.Reading.PARTICIPANTS.get(ids.get(1))));
        assertTrue(TestHandlers.Reading.WITHOUT.contains(ids.get(2)));
        assertNull(TestHandlers.Reading.CARRIED.get(ids.get(2)));
    }

    /**
     * The acknowledgement, the JSM request, its note and the ERP record use the ticket their row came with: here one
     * the database does not hold (another number), which they could not have read themselves; a row without a
     * ticket, or with another ticket than its payload names, is read as before (and here not found: dead).
     */
    @Test
    void theHandlersUseTheTicketTheirRowCameWithElseReadTheirOwn() throws Exception {
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("handlers")))
                .when().post("/api/tickets").then().statusCode(201).extract().path("number");
        // the hub's own rows of the ticket done first: its JSM request remembers the customer's account, which the
        // test writes below (the two inserts racing failed a .ci/run on the table's key)
        com.esii.support.hub.testing.Quiet.outbox(ds, number);
        Ticket real = ledger.findByNumber(number).orElseThrow();
        String elsewhere = "SUP-2099-" + String.format("%06d", real.id() % 1_000_000);
        Ticket carried = copy(real, elsewhere, "ELSE-1", real.triage());

        String ack = json.writeValueAsString(new AcknowledgementMail.Payload(elsewhere, null, "<a@hub>", null));
        acks.load(row(AcknowledgementMail.TYPE, carried, ack));
        assertThrows(PermanentFailure.class, () -> acks.load(row(AcknowledgementMail.TYPE, null, ack)));
        assertThrows(PermanentFailure.class, () -> acks.load(row(AcknowledgementMail.TYPE, real, ack)),
                "a ticket that is not the payload's is not used");

        String create = json.writeValueAsString(new JiraOutbox.Create(elsewhere, false));
        assertSame(carried, requests.load(row(JiraOutbox.CREATE, carried, create)).ticket());
        assertThrows(PermanentFailure.class, () -> requests.load(row(JiraOutbox.CREATE, null, create)));
        // the request's participants: as the row came with them (here none), else read (the colleague the database
        // holds); every account known already, so that JSM is not asked
        String colleague = Samples.unique("colleague");
        Db.update(ds, "INSERT INTO ticket_participant (ticket_id, address, source, added_at) VALUES (?, ?, 'mail', ?)",
                real.id(), colleague, OffsetDateTime.now());
        Db.update(ds, "INSERT INTO jira_customer (email, account_id) SELECT ?, 'acct-customer' WHERE NOT EXISTS"
                + " (SELECT 1 FROM jira_customer WHERE email = ?)", real.customerEmail(), real.customerEmail());
        Db.update(ds, "INSERT INTO jira_customer (email, account_id) VALUES (?, 'acct-colleague')", colleague);
        String ownCreate = json.writeValueAsString(new JiraOutbox.Create(number, false));
        JsmRequests.Creation withNone = requests.load(row(JiraOutbox.CREATE, real, Set.of(), ownCreate));
        requests.onBehalfOf(withNone);
        assertEquals(List.of(), withNone.participants(), "the participants the row came with");
        JsmRequests.Creation read = requests.load(row(JiraOutbox.CREATE, null, ownCreate));
        requests.onBehalfOf(read);
        assertEquals(List.of("acct-colleague"), read.participants(), "read when the row came without them");

        String note = json.writeValueAsString(new JiraOutbox.Comment(elsewhere, "triage", false, null));
        comments.load(row(JiraOutbox.COMMENT, carried, note));
        assertThrows(PermanentFailure.class, () -> comments.load(row(JiraOutbox.COMMENT, null, note)));

        // the ERP record names its ticket by id: the one carried says the contract is still unknown, the
        // database's (set here) that it is known
        Db.update(ds, "UPDATE ticket SET contract = 'maintained' WHERE id = ?", real.id());
        Ticket.Triage unknown = new Ticket.Triage(Ticket.UNKNOWN, null, null, null, null, null, null, null, null, null);
        String record = json.writeValueAsString(new ErpRecords.Payload(null, number + "/opened/1"));
        ErpRecordSender.Sending waiting = records.load(row(ErpRecords.TYPE, copy(real, number, null, unknown), record));
        assertThrows(TargetUnavailable.class, () -> records.requireContract(waiting),
                "the record waits for the contract, as the ticket it came with says");
        records.requireContract(records.load(row(ErpRecords.TYPE, null, record)));
    }

    private static OutboxRow row(String type, Ticket t, String payload) {
        return row(type, t, t == null ? null : Set.of(), payload);
    }

    private static OutboxRow row(String type, Ticket t, Set<String> participants, String payload) {
        OffsetDateTime now = OffsetDateTime.now();
        return new OutboxRow(1L, type, "test:handlers", t == null ? null : t.id(), payload, OutboxStatus.PENDING, 1,
                now, null, now, null, 1, t, participants);
    }

    private static Ticket copy(Ticket r, String number, String jsmKey, Ticket.Triage triage) {
        return new Ticket(r.id(), number, r.channel(), r.customerName(), r.customerEmail(), r.customerCompany(),
                r.accessCode(), r.product(), r.language(), r.subject(), r.description(), r.kind(), r.criticality(),
                r.status(), r.accessTokenHash(), jsmKey, r.createdAt(), r.updatedAt(), triage, r.sla());
    }
}
