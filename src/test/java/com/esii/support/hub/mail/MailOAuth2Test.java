package com.esii.support.hub.mail;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
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
import io.restassured.http.ContentType;

/**
 * The support mailbox as Microsoft 365 serves it: IMAP and SMTP take only XOAUTH2 with a token from Entra ID's
 * client-credentials grant (the simulator's Entra-shaped endpoint), tokens live 4 s, and the provider ends sessions at
 * any moment. No password is configured anywhere. Time passes for the tokens and the backoffs by moving the hub's clock
 * and the provider's together ({@link #timePasses}), not by waiting.
 */
@org.junit.jupiter.api.Tag("app") // a running hub: the full suite, not the quick lane (-Pquick)
@QuarkusTest
@TestProfile(MailOAuth2Profile.class)
class MailOAuth2Test {

    @Inject
    DataSource ds;
    @Inject
    MovableClock clock;

    Simulator sim = SimulatorResource.simulator();

    @BeforeEach
    void clean() {
        // GreenMail's session threads throw when a session is cut under them (as at any client's abrupt end): not
        // this test's failure
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
        MailOAuth2Resource.REFUSED_LOGINS.clear();
        sim.refuseTokens(null, null);
    }

    @AfterEach
    void accepted() {
        sim.refuseTokens(null, null);
        Awaitility.reset();
    }

    /** Tokens live in memory only: none of those given during the class, nor any secret, is in the test log. */
    @AfterAll
    static void noTokenNorSecretInTheLog() throws Exception {
        Path log = Path.of("target/quarkus.log");
        List<String> secrets = new ArrayList<>(SimulatorResource.simulator().tokensGiven());
        secrets.addAll(MailOAuth2Resource.SECRETS);
        secrets.add(SimulatorResource.JIRA_CLIENT_SECRET);
        assertTrue(SimulatorResource.simulator().tokensGiven().size() >= 5, "tokens were given");
        assertTrue(Files.exists(log), "the test log");
        try (var lines = Files.lines(log)) {
            lines.forEach(l -> secrets.forEach(t -> assertFalse(l.contains(t), "a token or secret logged: " + l)));
        }
    }

