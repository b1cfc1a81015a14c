package com.esii.support.hub.jira;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A request opened on the JSM portal gets the hub number in its summary ({@code [SUP-…] …}) and in
 * {@code hub.jira.hub-number-field} when set, like the requests the hub creates: staff and customers speak of the
 * same ticket, and the hub recognises it as its own.
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/jira.yaml}), which performs the {@code jira-summary} rows.
 */
@ApplicationScoped
@Named("jsmSummary")
public class JsmSummary {

    private final JiraClient jira;
    private final TicketLedger ledger;
    private final JiraConfig config;
    private final ObjectMapper json;

    public JsmSummary(JiraClient jira, TicketLedger ledger, JiraConfig config, ObjectMapper json) {
        this.jira = jira;
        this.ledger = ledger;
        this.config = config;
        this.json = json;
    }

    /** The route performing jira-summary rows ({@code routes/jira.yaml}). */
    public static final String ROUTE = "jsm-portal-summary";

    /** The ticket of the row; its request's key comes from the portal: until it is recorded this is retried. */
    public Ticket load(OutboxRow row) throws Exception {
        String number = json.readValue(row.payload(), JiraOutbox.Create.class).ticket();
        Ticket t = ledger.findByNumber(number).orElseThrow(() -> new PermanentFailure("no ticket " + number));
        if (t.jsmKey() == null) {
            throw new IllegalStateException("the JSM request of " + number + " is not known yet");
        }
        return t;
    }

    /** Puts the hub number in the request's summary (and its field); setting it twice changes nothing. */
    public void number(Ticket t) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("summary", JsmRequests.summary(t));
        config.hubNumberField().ifPresent(f -> fields.put(f, t.number()));
        jira.put(jira.api() + "/issue/" + t.jsmKey(), Map.of("fields", fields));
    }
}
