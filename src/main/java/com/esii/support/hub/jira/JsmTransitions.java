package com.esii.support.hub.jira;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.config.HubConfig;
import com.esii.support.hub.outbox.OutboxHandler;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Resolves or reopens a JSM request through the workflow's transitions, found by name
 * ({@code hub.jira.resolve-transitions}, {@code hub.jira.reopen-transitions}). Already there: nothing to do.
 */
@ApplicationScoped
public class JsmTransitions implements OutboxHandler {

    private final JiraClient jira;
    private final TicketLedger ledger;
    private final HubConfig.Jira config;
    private final ObjectMapper json;

    public JsmTransitions(JiraClient jira, TicketLedger ledger, HubConfig config, ObjectMapper json) {
        this.jira = jira;
        this.ledger = ledger;
        this.config = config.jira();
        this.json = json;
    }

    @Override
    public String type() {
        return JiraOutbox.TRANSITION;
    }

    @Override
    public void handle(OutboxRow row) throws Exception {
        JiraOutbox.Transition tr = json.readValue(row.payload(), JiraOutbox.Transition.class);
        Ticket t = ledger.findByNumber(tr.ticket()).orElseThrow(() -> new PermanentFailure("no ticket " + tr.ticket()));
        if (t.jsmKey() == null) {
            throw new IllegalStateException("the JSM request of " + t.number() + " does not exist yet");
        }
        boolean resolve = "resolve".equals(tr.action());
        String category = jira.get(jira.api() + "/issue/" + t.jsmKey(), Map.of("fields", "status")).path("fields")
                .path("status").path("statusCategory").path("key").asText("");
        if (resolve == "done".equals(category)) {
            return; // already resolved (or already open)
        }
        List<String> wanted = resolve ? config.resolveTransitions() : config.reopenTransitions();
        JsonNode transitions = jira.get(jira.api() + "/issue/" + t.jsmKey() + "/transitions", Map.of()).path("transitions");
        List<String> available = new ArrayList<>();
        for (JsonNode candidate : transitions) {
            String name = candidate.path("name").asText("");
            available.add(name);
            for (String w : wanted) {
                if (w.strip().equalsIgnoreCase(name.strip())) {
                    jira.post(jira.api() + "/issue/" + t.jsmKey() + "/transitions",
                            Map.of("transition", Map.of("id", candidate.path("id").asText())));
                    return;
                }
            }
        }
        throw new PermanentFailure("No transition named " + wanted + " on " + t.jsmKey() + " (available: " + available
                + "); set hub.jira." + (resolve ? "resolve" : "reopen") + "-transitions");
    }
}
