package com.esii.support.hub.jira;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.outbox.OutboxHandler;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * A comment on the ticket's JSM request: public for the customer's own words (their mail replies, with their
 * files), internal for the hub's notes to staff. The comment's id is remembered as the hub's own, so that it is
 * never taken for staff's when it comes back by webhook.
 */
@ApplicationScoped
public class JsmComments implements OutboxHandler {

    private final JiraClient jira;
    private final JiraStore store;
    private final TicketLedger ledger;
    private final JsmRequests requests;
    private final ObjectMapper json;
    private final Clock clock;

    public JsmComments(JiraClient jira, JiraStore store, TicketLedger ledger, JsmRequests requests, ObjectMapper json,
            Clock clock) {
        this.jira = jira;
        this.store = store;
        this.ledger = ledger;
        this.requests = requests;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String type() {
        return JiraOutbox.COMMENT;
    }

    @Override
    public void handle(OutboxRow row) throws Exception {
        JiraOutbox.Comment c = json.readValue(row.payload(), JiraOutbox.Comment.class);
        Ticket t = ledger.findByNumber(c.ticket()).orElseThrow(() -> new PermanentFailure("no ticket " + c.ticket()));
        if (t.jsmKey() == null) {
            // The request is created first in this lane; if its creation is dead, this waits for its replay.
            throw new IllegalStateException("the JSM request of " + t.number() + " does not exist yet");
        }
        if (c.messageId() != null) {
            List<TicketLedger.StoredAttachment> files = ledger.attachments(t.id(), c.messageId());
            requests.attach(t.jsmKey(), files, null);
        }
        if (c.body() == null || c.body().isBlank()) {
            return;
        }
        JsonNode created = jira.post("/rest/servicedeskapi/request/" + t.jsmKey() + "/comment",
                Map.of("body", c.body(), "public", c.isPublic()));
        String id = created.path("id").asText(null);
        if (id != null) {
            QuarkusTransaction.requiringNew()
                    .run(() -> store.rememberComment(id, t.jsmKey(), true, OffsetDateTime.now(clock)));
        }
    }
}
