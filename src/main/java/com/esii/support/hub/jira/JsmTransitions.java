package com.esii.support.hub.jira;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.jira.dto.DoTransition;
import com.esii.support.hub.jira.dto.Issue;
import com.esii.support.hub.jira.dto.Ref;
import com.esii.support.hub.jira.dto.Transitions;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Resolves or reopens a JSM request through the workflow's transitions, found by name
 * ({@code hub.jira.resolve-transitions}, {@code hub.jira.reopen-transitions}). Already there: nothing to do.
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/jira.yaml}), which performs the {@code jira-transition} rows.
 */
@ApplicationScoped
@Named("jsmTransitions")
public class JsmTransitions {

    private final JiraClient jira;
    private final TicketLedger ledger;
    private final JiraConfig config;
    private final ObjectMapper json;

    public JsmTransitions(JiraClient jira, TicketLedger ledger, JiraConfig config, ObjectMapper json) {
        this.jira = jira;
        this.ledger = ledger;
        this.config = config;
        this.json = json;
    }

    /** The route performing jira-transition rows ({@code routes/jira.yaml}). */
    public static final String ROUTE = "jsm-transition";

    /** One transition: the row's wish (resolve or reopen), its ticket, then the request's status category. */
    public static final class Move {
        private final Ticket ticket;
        private final boolean resolve;
        private String category;

        Move(Ticket ticket, boolean resolve) {
            this.ticket = ticket;
            this.resolve = resolve;
        }

        /** The request is where the row wants it: resolved (or open) already. */
        public boolean alreadyThere() {
            return resolve == "done".equals(category);
        }
    }

    /** The ticket and what to do; the request is created first in the ticket's lane: until then this is retried. */
    public Move load(OutboxRow row) throws Exception {
        JiraOutbox.Transition tr = json.readValue(row.payload(), JiraOutbox.Transition.class);
        Ticket t = ledger.findByNumber(tr.ticket()).orElseThrow(() -> new PermanentFailure("no ticket " + tr.ticket()));
        if (t.jsmKey() == null) {
            throw new IllegalStateException("the JSM request of " + t.number() + " does not exist yet");
        }
        return new Move(t, "resolve".equals(tr.action()));
    }

    /** The request's status category as Jira shows it now. */
    public void readStatus(Move m) {
        m.category = jira.get(jira.api() + "/issue/" + m.ticket.jsmKey(), Map.of("fields", "status"), Issue.class)
                .fields().status().category();
    }

    /** Takes the workflow's transition named in hub.jira.resolve-transitions (or reopen-transitions). */
    public void transition(Move m) {
        Ticket t = m.ticket;
        List<String> wanted = m.resolve ? config.resolveTransitions() : config.reopenTransitions();
        List<Ref> transitions = jira.get(jira.api() + "/issue/" + t.jsmKey() + "/transitions", Map.of(),
                Transitions.class).transitions();
        List<String> available = new ArrayList<>();
        for (Ref candidate : transitions) {
            String name = candidate.name() == null ? "" : candidate.name();
            available.add(name);
            for (String w : wanted) {
                if (w.strip().equalsIgnoreCase(name.strip())) {
                    jira.post(jira.api() + "/issue/" + t.jsmKey() + "/transitions",
                            new DoTransition(Ref.id(candidate.id())));
                    return;
                }
            }
        }
        throw new PermanentFailure("No transition named " + wanted + " on " + t.jsmKey() + " (available: " + available
                + "); set hub.jira." + (m.resolve ? "resolve" : "reopen") + "-transitions");
    }
}
