package com.esii.support.hub.email;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.cluster.ClusterConfig;
import com.esii.support.hub.mailkit.MailConfig;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.GreenMailResource;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class EmailResilienceTest extends HubTestResources {

    @Inject
    com.esii.support.hub.mailkit.MailLogin login;
    @Inject
    DataSource ds;
    @Inject
    CamelContext camel;
    @Inject
    ProducerTemplate producer;
    @Inject
    MailStore store;
    @Inject
    MailboxWatch hubWatch;
    @Inject
    MailConfig config;
    @Inject
    Clock clock;
    @Inject
    ClusterConfig cluster;

    @Test
    void withTheMailServerDownTheHubKeepsWorkingAndRecoversByItself() throws Exception {
        GreenMailResource.stopServer();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> given().when().get("/q/health/group/mail").then().statusCode(503));
            // Only the mail channel is down: the replica stays ready and the web API works.
            given().when().get("/q/health/ready").then().statusCode(200);
            given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("while-down")))
                    .when().post("/api/tickets").then().statusCode(201);
        } finally {
            GreenMailResource.restart();
        }
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> given().when().get("/q/health/group/mail").then().statusCode(200));
        String customer = Samples.unique("after-restart");
        MimeMessage m = MailClient.send(MailClient.message(customer, "Back", "Is it working again? It is not."));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> "NEW_TICKET".equals(
                Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", m.getMessageID())));
        Mailboxes.await(customer, 1);
    }

    @Test
    void aProcessKilledBetweenTheCommitAndTheFlagOpensNoSecondTicket() throws Exception {
        String customer = Samples.unique("killed");
        MimeMessage m = MailClient.message(customer, "Crash", "The process dies after committing this mail.");
        m.saveChanges();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        m.writeTo(raw);
        // The first process committed the mail's ticket, then died before flagging it on the server...
        producer.requestBody(MailIntake.INTAKE, new IncomingMail(raw.toByteArray(), "support@example.com@127.0.0.1/INBOX",
                null));
        // ...so on restart the mail is still unseen in the mailbox.
        MailClient.append(raw.toByteArray());
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Db.count(ds,
                "SELECT count(*) FROM mail_receipt WHERE message_id = ?", m.getMessageID()) == 2);
        assertEquals("DUPLICATE", Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?"
                + " ORDER BY id DESC LIMIT 1", m.getMessageID()));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", customer));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> MailClient.seen(m.getMessageID()));
        Mailboxes.await(customer, 1);
        Quiet.outbox(ds, Db.string(ds, "SELECT number FROM ticket WHERE customer_email = ?", customer));
        assertEquals(1, Mailboxes.to(customer).size());
    }

    @Test
    void twoPollersOnOneMailboxAndOneDatabaseOpenEachTicketOnce() throws Exception {
        // A second replica's reader, beside this one's, on the same mailbox and database.
        Mailbox other = new Mailbox(config, store, clock,
                new com.esii.support.hub.cluster.Leases(ds, cluster, clock, "another-replica"), login);
        // it makes pass after pass through the mailbox-receive route, leader or not, as the support mailbox's does
        TestMailbox otherBox = TestMailbox.passesOnly(camel, other);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> loop = pool.submit(() -> {
            while (running.get()) {
                otherBox.pass();
            }
        });
        List<String> customers = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                String c = Samples.unique("replicas");
                customers.add(c);
                ids.add(MailClient.send(MailClient.message(c, "Two replicas " + i, "Nothing works, please help."))
                        .getMessageID());
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> customers.stream()
                    .allMatch(c -> Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", c) >= 1));
            // every mail flagged on the server: neither poller will take one again
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> allSeen(ids));
        } finally {
            running.set(false);
            loop.get(); // the other poller's pass in flight ends
            pool.shutdown();
            otherBox.close();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(hubWatch::isIdling); // and this replica's
        for (String c : customers) {
            assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", c), c);
            Mailboxes.await(c, 1);
        }
        Quiet.outbox(ds);
        for (String c : customers) {
            assertEquals(1, Mailboxes.to(c).size(), c);
        }
    }

    private static boolean allSeen(List<String> messageIds) throws Exception {
        for (String id : messageIds) {
            if (!MailClient.seen(id)) {
                return false;
            }
        }
        return true;
    }
}
