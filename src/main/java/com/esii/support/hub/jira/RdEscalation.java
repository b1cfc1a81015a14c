package com.esii.support.hub.jira;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.esii.support.hub.config.HubConfig;
import com.esii.support.hub.outbox.OutboxHandler;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * N2 escalation: a Bug in the R&D project (summary, description with the customer's text, criticality and
 * customer, a link back), linked to the JSM request, and an internal note on the request. The bug carries the hub
 * number as a label, so that a retry after an ambiguous failure finds it instead of creating a second one.
 */
@ApplicationScoped
public class RdEscalation implements OutboxHandler {

    private static final Logger LOG = Logger.getLogger(RdEscalation.class);

    private final JiraClient jira;
    private final JiraStore store;
    private final TicketLedger ledger;
    private final JiraOutbox outbox;
    private final HubConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final com.esii.support.hub.erp.ErpRecords records;

    public RdEscalation(JiraClient jira, JiraStore store, TicketLedger ledger, JiraOutbox outbox, HubConfig config,
            ObjectMapper json, Clock clock, com.esii.support.hub.erp.ErpRecords records) {
        this.records = records;
        this.jira = jira;
        this.store = store;
        this.ledger = ledger;
        this.outbox = outbox;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String type() {
        return JiraOutbox.ESCALATE;
    }

    @Override
    public void handle(OutboxRow row) throws Exception {
        String number = json.readValue(row.payload(), JiraOutbox.Escalate.class).ticket();
        Ticket t = ledger.findByNumber(number).orElseThrow(() -> new PermanentFailure("no ticket " + number));
        if (store.rdKey(t.id()).isPresent()) {
            return;
        }
        if (t.jsmKey() == null) {
            throw new IllegalStateException("the JSM request of " + number + " does not exist yet");
        }
        HubConfig.Jira j = config.jira();
        Optional<String> found = row.mayHaveReachedTarget() ? find(number) : Optional.empty();
        String bug;
        if (found.isPresent()) {
            bug = found.get();
        } else {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("project", Map.of("key", j.rdProjectKey()));
            fields.put("issuetype", Map.of("name", j.bugIssueType()));
            fields.put("summary", JsmRequests.summary(t));
            fields.put("description", jira.richText(JsmRequests.description(t) + "\n\nSupport request: " + t.jsmKey()
                    + " (" + config.jira().url().orElse("") + "/browse/" + t.jsmKey() + ")"));
            fields.put("labels", List.of("from-support", number));
            JsonNode created = jira.post(jira.api() + "/issue", Map.of("fields", fields));
            bug = created.path("key").asText(null);
            if (bug == null) {
                throw new PermanentFailure("Jira created a bug without key for " + number);
            }
        }
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("type", Map.of("name", j.linkType()));
        link.put("inwardIssue", Map.of("key", t.jsmKey()));
        link.put("outwardIssue", Map.of("key", bug));
        jira.post(jira.api() + "/issueLink", link); // a duplicate link request still succeeds
        String key = bug;
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            store.setRdKey(t.id(), key);
            ledger.insertEvent(t.id(), new TicketLedger.Event("escalated", "R&D bug " + key, "jira", now));
            records.record(t, "escalated", "R&D bug " + key, null, false, key, now);
            outbox.internalComment(t, "Escalated to R&D: " + key + ". The customer is told of the workaround, the fix"
                    + " and the resolution as R&D records them.", now);
        });
        LOG.infof("Ticket %s escalated to R&D as %s", number, key);
    }

    private Optional<String> find(String number) {
        String jql = "project = \"" + config.jira().rdProjectKey() + "\" AND labels = \"" + number + "\"";
        return JiraSearch.search(jira, jql, List.of("summary"), 1).stream().map(i -> i.path("key").asText()).findFirst();
    }
}
