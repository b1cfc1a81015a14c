package com.esii.support.hub.email;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
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
