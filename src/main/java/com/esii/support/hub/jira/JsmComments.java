package com.esii.support.hub.jira;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 *
 * <p>Never twice: every comment ends with its marker ({@link #marker}: the hub number and the outbox row), and a
 * row that may have reached Jira before ({@link OutboxRow#mayHaveReachedTarget()}) first lists the request's comments
 * and its attachments, and writes only what is not there yet.
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
        boolean retried = row.mayHaveReachedTarget();
        if (c.messageId() != null) {
            List<TicketLedger.StoredAttachment> files = ledger.attachments(t.id(), c.messageId());
            if (retried && !files.isEmpty()) {
                files = requests.notYetAttached(t.jsmKey(), files);
            }
            requests.attach(t.jsmKey(), files, null);
        }
        if (c.body() == null || c.body().isBlank()) {
            return;
        }
        String marker = marker(t.number(), row.id());
        String id = retried ? existing(t.jsmKey(), marker).orElse(null) : null;
        if (id == null) {
            JsonNode created = jira.post("/rest/servicedeskapi/request/" + t.jsmKey() + "/comment",
                    Map.of("body", c.body() + "\n\n" + marker, "public", c.isPublic()));
            id = created.path("id").asText(null);
        }
        String commentId = id;
        if (commentId != null) {
            QuarkusTransaction.requiringNew()
                    .run(() -> store.rememberComment(commentId, t.jsmKey(), true, OffsetDateTime.now(clock)));
        }
    }

    /** The line that ends every comment the hub writes: which ticket and which outbox row wrote it. */
    public static String marker(String ticketNumber, long rowId) {
        return "(ref. " + ticketNumber + "/" + rowId + ")";
    }

    /** True when a comment body carries a hub marker (a comment the hub wrote, whatever its author shows). */
    public static boolean written(String body) {
        return body != null && MARKER.matcher(body).find();
    }

    private static final java.util.regex.Pattern MARKER = java.util.regex.Pattern
            .compile("\\(ref\\. [A-Za-z0-9]+-\\d{4}-\\d{6}/\\d+\\)\\s*$");

    /** The id of the request's comment that carries {@code marker}, if an earlier attempt wrote it. */
    Optional<String> existing(String key, String marker) {
        int start = 0;
        while (true) {
            JsonNode page = jira.get("/rest/servicedeskapi/request/" + key + "/comment",
                    Map.of("start", String.valueOf(start), "limit", "100"));
            for (JsonNode comment : page.path("values")) {
                if (JiraClient.plainText(comment.path("body")).contains(marker)) {
                    return Optional.of(comment.path("id").asText());
                }
            }
            int size = page.path("values").size();
            if (page.path("isLastPage").asBoolean(true) || size == 0) {
                return Optional.empty();
            }
            start += size;
        }
    }
}
