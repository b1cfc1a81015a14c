package com.esii.support.hub.email;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.mailkit.LoopGuard;
import com.esii.support.hub.mailkit.MailConfig;
import com.esii.support.hub.mailkit.Suppressions;
import com.esii.support.hub.mailkit.WithheldMail;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.TicketLedger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * What the hub knows of a batch's senders is asked once for the batch, before the mails' transactions (issue 29),
 * and answers only each sender's first mail: the later ones see what the first opened and queued.
 */
@QuarkusTest
class SenderLookAheadTest extends HubTestResources {

    @Inject
    DataSource ds;
    @Inject
    MailConfig config;
    @Inject
    MeterRegistry metrics;
    @Inject
    WithheldMail withheld;
    @Inject
    Suppressions suppressions;

    @Test
    void aBatchsSendersAreAskedInTwoStatementsAndOnlyTheirFirstMailKeepsTheAnswers() {
        String known = Samples.unique("known");
        String gone = Samples.unique("gone");
        String fresh = Samples.unique("fresh");
        given().contentType(ContentType.JSON).body(Samples.ticket(known)).when().post("/api/tickets").then()
                .statusCode(201);
        Db.update(ds, "UPDATE ticket SET language = 'es' WHERE customer_email = ?", known);
        suppressions.suppress(gone, "delivery report: 5.1.1 no such user", OffsetDateTime.now());
        AtomicInteger asked = new AtomicInteger();
        DataSource counting = (DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { DataSource.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        asked.incrementAndGet();
                    }
                    return method.invoke(ds, args);
                });
        SenderLookAhead lookAhead = new SenderLookAhead(new LoopGuard(counting, config, metrics, withheld),
                new TicketLedger(counting), Clock.systemUTC());
        List<MailboxFetch.FetchedMail> batch = new ArrayList<>();
        for (String from : List.of(known, gone, "Fresh Customer <" + fresh + ">", known)) {
            batch.add(new MailboxFetch.FetchedMail(null, raw(from, "Hello", "<" + batch.size() + "." + fresh + ">"),
                    null));
        }

        lookAhead.senders(batch);

        assertEquals(2, asked.get(), "the batch's senders in one statement for the caps and one for the languages");
        SenderLookAhead.Sender first = batch.get(0).known();
        assertEquals(known, first.address());
        assertEquals(Optional.of(Language.ES), first.lastLanguage());
        assertTrue(first.queueing().allowed());
        assertTrue(first.queueing().suppression().isEmpty());
        assertEquals("delivery report: 5.1.1 no such user",
                batch.get(1).known().queueing().suppression().orElseThrow().reason());
        assertEquals(fresh, batch.get(2).known().address());
        assertEquals(Optional.empty(), batch.get(2).known().lastLanguage());
        assertNull(batch.get(3).known(), "a sender's later mail asks in its own transaction");
    }

    @Test
    void aSendersMailsFetchedTogetherAreCappedInOrder() throws Exception {
        // The first mail's answers come from the look-ahead; the others must count the acknowledgements queued by
        // the mails before them (the per-address cap: 3 in the tests' window).
        String customer = Samples.unique("burst");
        given().contentType(ContentType.JSON).body(Samples.ticket(customer)).when().post("/api/tickets").then()
                .statusCode(201);
        Db.update(ds, "UPDATE ticket SET language = 'es' WHERE customer_email = ?", customer);
        List<byte[]> raws = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = "<burst-" + i + "-" + System.nanoTime() + "@customer.example>";
            ids.add(id);
            raws.add(raw(customer, "Problem number " + i + ": the printer does not print", id));
        }
        MailClient.appendAll(raws);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Db.count(ds,
                "SELECT count(*) FROM mail_receipt WHERE sender = ?", customer) == 4);
        List<String> verdicts = new ArrayList<>();
        for (String id : ids) {
            verdicts.add(Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", id));
        }
        assertEquals(List.of("NEW_TICKET", "NEW_TICKET", "LOOP_CAPPED", "LOOP_CAPPED"), verdicts,
                "the web ticket's acknowledgement and two more reach the cap of " + config.loop().perAddress());
        assertEquals(5, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ? AND language = 'es'",
                customer), "each new ticket in the language of the customer's earlier ones");
    }

    private static byte[] raw(String from, String subject, String messageId) {
        return ("From: " + from + "\r\nTo: support@example.com\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId
                + "\r\nDate: Fri, 04 Dec 2026 10:00:00 +0100\r\n\r\nThe printer stopped printing this morning.\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
