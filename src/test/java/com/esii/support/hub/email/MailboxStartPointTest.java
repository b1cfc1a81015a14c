package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
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
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;

/** The first start on a mailbox that holds old mail does not answer the history (hub.mail.imap.start=new). */
@QuarkusTest
class MailboxStartPointTest extends HubTestResources {

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

    @Test
    void theMailAlreadyThereOnTheFirstStartIsHistory() throws Exception {
        String folder = "Archive" + System.nanoTime();
        String old = Samples.unique("history");
        String fresh = Samples.unique("fresh");
        append(folder, MailClient.message(old, "Old question", "From last year, long solved."));
        append(folder, MailClient.message(old, "Older question", "Also solved."));
        // This replica's settings, but reading that folder and starting at "new".
        Mailbox archive = new Mailbox(with(config, Map.of("folder", folder, "start", "new")), store, clock,
                new Leases(ds, cluster, clock, "another-replica"), login);
        String mailbox = archive.name();
        try (TestMailbox box = TestMailbox.passesOnly(camel, archive)) {
            box.pass();
            assertEquals(0, Db.count(ds, "SELECT count(*) FROM mail_receipt WHERE mailbox = ?", mailbox));
            assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", old));

            append(folder, MailClient.message(fresh, "New problem", "It broke today."));
            box.pass();
            assertEquals(1, Db.count(ds, "SELECT count(*) FROM mail_receipt WHERE mailbox = ?", mailbox));
            assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", fresh));
            assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", old));
        }
        // A restart keeps the start point: the history stays unanswered.
        Mailbox restarted = new Mailbox(with(config, Map.of("folder", folder, "start", "new")), store, clock,
                new Leases(ds, cluster, clock, "another-replica"), login);
        try (TestMailbox box = TestMailbox.passesOnly(camel, restarted)) {
            box.pass();
        }
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM mail_receipt WHERE mailbox = ?", mailbox));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", old));
    }

    private static void append(String folder, MimeMessage m) throws Exception {
        m.saveChanges();
        try (Store store = Session.getInstance(new java.util.Properties()).getStore("imap")) {
            store.connect("127.0.0.1", GreenMailResource.mail().getImap().getPort(), GreenMailResource.SUPPORT,
                    GreenMailResource.SUPPORT);
            Folder f = store.getFolder(folder);
            if (!f.exists()) {
                f.create(Folder.HOLDS_MESSAGES);
            }
            f.appendMessages(new Message[] { m });
        }
    }

    /** The real settings, with some hub.mail.imap.* values replaced. */
    static MailConfig with(MailConfig real, Map<String, Object> imap) {
        MailConfig.Imap imapProxy = proxy(MailConfig.Imap.class, real.imap(), imap);
        return proxy(MailConfig.class, real, Map.of("imap", imapProxy));
    }

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, T real, Map<String, Object> overrides) {
        InvocationHandler h = (p, method, args) -> {
            if (overrides.containsKey(method.getName())) {
                return overrides.get(method.getName());
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, h);
    }
}
