package com.esii.support.hub.email;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The spool of mail over {@code hub.mail.max-size} (on its way to the raw store) cannot be written: a full disk. Run
 * as root (as here), the spool directory becomes a 16 KB tmpfs, a real "No space left on device", and space comes
 * back by remounting it larger; otherwise the directory is made read-only as a stand-in (a write failure all the
 * same), and writable again.
 */
@QuarkusTest
class MailSpoolFullTest extends HubTestResources {

    private static final Path SPOOL = TestSettings.SPOOL_DIRECTORY;
    private static final Pattern FAILURES = Pattern.compile("(?m)^hub_mail_spool_failures_total(?:\\{[^}]*\\})? ([0-9.E]+)");

    @Inject
    DataSource ds;
    @Inject
    MailboxWatch watch;

    @Test
    void aFullSpoolLeavesTheMailInTheMailboxSaysSoOnceAndRecoversByItself() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(watch::isIdling);
        Files.createDirectories(SPOOL);
        boolean tmpfs = run("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", SPOOL.toString());
        if (!tmpfs) {
            Files.setPosixFilePermissions(SPOOL, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        double before = failures();
        String bigCustomer = Samples.unique("spool-full");
        String smallCustomer = Samples.unique("spool-full-small");
        try {
            fillAndEmpty(tmpfs, before, bigCustomer, smallCustomer);
        } finally {
            if (tmpfs) {
                run("umount", SPOOL.toString());
            }
        }
    }

    private void fillAndEmpty(boolean tmpfs, double before, String bigCustomer, String smallCustomer)
            throws Exception {
        MimeMessage big;
        MimeMessage small;
        try {
            big = MailClient.send(MailClient.message(bigCustomer, "Huge logs", "x".repeat(3 * 1024 * 1024)));
            small = MailClient.send(MailClient.message(smallCustomer, "Small", "A short mail behind a large one."));
            // the channel says why, with the directory and the system's words
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when()
                    .get("/q/health/group/mail").then().statusCode(503)
                    .body(containsString("hub.mail.max-size"))
                    .body(containsString(SPOOL.toString()))
                    .body(containsString(tmpfs ? "No space left on device" : "AccessDenied")));
            // the mail behind it is not held up
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds,
                    "SELECT count(*) FROM ticket WHERE customer_email = ?", smallCustomer) == 1);
            // tried again, counted each time, logged once
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> failures() >= before + 2);
            assertEquals(1, logLines(SPOOL + ": ", "such mail stays in the mailbox"));
            // meanwhile the large mail waits, unseen, in the mailbox, with no verdict
            assertFalse(MailClient.seen(big.getMessageID()));
            assertNull(Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", big.getMessageID()));
        } finally {
            if (tmpfs) {
                run("mount", "-o", "remount,size=64m", SPOOL.toString());
            } else {
                Files.setPosixFilePermissions(SPOOL, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        // space is back: the mail is read by itself, once, and the channel is well again
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "TOO_LARGE".equals(Db.string(ds,
                "SELECT verdict FROM mail_receipt WHERE message_id = ?", big.getMessageID())));
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().when().get("/q/health/group/mail").then().statusCode(200));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> MailClient.seen(big.getMessageID()));
        Mailboxes.await(bigCustomer, 1);
        Mailboxes.await(smallCustomer, 1);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM mail_receipt WHERE message_id = ?",
                big.getMessageID()));
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM mail_receipt WHERE message_id = ?",
                small.getMessageID()));
        assertEquals(1, logLines(SPOOL + ": ", "such mail stays in the mailbox"));
    }

    private static double failures() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = FAILURES.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** The lines of the test run's log that contain every one of {@code texts}. */
    private static long logLines(String... texts) throws Exception {
        try (var lines = Files.lines(Path.of("target/quarkus.log"))) {
            return lines.filter(l -> java.util.Arrays.stream(texts).allMatch(l::contains)).count();
        }
    }

    /** Runs a command; whether it succeeded. */
    private static boolean run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
