package com.esii.support.hub.mail;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.mailkit.LoopGuard;
import com.esii.support.hub.mailkit.MailConfig;
import com.esii.support.hub.mailkit.Suppressions;
import com.esii.support.hub.mailkit.WithheldMail;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The loop caps apply to every automatic mail the hub sends a customer, per address and per ticket. */
@QuarkusTest
class LoopCapTest extends HubTestResources {

    @Inject
    CustomerNotice notices;
    @Inject
    TicketLedger ledger;
    @Inject
    Outbox outbox;
    @Inject
    OutboxRelay relay;
    @Inject
    LoopGuard loops;
    @Inject
    MailConfig config;
    @Inject
    DataSource ds;
    @Inject
    Suppressions suppressions;
    @Inject
    WithheldMail withheldMail;
    @Inject
    MeterRegistry metrics;

    @Test
    void anAutomaticMailsSuppressionAndLoopCapsAreAskedInOneStatement() {
        // issue 29: the suppression and the caps were a statement each, at queueing and again at sending
        AtomicInteger asked = new AtomicInteger();
        DataSource counting = (DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { DataSource.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        asked.incrementAndGet();
                    }
                    return method.invoke(ds, args);
                });
        LoopGuard guard = new LoopGuard(counting, config, metrics, withheldMail);
        OffsetDateTime now = OffsetDateTime.now();
        String email = Samples.unique("gone");
        suppressions.suppress(email, "delivery report: 5.1.1 no such user", now);
        int cap = config.loop().perAddress();
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> {
            List<Long> created = new ArrayList<>();
            for (int i = 0; i <= cap; i++) {
                created.add(outbox.enqueue("test-never", "test:gate-" + email, null, email, Map.of(), now));
            }
            Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE lane = ?", now.plusYears(1), "test:gate-" + email);
            return created;
        });
        OutboxRow last = outbox.find(ids.get(cap)).orElseThrow();
        LoopGuard.Checks checks = guard.checks(last, email);
        assertEquals(0, asked.get(), "asked when first needed");
        assertEquals("delivery report: 5.1.1 no such user", checks.suppression().orElseThrow().reason());
        String why = guard.withheld(checks, null, now).orElseThrow();
        assertTrue(why.contains("automatic mails to " + email), why);
        assertEquals(1, asked.get(), "the suppression and both caps in one statement");
        LoopGuard.Checks first = guard.checks(outbox.find(ids.get(0)).orElseThrow(), email);
        assertTrue(guard.withheld(first, null, now).isEmpty(), "the first mail is within the cap");
        LoopGuard.Queueing queueing = guard.beforeQueueing(email, now);
        assertTrue(queueing.suppression().isPresent());
        assertFalse(queueing.allowed(), cap + 1 + " mails queued to the address");
        LoopGuard.Queueing fresh = guard.beforeQueueing(Samples.unique("fresh"), now);
        assertTrue(fresh.suppression().isEmpty());
        assertTrue(fresh.allowed());
        assertEquals(4, asked.get(), "one statement each");
        QuarkusTransaction.requiringNew().run(() -> Db.update(ds,
                "UPDATE outbox SET status = 'SKIPPED' WHERE lane = ?", "test:gate-" + email));
    }

    @Test
    void noticesToOneAddressStopAtTheCapAndTheTicketSaysWhy() {
        String email = Samples.unique("chatty");
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(email)).when().post("/api/tickets")
                .then().statusCode(201).extract().path("number");
        Mailboxes.await(email, 1); // the acknowledgement: 1 of the mails the address may get in the window
        Ticket t = ledger.findByNumber(number).orElseThrow();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 4; i++) {
                notices.enqueue(t, "agent-reply", "Reply " + i, "Staff", null,
                        "<reply." + i + "." + number + "@example.com>", OffsetDateTime.now());
            }
        });
        relay.wake();
        int cap = config.loop().perAddress();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Db.count(ds,
                "SELECT count(*) FROM ticket_event WHERE ticket_id = ? AND type = 'mail-withheld'", t.id()) == 5 - cap);
        Mailboxes.await(email, cap);
        relay.drain();
        assertEquals(cap, Mailboxes.to(email).size(), "the acknowledgement and the first notices only");
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE id = ? AND flags LIKE '%LOOP_CAPPED%'", t.id()));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM outbox WHERE ticket_id = ? AND status <> 'DONE'", t.id()),
                "withheld mails are done, not retried");
    }

    @Test
    void mailsForOneTicketStopAtTheTicketCapWhateverTheirAddresses() {
        String email = Samples.unique("crowd");
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(email)).when().post("/api/tickets")
                .then().statusCode(201).extract().path("number");
        long ticketId = ledger.findByNumber(number).orElseThrow().id();
        int cap = config.loop().perTicket();
        // rows the relay leaves alone (put off), each to another address of the same ticket
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> {
            List<Long> created = new ArrayList<>();
            for (int i = 0; i <= cap; i++) {
                created.add(outbox.enqueue("test-never", "test:cap-" + number, ticketId,
                        Samples.unique("participant" + i), Map.of(), OffsetDateTime.now()));
            }
            Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE ticket_id = ? AND type = 'test-never'",
                    OffsetDateTime.now().plusYears(1), ticketId);
            return created;
        });
        OutboxRow within = outbox.find(ids.get(cap - 2)).orElseThrow();
        OutboxRow past = outbox.find(ids.get(cap)).orElseThrow();
        assertTrue(loops.withheld(within, "x@customer.example", number, OffsetDateTime.now()).isEmpty(),
                "the acknowledgement and " + (cap - 2) + " more are within the cap of " + cap);
        String why = loops.withheld(past, "y@customer.example", number, OffsetDateTime.now()).orElseThrow();
        assertTrue(why.contains("for the ticket"), why);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_event WHERE ticket_id = ? AND type = 'mail-withheld'",
                ticketId));
        QuarkusTransaction.requiringNew().run(() -> Db.update(ds,
                "UPDATE outbox SET status = 'SKIPPED' WHERE ticket_id = ? AND type = 'test-never'", ticketId));
    }
}
