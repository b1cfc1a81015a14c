package com.esii.support.hub.testing;

import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real SMTP and IMAP server (GreenMail) on free ports. Every address receives mail; a mailbox is read with
 * login and password both equal to its address.
 */
public class GreenMailResource implements QuarkusTestResourceLifecycleManager {

    private static GreenMail greenMail;
    private static ServerSetup[] setups;

    public static synchronized GreenMail mail() {
        return greenMail;
    }

    /** Stops the SMTP and IMAP servers (the ports stay reserved for {@link #restart()}). */
    public static synchronized void stopServer() {
        greenMail.stop();
    }

    /** Starts the servers again on the same ports, with empty mailboxes. */
    public static synchronized void restart() {
        greenMail = new GreenMail(setups);
        greenMail.start();
        greenMail.setUser(SUPPORT, SUPPORT, SUPPORT);
    }

    /** The support mailbox the hub reads. */
    public static final String SUPPORT = "support@example.com";

    @Override
    public Map<String, String> start() {
        int smtp = FreePorts.next();
        int imap = FreePorts.next();
        setups = new ServerSetup[] {
                new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imap, "127.0.0.1", ServerSetup.PROTOCOL_IMAP) };
        greenMail = new GreenMail(setups);
        greenMail.start();
        greenMail.setUser(SUPPORT, SUPPORT, SUPPORT);
        return Map.ofEntries(
                Map.entry("hub.mail.smtp.host", "127.0.0.1"),
                Map.entry("hub.mail.smtp.port", String.valueOf(smtp)),
                Map.entry("hub.mail.smtp.timeout", "3s"),
                Map.entry("hub.mail.imap.enabled", "true"),
                Map.entry("hub.mail.imap.host", "127.0.0.1"),
                Map.entry("hub.mail.imap.port", String.valueOf(imap)),
                Map.entry("hub.mail.imap.ssl", "false"),
                Map.entry("hub.mail.imap.username", SUPPORT),
                Map.entry("hub.mail.imap.password", SUPPORT),
                // Only IMAP IDLE brings mail in the tests (MailboxIdleTest): the poll and the re-sync would come after them.
                Map.entry("hub.mail.imap.poll-interval-ms", "3600000"),
                Map.entry("hub.mail.imap.resync-interval", "1h"),
                Map.entry("hub.mail.imap.start", "all"),
                Map.entry("hub.mail.imap.timeout", "3s"));
    }

    @Override
    public void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }
}
