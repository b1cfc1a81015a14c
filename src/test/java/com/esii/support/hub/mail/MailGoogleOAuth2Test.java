package com.esii.support.hub.mail;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.oncall.MovableClock;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.sim.MailOAuth2Profile;
import com.esii.support.hub.testing.sim.MailOAuth2Resource;
import com.esii.support.hub.testing.sim.Simulator;
import com.esii.support.hub.testing.sim.SimulatorResource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The support mailbox as Google Workspace serves it: IMAP and SMTP take only XOAUTH2 with a token for that mailbox,
 * obtained by a service account with domain-wide delegation (the simulator checks the JWT's RS256 signature against
 * the account's public key, its claims and the delegated scope). The SMTP login is the IMAP username (none is set).
 */
@org.junit.jupiter.api.Tag("app") // a running hub: the full suite, not the quick lane (-Pquick)
@QuarkusTest
@TestProfile(MailOAuth2Profile.Google.class)
class MailGoogleOAuth2Test {

    @Inject
    DataSource ds;
    @Inject
    MovableClock clock;

    Simulator sim = SimulatorResource.simulator();

    @BeforeEach
    void clean() {
        Awaitility.doNotCatchUncaughtExceptionsByDefault(); // GreenMail's threads throw at a cut session
        MailOAuth2Resource.REFUSED_LOGINS.clear();
    }

    @AfterEach
    void reset() {
        Awaitility.reset();
    }

    @Test
    void aServiceAccountReadsAndAnswersTheMailboxThroughRenewalsAndARotatedKey() throws Exception {
        long issued = sim.tokensIssued("google");
        int logins = MailOAuth2Resource.MAILBOX_LOGINS.size();
        String first = answered("Imprimante en panne");

        // the session ends after its token expired: a new token, signed with the same key
        cutOnceTheTokenExpired();
        String second = answered("Scanner en panne");

        // the key is rotated (the old one deleted at Google, the new one mounted): the next token is signed with it
        MailOAuth2Resource.rotateGoogleKey();
        cutOnceTheTokenExpired();
        String third = answered("Écran noir");

        for (String customer : List.of(first, second, third)) {
            assertEquals(1, Mailboxes.to(customer).size(), customer);
        }
        List<String> used = MailOAuth2Resource.MAILBOX_LOGINS.subList(logins, MailOAuth2Resource.MAILBOX_LOGINS.size());
        assertTrue(new HashSet<>(used).size() >= 3, "mailbox logins with renewed tokens: " + used.size());
        assertTrue(sim.tokensIssued("google") - issued >= 2, "a new token after each expired session");
        assertEquals(List.of(), MailOAuth2Resource.REFUSED_LOGINS);
    }

    @Test
    void aDelegationWithoutTheMailScopeIsSaidPlainlyAndMailWaitsUntilItIsGranted() throws Exception {
        // the Workspace admin removed https://mail.google.com/ from the account's domain-wide delegation
        MailOAuth2Resource.rotateGoogleKey();
        sim.googleServiceAccount(MailOAuth2Resource.GOOGLE_ACCOUNT, currentKey(), Set.of());
        cutOnceTheTokenExpired();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            var r = given().when().get("/q/health/group/mail");
            return r.statusCode() == 503 && r.asString().contains("domain-wide delegation");
        });
        String customer = Samples.unique("delegation");
        MimeMessage sent = MailClient.send(MailClient.message(customer, "Poste bloqué", "Bonjour, le poste de"
                + " l'accueil est bloqué depuis ce matin."));

        // granted again: the mail is read and answered, once, when the backoff has passed
        sim.googleServiceAccount(MailOAuth2Resource.GOOGLE_ACCOUNT, currentKey(),
                Set.of(MailOAuth2Resource.GOOGLE_SCOPE));
        clock.advance(Duration.ofSeconds(10));
        sim.timePasses(Duration.ofSeconds(10));
        Mailboxes.await(customer, 1);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM mail_receipt WHERE message_id = ?", sent.getMessageID()));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> given().when().get("/q/health/group/mail").statusCode() == 200);
    }

    private static java.security.PublicKey currentKey() {
        return MailOAuth2Resource.googlePublicKey();
    }

    private String answered(String subject) throws Exception {
        String customer = Samples.unique("google");
        MimeMessage sent = MailClient.send(MailClient.message(customer, subject, "Bonjour,\n\n" + subject
                + " depuis ce matin, merci de nous aider.\n"));
        Mailboxes.await(customer, 1);
        assertEquals("NEW_TICKET", Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?",
                sent.getMessageID()));
        return customer;
    }

    /** The token's life passes for the hub and for Google together (no waiting), then the provider ends the sessions. */
    private void cutOnceTheTokenExpired() {
        clock.advance(MailOAuth2Resource.LIFETIME.plusMillis(300));
        sim.timePasses(MailOAuth2Resource.LIFETIME.plusMillis(300));
        MailOAuth2Resource.cutSessions();
    }
}
