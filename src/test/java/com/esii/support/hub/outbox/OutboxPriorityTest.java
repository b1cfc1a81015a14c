package com.esii.support.hub.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.quarkus.test.junit.QuarkusTest;

/** Mails to customers are taken before the other side effects due at the same time. */
@QuarkusTest
class OutboxPriorityTest extends HubTestResources {

    @Inject
    Outbox outbox;
    @Inject
    DataSource ds;

    @Test
    void mailsComeBeforeJiraAndErpRowsDueEarlier() {
        // far in the future, so that the running relay leaves them alone while the test reads the queue
        OffsetDateTime later = OffsetDateTime.now().plusYears(50);
        String run = UUID.randomUUID().toString();
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> {
            long jira = outbox.enqueue("jira-create", "prio-a-" + run, null, Map.of("n", 1), later);
            long erp = outbox.enqueue("erp-record", "prio-b-" + run, null, Map.of("n", 2), later);
            long mail = outbox.enqueue("mail-ack", "prio-c-" + run, null, Map.of("n", 3), later);
            long sameLane = outbox.enqueue("mail-notice", "prio-a-" + run, null, Map.of("n", 4), later);
            // rows are due at once by the database's clock: put them off before the transaction commits
            Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id IN (?, ?, ?)", later, jira, erp, sameLane);
            Db.update(ds, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", later.plusSeconds(5), mail);
            return List.of(jira, erp, mail, sameLane);
        });
        long jira = ids.get(0);
        long erp = ids.get(1);
        long mail = ids.get(2);
        long sameLane = ids.get(3);
        List<Outbox.Due> found = outbox.due(later.plusMinutes(1), 10_000).stream()
                .filter(d -> List.of(jira, erp, mail, sameLane).contains(d.id())).toList();
        List<Long> due = found.stream().map(Outbox.Due::id).toList();
        assertEquals(List.of(true, false, false), found.stream().map(Outbox.Due::urgent).toList());
        assertEquals(List.of(mail, jira, erp), due,
                "the mail first although due later; a mail behind a Jira row of its lane waits for it");
    }

    /** The types taken first are the mails the edges declare urgent ({@link UrgentTypes}); the outbox names none. */
    @Test
    void theEdgesDeclareTheirMailsUrgent() {
        assertEquals(List.of("mail-ack", "mail-links", "mail-notice", "mail-onsite", "mail-requests", "mail-staff",
                "mail-test", "mail-too-large"), List.of(outbox.urgentTypes()),
                "every mail type the hub queues, and the tests' one");
    }
}
