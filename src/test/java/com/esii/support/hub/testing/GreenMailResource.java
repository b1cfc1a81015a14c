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
    }

    @Override
    public Map<String, String> start() {
        int smtp = FreePorts.next();
        int imap = FreePorts.next();
        setups = new ServerSetup[] {
                new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imap, "127.0.0.1", ServerSetup.PROTOCOL_IMAP) };
        greenMail = new GreenMail(setups);
        greenMail.start();
        return Map.of(
                "hub.mail.smtp.host", "127.0.0.1",
                "hub.mail.smtp.port", String.valueOf(smtp),
                "hub.mail.smtp.timeout", "3s");
    }

    @Override
    public void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }
}
