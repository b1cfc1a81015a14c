package com.esii.support.hub.email;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.Quiet;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.WireMockResource;
import com.esii.support.hub.testing.sim.Simulator;
import com.esii.support.hub.testing.sim.SimulatorProfile;
import com.esii.support.hub.testing.sim.SimulatorResource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Who may write into a ticket, with the ERP and Jira the hub reads it from (the stateful simulator): a colleague of a
 * customer listed in {@code hub.mail.customer-domains} (C0001=clinique-saint-roch.fr here), and a request
 * participant staff added in Jira.
 */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class WhoMayWriteSimulatedTest extends HubTestResources {

    @Inject
    DataSource ds;

    Simulator sim;

    @BeforeEach
    void fresh() {
        sim = SimulatorResource.simulator();
        sim.reset();
        sim.webhooksTo("http://localhost:" + RestAssured.port + "/webhooks/jira", WireMockResource.WEBHOOK_SECRET);
    }

    @AfterEach
    void contractsKept() {
        assertEquals(List.of(), sim.contractViolations(), "requests to Jira that break Atlassian's contracts");
    }

    String verdictOf(String messageId) {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", messageId) != null);
        return Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id = ?", messageId);
    }

    String ticketOf(String messageId) {
        return Db.string(ds, "SELECT t.number FROM mail_receipt r JOIN ticket t ON t.id = r.ticket_id"
                + " WHERE r.message_id = ?", messageId);
    }

    /** A mail from this address opens a ticket, triaged with its customer's code once the ERP answered. */
    String opened(String from, String customerCode) throws Exception {
        MimeMessage m = MailClient.send(MailClient.message(from, "Traceur en panne",
                "Bonjour, le traceur ne répond plus depuis ce matin, pouvez-vous regarder ?"));
        assertEquals("NEW_TICKET", verdictOf(m.getMessageID()));
        String number = ticketOf(m.getMessageID());
        await().atMost(Duration.ofSeconds(20)).until(() -> customerCode.equals(
                Db.string(ds, "SELECT customer_code FROM ticket WHERE number = ?", number)));
        return number;
    }

    String reply(String from, String number) throws Exception {
        MimeMessage r = MailClient.send(MailClient.message(from, "RE: [" + number + "] Traceur en panne",
                "Je complète : il affiche une erreur 42."));
        verdictOf(r.getMessageID());
        return r.getMessageID();
    }

    @Test
    void aColleagueOfAListedCustomersDomainRepliesButNotOfAnUnlistedOne() throws Exception {
        String number = opened(Samples.unique("chef").replaceAll("@.*", "@clinique-saint-roch.fr"),
                "C0001");
        String colleague = reply(Samples.unique("infirmier").replaceAll("@.*", "@clinique-saint-roch.fr"), number);
        assertEquals("COMMENT", verdictOf(colleague));
        assertEquals(number, ticketOf(colleague));

        String other = opened(Samples.unique("magasin").replaceAll("@.*", "@logistique-durand.fr"), "C0002");
        String notListed = reply(Samples.unique("cariste").replaceAll("@.*", "@logistique-durand.fr"), other);
        assertEquals("NEW_TICKET", verdictOf(notListed));
        assertNotEquals(other, ticketOf(notListed));
    }

    /** The colleagues the customer's first mail copied are the request's participants (as JSM's own mail channel does). */
    @Test
    void theColleaguesAMailCopiesAreTheRequestsParticipants() throws Exception {
        String customer = Samples.unique("cadre").replaceAll("@.*", "@clinique-saint-roch.fr");
        String copied = Samples.unique("adjointe").replaceAll("@.*", "@clinique-saint-roch.fr");
        MimeMessage first = MailClient.message(customer, "Traceur en panne", "Le traceur ne répond plus.");
        first.addRecipient(jakarta.mail.Message.RecipientType.CC, new InternetAddress(copied, "Léa Adjointe", "UTF-8"));
        MailClient.send(first);
        assertEquals("NEW_TICKET", verdictOf(first.getMessageID()));
        String number = ticketOf(first.getMessageID());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number) != null);
        String key = Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number);
        assertEquals(List.of(copied), sim.participants(key), "the copied colleague, not the customer (the reporter)");
        assertEquals(customer, sim.request(key).reporterEmail());
    }

    /** The request's comment carrying this text (the hub's, with its marker). */
    Simulator.JiraComment commentWith(String key, String text) {
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.comments(key).stream()
                .anyMatch(c -> c.body().contains(text)));
        return sim.comments(key).stream().filter(c -> c.body().contains(text)).findFirst().orElseThrow();
    }

    /**
     * Issue 26, point 5: staff read who wrote each reply (the hub's account writes the comment), and a colleague who
     * replies into the ticket becomes a participant of the JSM request (the customer is its reporter already).
     */
    @Test
    void staffReadWhoWroteEachReplyAndAColleagueWhoRepliesBecomesARequestParticipant() throws Exception {
        String customer = Samples.unique("dupont").replaceAll("@.*", "@clinique-saint-roch.fr");
        MimeMessage first = MailClient.message(customer, "Traceur en panne", "Le traceur ne répond plus.");
        first.setFrom(new InternetAddress(customer, "Marie Dupont", "UTF-8"));
        MailClient.send(first);
        assertEquals("NEW_TICKET", verdictOf(first.getMessageID()));
        String number = ticketOf(first.getMessageID());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number) != null);
        String key = Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number);

        // the customer replies: named in the desk's language (French here), the marker kept last
        MimeMessage own = MailClient.message(customer, "RE: [" + number + "] Traceur en panne", "Erreur 42 affichée.");
        own.setFrom(new InternetAddress(customer, "Marie Dupont", "UTF-8"));
        MailClient.send(own);
        assertEquals("COMMENT", verdictOf(own.getMessageID()));
        Simulator.JiraComment c = commentWith(key, "Erreur 42 affichée.");
        assertTrue(c.isPublic());
        assertTrue(c.body().startsWith("Marie Dupont <" + customer + "> a écrit :\n\nErreur 42 affichée."), c.body());
        assertTrue(c.body().strip().matches("(?s).*\\(ref\\. " + java.util.regex.Pattern.quote(number) + "/\\d+\\)$"),
                c.body());

        // a colleague (a listed customer domain) replies: named too, and made a participant of the request
        String colleague = Samples.unique("infirmier").replaceAll("@.*", "@clinique-saint-roch.fr");
        MimeMessage theirs = MailClient.message(colleague, "RE: [" + number + "] Traceur en panne",
                "Je confirme, même erreur au bloc B.");
        theirs.setFrom(new InternetAddress(colleague, "Paul Infirmier", "UTF-8"));
        MailClient.send(theirs);
        assertEquals("COMMENT", verdictOf(theirs.getMessageID()));
        Simulator.JiraComment d = commentWith(key, "Je confirme, même erreur au bloc B.");
        assertTrue(d.body().startsWith("Paul Infirmier <" + colleague + "> a écrit :\n\n"), d.body());
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.participants(key).contains(colleague));
        assertFalse(sim.participants(key).contains(customer), "the customer is the request's reporter already");
        assertEquals(customer, sim.request(key).reporterEmail());
        // Jira refuses a participant (a request type without participants, a permission): the reply is written all
        // the same, and the ticket's lane goes on
        sim.faults().on("POST", "/rest/servicedeskapi/request/*/participant").status(403);
        try {
            String other = Samples.unique("aide-soignant").replaceAll("@.*", "@clinique-saint-roch.fr");
            MimeMessage refused = MailClient.message(other, "RE: [" + number + "] Traceur en panne",
                    "Toujours en panne ce soir.");
            MailClient.send(refused);
            assertEquals("COMMENT", verdictOf(refused.getMessageID()));
            commentWith(key, "Toujours en panne ce soir.");
            assertFalse(sim.participants(key).contains(other));
            Quiet.outbox(ds, number);
            assertEquals(0, Db.count(ds, "SELECT count(*) FROM outbox WHERE lane = ? AND status = 'DEAD'",
                    "jira:" + number));
        } finally {
            sim.faults().clear();
        }
    }

    @Test
    void aParticipantStaffAddedInJiraRepliesIntoTheTicket() throws Exception {
        String customer = Samples.unique("atelier").replaceAll("@.*", "@atelier-martin.fr");
        String number = opened(customer, "C0003");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number) != null);
        String key = Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number);

        String outsider = Samples.unique("prestataire");
        String before = reply(outsider, number);
        assertEquals("NEW_TICKET", verdictOf(before), "not a participant yet");

        // staff add the outsider as a request participant; the next news of the request brings it in
        sim.addParticipant(key, outsider);
        assertEquals(204, sim.deliver(sim.staffComment(key, "J'ajoute notre prestataire à la demande.", true)));
        await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds, "SELECT count(*) FROM ticket_participant p"
                + " JOIN ticket t ON t.id = p.ticket_id WHERE t.number = ? AND p.address = ? AND p.source = 'jira'",
                number, outsider) == 1);
        String after = reply(outsider, number);
        assertEquals("COMMENT", verdictOf(after));
        assertEquals(number, ticketOf(after));
        await().atMost(Duration.ofSeconds(20)).until(() -> Mailboxes.to(customer).size() >= 2);
    }
}
