package com.esii.support.hub.jira;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.jira.dto.Comment;
import com.esii.support.hub.jira.dto.CommentPage;
import com.esii.support.hub.jira.dto.NewComment;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * A comment on the ticket's JSM request: public for the customer's own words (their replies, with their files,
 * under a first line naming who wrote them; a colleague who wrote is made a participant of the request first),
 * internal for the hub's notes to staff (the triage first). The comment's id is remembered as the hub's own, so that it is
 * never taken for staff's when it comes back by webhook.
 *
 * <p>Never twice: every comment ends with its marker ({@link #marker}: the hub number and the outbox row), and a
 * row that may have reached Jira before ({@link OutboxRow#mayHaveReachedTarget()}) first lists the request's comments
 * and its attachments, and writes only what is not there yet.
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/jira.yaml}), which performs the {@code jira-comment} rows.
 */
@ApplicationScoped
@Named("jsmComments")
public class JsmComments {

    private static final Logger LOG = Logger.getLogger(JsmComments.class);

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

    /** The route performing jira-comment rows ({@code routes/jira.yaml}). */
    public static final String ROUTE = "jsm-comment";

    /** One comment (and its files) on its way to the request. */
    public static final class Writing {
        private final OutboxRow row;
        private final JiraOutbox.Comment comment;
        private final Ticket ticket;
        private List<TicketLedger.StoredAttachment> files;
        private String commentId;

        Writing(OutboxRow row, JiraOutbox.Comment comment, Ticket ticket, List<TicketLedger.StoredAttachment> files) {
            this.row = row;
            this.comment = comment;
            this.ticket = ticket;
            this.files = files;
        }

        /** The files of the customer's message, to attach to the request. */
        public boolean hasFiles() {
            return !files.isEmpty();
        }

        /** A comment to write (a row may carry only files). */
        public boolean hasText() {
            return comment.body() != null && !comment.body().isBlank();
        }

        /** Who wrote it is not the ticket's customer (a colleague replying): a participant of the request. */
        public boolean hasParticipant() {
            return comment.participant() != null && !comment.participant().isBlank();
        }

        /** An earlier claim of the row may have attached the files or written the comment. */
        public boolean mayHaveReachedTarget() {
            return row.mayHaveReachedTarget();
        }

        /** The comment is on the request (written now, or found with its marker). */
        public boolean written() {
            return commentId != null;
        }
    }

    /**
     * The ticket and the files of the row's message. The request is created first in the ticket's lane; while it
     * does not exist (its creation is dead, waiting for its replay) this fails and the row is retried.
     */
    public Writing load(OutboxRow row) throws Exception {
        JiraOutbox.Comment c = json.readValue(row.payload(), JiraOutbox.Comment.class);
        // as the relay read it with the row (after the request's row was done: its key is there), else read here
        Ticket t = row.ticket(c.ticket()).or(() -> ledger.findByNumber(c.ticket())).orElseThrow(() -> new PermanentFailure("no ticket " + c.ticket()));
        if (t.jsmKey() == null) {
            throw new IllegalStateException("the JSM request of " + t.number() + " does not exist yet");
        }
        List<TicketLedger.StoredAttachment> files = c.messageId() == null ? List.of()
                : ledger.attachments(t.id(), c.messageId());
        return new Writing(row, c, t, files);
    }

    /** Leaves out the files an earlier attempt attached already (by name and size). */
    public void leaveOutAttached(Writing w) {
        w.files = requests.notYetAttached(w.ticket.jsmKey(), w.files);
    }

    /** Attaches the files to the request (public). */
    public void attach(Writing w) {
        requests.attach(w.ticket.jsmKey(), w.files, null);
    }

    /**
     * Makes who wrote it a participant of the request (adding one twice changes nothing: no look-up first). Jira
     * refusing it (a request type without participants, a permission: 4xx) is logged and the comment is written all
     * the same: it is what staff must read, and a dead row would hold the ticket's lane. Jira away: retried.
     */
    public void addParticipant(Writing w) {
        try {
            requests.addParticipant(w.ticket.jsmKey(), w.comment.participant(), w.comment.participantName());
        } catch (PermanentFailure refused) {
            LOG.warnf("Ticket %s: %s could not be made a participant of %s (%s); the comment is written all the same",
                    w.ticket.number(), w.comment.participant(), w.ticket.jsmKey(), refused.getMessage());
        }
    }

    /** The comment an earlier attempt wrote, found by its marker. */
    public void lookUpMarker(Writing w) {
        w.commentId = existing(w.ticket.jsmKey(), marker(w.ticket.number(), w.row.id())).orElse(null);
    }

    /** Writes the comment, public or internal, ending with its marker. */
    public void post(Writing w) {
        Comment created = jira.post("/rest/servicedeskapi/request/" + w.ticket.jsmKey() + "/comment",
                new NewComment(w.comment.body() + "\n\n" + marker(w.ticket.number(), w.row.id()), w.comment.isPublic()),
                Comment.class);
        w.commentId = created.id();
    }

    /** Remembers the comment's id as the hub's own, so that it is not taken for staff's when it comes back. */
    public void remember(Writing w) {
        String commentId = w.commentId;
        if (commentId != null) {
            QuarkusTransaction.requiringNew()
                    .run(() -> store.rememberComment(commentId, w.ticket.jsmKey(), true, OffsetDateTime.now(clock)));
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
            CommentPage page = jira.get("/rest/servicedeskapi/request/" + key + "/comment",
                    Map.of("start", String.valueOf(start), "limit", "100"), CommentPage.class);
            for (Comment comment : page.values()) {
                if (JiraClient.plainText(comment.body()).contains(marker)) {
                    return Optional.of(comment.id());
                }
            }
            if (page.last()) {
                return Optional.empty();
            }
            start += page.values().size();
        }
    }
}
