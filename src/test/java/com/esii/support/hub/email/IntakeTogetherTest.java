package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.cluster.ClusterConfig;
import com.esii.support.hub.cluster.Leases;
import com.esii.support.hub.mailkit.MailConfig;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.GreenMailResource;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.Samples;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A batch of mails taken in one transaction, its rows written together (issue 29), through the production routes on
 * a mailbox of the test's own: one statement per table for the whole batch; a mail seen before is a duplicate
 * there as it is alone; and when anything in the batch fails (a mail's own fault), nothing of it is kept and each
 * mail is taken again alone, with the verdicts a mail alone gets.
 */
@QuarkusTest
class IntakeTogetherTest extends HubTestResources {

    @Inject
    com.esii.support.hub.mailkit.MailLogin login;
    @Inject
    MailConfig config;
    @Inject
    MailStore store;
    @Inject
    Clock clock;
    @Inject
    ClusterConfig cluster;
    @Inject
    DataSource ds;
    @Inject
    CamelContext camel;
    @Inject
    MeterRegistry metrics;

    @Test
    void aBatchOfNewMailsIsWrittenInFewerStatementsThanItHasMails() throws Exception {
        String folder = "Together" + System.nanoTime();
        List<String> customers = new ArrayList<>();
        List<MimeMessage> mails = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String c = Samples.unique("together" + i);
            customers.add(c);
            mails.add(MailClient.message(c, "Printer " + i + " down", "Printer " + i + " prints nothing since 9."));
        }
        Mailbox mailbox = mailbox(folder);
        append(folder, mails);
        try (TestMailbox box = TestMailbox.passesOnly(camel, mailbox)) {
            box.pass();
        }
        assertEquals(1.0, batches(mailbox.name(), "together"), "one batch, written together");
        assertEquals(0.0, batches(mailbox.name(), "again-alone"));
        double statements = metrics.get("hub.mail.batch.statements").tag("mailbox", mailbox.name()).summary().max();
        // a mail alone writes eight rows in eight INSERTs: twenty mails, 160; together, one per table
        assertTrue(statements > 0 && statements < 20, "statements for the batch: " + statements);
        for (int i = 0; i < 20; i++) {
            assertEquals("NEW_TICKET", Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?",
                    mails.get(i).getMessageID()));
            assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", customers.get(i)));
            assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket_message m JOIN ticket t ON t.id = m.ticket_id"
                    + " JOIN mail_receipt r ON r.raw_id = m.raw_id AND r.ticket_id = t.id WHERE t.customer_email = ?",
                    customers.get(i)), "the message, its raw mail and the receipt name each other");
        }
        // each customer acknowledged once, with the number of the ticket opened for them
        for (String c : customers) {
            MimeMessage ack = Mailboxes.await(c, 1).get(0);
            String number = Db.string(ds, "SELECT number FROM ticket WHERE customer_email = ?", c);
            assertTrue(ack.getSubject().contains(number), ack.getSubject());
        }
        Quiet.mailsTo(ds, customers.toArray(String[]::new));
        for (String c : customers) {
            assertEquals(1, Mailboxes.to(c).size(), c);
        }
    }

    @Test
    void aSendersSecondMailReadsWhatItsBatchHeldAndEveryRowStillFollowsTheRowsItNames() throws Exception {
        // the second mail of a sender asks the database what the hub queued to them (its loop cap): the rows held so
        // far are written first; the mail after it then holds its raw content before its message and receipt again
        String folder = "TogetherRead" + System.nanoTime();
        Mailbox mailbox = mailbox(folder);
        String twice = Samples.unique("second");
        String after = Samples.unique("after");
        List<MimeMessage> batch = List.of(MailClient.message(twice, "Router down", "The router is down."),
                MailClient.message(twice, "Switch down too", "Now the switch is down as well."),
                MailClient.message(after, "Phone down", "My desk phone is down."));
        append(folder, batch);
        try (TestMailbox box = TestMailbox.passesOnly(camel, mailbox)) {
            box.pass();
        }
        assertEquals(1.0, batches(mailbox.name(), "together"), "written together");
        assertEquals(0.0, batches(mailbox.name(), "again-alone"));
        assertEquals(2, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", twice));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", after));
        for (MimeMessage m : batch) {
            assertEquals("NEW_TICKET", Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?",
                    m.getMessageID()));
        }
        Mailboxes.await(twice, 2);
        Mailboxes.await(after, 1);
    }

    @Test
    void aMailSeenBeforeOrTwiceInItsBatchIsADuplicateAndTheBatchStillGoesTogether() throws Exception {
        String folder = "TogetherSeen" + System.nanoTime();
        Mailbox mailbox = mailbox(folder);
        String seen = Samples.unique("seen");
        MimeMessage first = MailClient.message(seen, "Scanner down", "The scanner is down.");
        append(folder, List.of(first));
        List<String> fresh = new ArrayList<>();
        try (TestMailbox box = TestMailbox.passesOnly(camel, mailbox)) {
            box.pass();
            assertEquals("NEW_TICKET", Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?",
                    first.getMessageID()));
            // the same mail again (a crash before its flag, a second mailbox), a new one twice, and two others
            String twice = Samples.unique("twice");
            MimeMessage doubled = MailClient.message(twice, "Badge reader", "The badge reader refuses my badge.");
            List<MimeMessage> batch = new ArrayList<>(List.of(first, doubled, doubled));
            for (int i = 0; i < 2; i++) {
                String c = Samples.unique("beside" + i);
                fresh.add(c);
                batch.add(MailClient.message(c, "Label printer " + i, "The label printer jams."));
            }
            fresh.add(twice);
            append(folder, batch);
            box.pass();
            assertEquals(1.0, batches(mailbox.name(), "together"), "the second batch, written together");
            assertEquals(0.0, batches(mailbox.name(), "again-alone"));
            for (MimeMessage m : List.of(first, doubled)) {
                assertEquals(List.of("DUPLICATE", "NEW_TICKET"), Db.strings(ds, "SELECT verdict FROM mail_receipt"
                        + " WHERE message_id = ? ORDER BY verdict", m.getMessageID()));
                assertEquals(1, Db.count(ds, "SELECT count(DISTINCT raw_id) FROM mail_receipt WHERE message_id = ?",
                        m.getMessageID()), "the same bytes kept once");
            }
            assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", seen));
            for (String c : fresh) {
                assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", c), c);
            }
        }
        for (String c : fresh) {
            Mailboxes.await(c, 1);
        }
        Quiet.mailsTo(ds, fresh.toArray(String[]::new));
        for (String c : fresh) {
            assertEquals(1, Mailboxes.to(c).size(), c);
        }
        assertEquals(1, Mailboxes.to(seen).size(), "the mail seen before is not acknowledged again");
    }

    @Test
    void aBatchWithAMailsOwnFaultIsTakenAgainMailByMailAndNothingOfItsFirstTryIsKept() throws Exception {
        String folder = "TogetherAgain" + System.nanoTime();
        Mailbox mailbox = mailbox(folder);
        List<String> fresh = new ArrayList<>();
        List<MimeMessage> batch = new ArrayList<>();
        String poisoned = Samples.unique("poisoned");
        try (TestMailbox box = TestMailbox.passesOnly(camel, mailbox)) {
            for (int i = 0; i < 3; i++) {
                String c = Samples.unique("again" + i);
                fresh.add(c);
                batch.add(MailClient.message(c, "Badge reader " + i, "The badge reader refuses every badge."));
            }
            // fails when its verdict is recorded, the last step of its intake, after its ticket was opened
            MimeMessage poison = MailClient.message(poisoned, "Crash " + PoisonableMailStore.POISON, "x");
            batch.add(1, poison);
            append(folder, batch);
            box.pass();
            assertEquals(1.0, batches(mailbox.name(), "again-alone"), "the batch was taken again mail by mail");
            assertEquals(0.0, batches(mailbox.name(), "together"));
            assertEquals("ERROR", Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?",
                    poison.getMessageID()));
            assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", poisoned),
                    "nothing of the batch's first try is kept");
            for (String c : fresh) {
                assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", c), c);
                assertEquals(1, Db.count(ds, "SELECT count(*) FROM mail_receipt r JOIN ticket t ON t.id = r.ticket_id"
                        + " WHERE t.customer_email = ?", c), c);
            }
        }
        for (String c : fresh) {
            Mailboxes.await(c, 1);
        }
        Quiet.mailsTo(ds, fresh.toArray(String[]::new));
        for (String c : fresh) {
            assertEquals(1, Mailboxes.to(c).size(), c);
        }
    }

    private double batches(String mailbox, String taken) {
        io.micrometer.core.instrument.Counter c = metrics.find("hub.mail.batches").tag("mailbox", mailbox)
                .tag("taken", taken).counter();
        return c == null ? 0.0 : c.count();
    }

    /** This replica's mail settings, reading a folder of the test's own from its first mail on. */
    private Mailbox mailbox(String folder) {
        return new Mailbox(MailboxStartPointTest.with(config, Map.of("folder", folder, "start", "all")), store, clock,
                new Leases(ds, cluster, clock, "together-replica"), login);
    }

    /** The mails put in the folder over one connection, in this order, each as its bytes were first written. */
    private final Map<MimeMessage, byte[]> written = new java.util.IdentityHashMap<>();

    private void append(String folder, List<MimeMessage> mails) throws Exception {
        Session session = Session.getInstance(new java.util.Properties());
        List<Message> raw = new ArrayList<>();
        for (MimeMessage m : mails) {
            byte[] bytes = written.computeIfAbsent(m, x -> {
                try {
                    x.saveChanges();
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                    x.writeTo(out);
                    return out.toByteArray();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            raw.add(new MimeMessage(session, new java.io.ByteArrayInputStream(bytes)));
        }
        try (Store s = session.getStore("imap")) {
            s.connect("127.0.0.1", GreenMailResource.mail().getImap().getPort(), GreenMailResource.SUPPORT,
                    GreenMailResource.SUPPORT);
            Folder f = s.getFolder(folder);
            if (!f.exists()) {
                f.create(Folder.HOLDS_MESSAGES);
            }
            f.appendMessages(raw.toArray(Message[]::new));
        }
    }
}
