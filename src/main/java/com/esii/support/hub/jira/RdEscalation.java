package com.esii.support.hub.jira;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.ticket.ActivityJournal;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.jira.dto.CreatedIssue;
import com.esii.support.hub.jira.dto.Issue;
import com.esii.support.hub.jira.dto.NewBug;
import com.esii.support.hub.jira.dto.NewLink;
import com.esii.support.hub.jira.dto.Ref;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * N2 escalation: a Bug in the R&D project (summary, description with the customer's text, criticality and
 * customer, a link back), linked to the JSM request, and an internal note on the request. The bug carries the hub
 * number as a label, so that a retry after an ambiguous failure finds it instead of creating a second one.
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/jira.yaml}), which performs the {@code jira-escalate} rows.
 */
@ApplicationScoped
@Named("rdEscalation")
public class RdEscalation {

    private static final Logger LOG = Logger.getLogger(RdEscalation.class);

    private final JiraClient jira;
    private final JiraStore store;
    private final TicketLedger ledger;
    private final JiraOutbox outbox;
    private final JiraConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final ActivityJournal records;
    private final StaffTexts texts;

    public RdEscalation(JiraClient jira, JiraStore store, TicketLedger ledger, JiraOutbox outbox, JiraConfig config,
            ObjectMapper json, Clock clock, ActivityJournal records, StaffTexts texts) {
        this.records = records;
        this.texts = texts;
        this.jira = jira;
        this.store = store;
        this.ledger = ledger;
        this.outbox = outbox;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** The route performing jira-escalate rows ({@code routes/jira.yaml}). */
    public static final String ROUTE = "rd-escalate";

    /** One escalation: the row, its ticket, then the R&D bug's key once found or created. */
    public static final class Escalation {
        private final OutboxRow row;
        private final Ticket ticket;
        private String bug;

        Escalation(OutboxRow row, Ticket ticket) {
            this.row = row;
            this.ticket = ticket;
        }

        /** An earlier claim of the row may have created the bug. */
        public boolean mayHaveReachedTarget() {
            return row.mayHaveReachedTarget();
        }

        /** The bug's key is known (found or created). */
        public boolean found() {
            return bug != null;
        }
    }

    /** The ticket of the row. */
    public Escalation load(OutboxRow row) throws Exception {
        String number = json.readValue(row.payload(), JiraOutbox.Escalate.class).ticket();
        Ticket t = ledger.findByNumber(number).orElseThrow(() -> new PermanentFailure("no ticket " + number));
        return new Escalation(row, t);
    }

    /** The ticket has its R&D bug already (an earlier attempt recorded it). */
    public boolean escalated(Escalation e) {
        return store.rdKey(e.ticket.id()).isPresent();
    }

    /** The bug is linked to the request, created first in the ticket's lane: until then this row is retried. */
    public void requireRequest(Escalation e) {
        if (e.ticket.jsmKey() == null) {
            throw new IllegalStateException("the JSM request of " + e.ticket.number() + " does not exist yet");
        }
    }

    /** The bug an earlier attempt created, found by the hub number among its labels. */
    public void lookUp(Escalation e) {
        e.bug = find(e.ticket.number()).orElse(null);
    }

    /** Creates the bug in the R&D project: the customer's text, the triage, a link back to the request. */
    public void createBug(Escalation e) {
        Ticket t = e.ticket;
        NewBug.Fields fields = new NewBug.Fields(Ref.key(config.rdProjectKey()), Ref.name(config.bugIssueType()),
                JsmRequests.summary(t), jira.richText(JsmRequests.withTriage(t, texts) + "\n\n"
                        + texts.text("bug.request", "key", t.jsmKey(), "url", config.url().orElse("") + "/browse/"
                                + t.jsmKey())),
                List.of("from-support", t.number()));
        e.bug = jira.post(jira.api() + "/issue", new NewBug(fields), CreatedIssue.class).key();
        if (e.bug == null) {
            throw new PermanentFailure("Jira created a bug without key for " + t.number());
        }
    }

    /** Links the bug to the request (a duplicate link request still succeeds). */
    public void link(Escalation e) {
        jira.post(jira.api() + "/issueLink", new NewLink(Ref.name(config.linkType()), Ref.key(e.ticket.jsmKey()),
                Ref.key(e.bug)));
    }

    /** Records the bug on the ticket, in its history and in the ERP, and tells staff on the request. */
    public void record(Escalation e) {
        Ticket t = e.ticket;
        String key = e.bug;
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            store.setRdKey(t.id(), key);
            ledger.insertEvent(t.id(), new TicketLedger.Event("escalated", "R&D bug " + key, "jira", now));
            records.record(t, "escalated", "R&D bug " + key, null, key, now, now);
            outbox.internalComment(t, texts.text("escalated", "bug", key), now);
        });
        LOG.infof("Ticket %s escalated to R&D as %s", t.number(), key);
    }

    private Optional<String> find(String number) {
        String jql = "project = \"" + config.rdProjectKey() + "\" AND labels = \"" + number + "\"";
        return JiraSearch.search(jira, jql, List.of("summary"), 1).stream().map(Issue::key).findFirst();
    }
}