    @Test
    void aMailboxThatTakesOnlyTokensIsReadAndAnsweredThroughRenewalsAndCutSessions() throws Exception {
        long issuedBefore = sim.tokensIssued("entra");
        int mailboxLoginsBefore = MailOAuth2Resource.MAILBOX_LOGINS.size();
        int senderLoginsBefore = MailOAuth2Resource.SENDER_LOGINS.size();
        List<String> customers = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            String customer = Samples.unique("oauth");
            MimeMessage sent = MailClient.send(MailClient.message(customer, "Imprimante en panne " + round,
                    "Bonjour,\n\nnotre imprimante ne fonctionne plus depuis ce matin.\n\nMerci"));
            if (round % 2 == 1) {
                // the provider ends the sessions just as the mail arrives: it is read after the reconnection
                MailOAuth2Resource.cutSessions();
            }
            customers.add(customer);
            ids.add(sent.getMessageID());
            Mailboxes.await(customer, 1);
            // the sessions end, and the next ones need a token renewed meanwhile (tokens live 4 s, renewed after 2)
            MailOAuth2Resource.cutSessions();
            timePasses(MailOAuth2Resource.LIFETIME.dividedBy(2).plusMillis(300));
        }
        for (int i = 0; i < customers.size(); i++) {
            assertEquals(1, Mailboxes.to(customers.get(i)).size(), "one acknowledgement for " + customers.get(i));
            assertEquals(1, Db.count(ds, "SELECT count(*) FROM mail_receipt WHERE message_id = ?", ids.get(i)));
            assertEquals("NEW_TICKET", Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?",
                    ids.get(i)));
        }
        List<String> mailbox = MailOAuth2Resource.MAILBOX_LOGINS.subList(mailboxLoginsBefore,
                MailOAuth2Resource.MAILBOX_LOGINS.size());
        List<String> sender = MailOAuth2Resource.SENDER_LOGINS.subList(senderLoginsBefore,
                MailOAuth2Resource.SENDER_LOGINS.size());
        assertTrue(new HashSet<>(mailbox).size() >= 3, "the mailbox was opened with renewed tokens: " + mailbox.size());
        assertTrue(new HashSet<>(sender).size() >= 2, "SMTP logged in with renewed tokens: " + sender.size());
        assertTrue(sim.tokensIssued("entra") - issuedBefore >= 3);
        assertEquals(List.of(), MailOAuth2Resource.REFUSED_LOGINS, "no expired or foreign token was presented");
        // the last cut's reconnection done, the mail channel is healthy
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> given().when().get("/q/health/group/mail").statusCode() == 200);
    }

    @Test
    void aMailboxPermissionMissingIsSaidPlainlyAndTheServerIsNotHammered() throws Exception {
        // the provider gives tokens, but the mailbox refuses them all (IMAP.AccessAsApp or the mailbox permission gone)
        MailOAuth2Resource.denyMailboxAccess(true);
        try {
            MailOAuth2Resource.cutSessions();
            String body = awaitCredentialsDown("refused a new OAuth2 token");
            assertTrue(body.contains("IMAP.AccessAsApp"), body);
            int refusals = MailOAuth2Resource.REFUSED_LOGINS.size();
            Awaitility.await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
            // a login, and once more with a new token, then nothing before the backoff (5 s), though the watch
            // retries every second
            assertTrue(MailOAuth2Resource.REFUSED_LOGINS.size() - refusals <= 2,
                    "logins refused in 3 s: " + (MailOAuth2Resource.REFUSED_LOGINS.size() - refusals));
            // once the backoff has passed, the server is tried again (and refuses again)
            int beforeBackoffEnds = MailOAuth2Resource.REFUSED_LOGINS.size();
            timePasses(Duration.ofSeconds(5));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> MailOAuth2Resource.REFUSED_LOGINS.size() > beforeBackoffEnds);
        } finally {
            MailOAuth2Resource.denyMailboxAccess(false);
        }
        // the backoff reached passes too: 10 s after two refusals, more if a slow machine let the clock's real
        // seconds bring a third (the longest is 5 minutes)
        timePasses(Duration.ofMinutes(5));
        String customer = Samples.unique("permission");
        MailClient.send(MailClient.message(customer, "Accès rétabli ?", "Bonjour, pouvez-vous confirmer ?"));
        Mailboxes.await(customer, 1);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> given().when().get("/q/health/group/mail").statusCode() == 200);
    }

    @Test
    void aKeptSmtpSessionTheServerEndsMidWayIsOpenedAgainAndTheMailGoesOnce() throws Exception {
        // a first acknowledgement opens the outbox worker's SMTP session, which is then kept
        String first = Samples.unique("kept");
        given().contentType(ContentType.JSON).body(Samples.ticket(first)).when().post("/api/tickets").then()
                .statusCode(201);
        Mailboxes.await(first, 1);
        // Exchange ends a session whose token expired by answering the next command 421 and closing it
        MailOAuth2Resource.smtp().refuseNextMailFrom("421 4.7.0 AS(2) Session expired, please reauthenticate");
        int sessions = MailOAuth2Resource.smtp().connections();
        String customer = Samples.unique("kept-refused");
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(customer)).when()
                .post("/api/tickets").then().statusCode(201).extract().path("number");
        Mailboxes.await(customer, 1);
        assertEquals(1, MailOAuth2Resource.smtp().refusals(), "the server's refusal met this mail");
        // it went over a new session within the same attempt: no failed attempt, no backoff
        assertEquals(1, Db.count(ds, "SELECT attempts FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                + " WHERE t.number = ? AND o.type = 'mail-ack'", number));
        assertTrue(MailOAuth2Resource.smtp().connections() > sessions, "a new SMTP session");
        assertEquals(1, Mailboxes.to(customer).size());
    }

    @Test
    void aRotatedSecretFileIsUsedFromTheNextTokenAndAWrongOneIsSaidPlainly() throws Exception {
        // The secret changes at Entra ID first: the one in the file is now wrong
        MailOAuth2Resource.changeEntraSecretAtProviderOnly("second-secret-" + System.nanoTime());
        cutOnceTheTokenExpired();
        String body = awaitCredentialsDown("invalid_client");
        assertTrue(body.contains("invalid_client") && body.contains("AADSTS7000215"), body);
        assertTrue(body.contains("hub.mail.oauth2.client-secret"), "names the setting to check: " + body);

        // a mail meanwhile waits in the mailbox
        String customer = Samples.unique("rotated");
        MimeMessage sent = MailClient.send(MailClient.message(customer, "Logiciel bloqué", "Bonjour, le logiciel"
                + " ne démarre plus depuis la mise à jour de ce matin."));

        // the operator updates the mounted Secret: the next token is asked with it, without waiting for the backoff
        long before = sim.tokensIssued("entra");
        MailOAuth2Resource.writeSecretFile(currentSecret());
        Mailboxes.await(customer, 1);
        assertTrue(sim.tokensIssued("entra") > before);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> given().when().get("/q/health/group/mail").statusCode() == 200);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM mail_receipt WHERE message_id = ?", sent.getMessageID()));
        assertEquals(1, Mailboxes.to(customer).size());
    }

    @Test
    void aRevokedConsentLeavesTheHubRunningMailAndAcknowledgementsWaitingAndTheProviderUnhammered() throws Exception {
        sim.refuseTokens("unauthorized_client", "AADSTS65001: The user or administrator has not consented to use the"
                + " application with ID '" + MailOAuth2Resource.CLIENT_ID + "'.");
        cutOnceTheTokenExpired();
        String body = awaitCredentialsDown("unauthorized_client");
        assertTrue(body.contains("unauthorized_client") && body.contains("AADSTS65001"), body);

        // the web still takes tickets; their acknowledgements wait in the outbox
        String webCustomer = Samples.unique("consent");
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(webCustomer)).when()
                .post("/api/tickets").then().statusCode(201).extract().path("number");
        String mailCustomer = Samples.unique("consent-mail");
        MimeMessage sent = MailClient.send(MailClient.message(mailCustomer, "Serveur arrêté", "Bonjour, le serveur"
                + " de la clinique est arrêté depuis une heure."));

        // The provider is asked again after a backoff (5 s, then 10 s...), not at every reconnection (each second)
        long requests = sim.tokenRequests();
        Awaitility.await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertTrue(sim.tokenRequests() - requests <= 1, "token requests in 3 s: " + (sim.tokenRequests() - requests));
        assertEquals(0, Mailboxes.to(webCustomer).size());
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM outbox o JOIN ticket t ON t.id = o.ticket_id"
                + " WHERE t.number = ? AND o.type = 'mail-ack' AND o.status = 'PENDING'", number));
        assertNull(Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", sent.getMessageID()));

        // consent granted again: everything that waited goes, once, when the backoff has passed
        sim.refuseTokens(null, null);
        timePasses(Duration.ofSeconds(10));
        Mailboxes.await(webCustomer, 1);
        Mailboxes.await(mailCustomer, 1);
        assertEquals(1, Mailboxes.to(webCustomer).size());
        assertEquals(1, Mailboxes.to(mailCustomer).size());
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> given().when().get("/q/health/group/mail").statusCode() == 200);
    }

    /**
     * The sessions open now go on with the token they logged in with (as Exchange's do): the provider ends them once
     * that token has expired, and the next ones need a new token.
     */
    private void cutOnceTheTokenExpired() {
        timePasses(MailOAuth2Resource.LIFETIME.plusMillis(300));
        MailOAuth2Resource.cutSessions();
    }

    /** {@code d} passes for the hub and for the provider (tokens expire, backoffs end) without waiting. */
    private void timePasses(Duration d) {
        clock.advance(d);
        sim.timePasses(d);
    }

    /** The mail channel's health, once it is DOWN for the credentials (the body says why). */
    private static String awaitCredentialsDown(String error) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            var r = given().when().get("/q/health/group/mail");
            return r.statusCode() == 503 && r.asString().contains(error);
        });
        return given().when().get("/q/health/group/mail").then().statusCode(503).extract().asString();
    }

    private static String currentSecret() {
        return SimulatorResource.simulator().entraSecret(MailOAuth2Resource.CLIENT_ID);
    }
}
