package com.esii.support.hub.jira;

import java.time.OffsetDateTime;
import java.time.ZoneId;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.esii.support.hub.sla.SlaConfig;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.ticket.Author;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Step;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketEvent;

/**
 * What the hub has to tell Jira, queued in the caller's transaction. All of one ticket's writes share a lane, so
 * they reach Jira in order (the request is created before its comments, the bug before its link...). Nothing is
 * queued when no Jira is configured. The ticket's events become its JSM request, comments and transitions.
 */
@ApplicationScoped
public class JiraOutbox {

    public static final String CREATE = "jira-create";
    public static final String COMMENT = "jira-comment";
    public static final String ESCALATE = "jira-escalate";
    public static final String TRANSITION = "jira-transition";
    public static final String SYNC = "jira-sync";
    public static final String SUMMARY = "jira-summary";

    /**
     * A comment on the JSM request; {@code messageId}: the hub message whose attachments go with it;
     * {@code participant} and {@code participantName}: who wrote it when not the ticket's customer (a colleague
     * replying), made a participant of the request first (null for the rows queued before it existed).
     */
    public record Comment(String ticket, String body, boolean isPublic, Long messageId, String participant,
            String participantName) {

        public Comment(String ticket, String body, boolean isPublic, Long messageId) {
            this(ticket, body, isPublic, messageId, null, null);
        }
    }

    /**
     * @param files whether the ticket's first message has files (known at intake: the request's step then asks the
     *              database nothing about them); null in a row that does not say (a summary row, an older row)
     */
    public record Create(String ticket, Boolean files) {

        public Create(String ticket) {
            this(ticket, null);
        }
    }

    public record Escalate(String ticket) {
    }

    /** {@code action}: resolve or reopen. */
    public record Transition(String ticket, String action) {
    }

    public record Sync(String issueKey) {
    }

    private final Outbox outbox;
    private final JiraClient jira;
    private final StaffTexts texts;
    private final SlaConfig sla;

    public JiraOutbox(Outbox outbox, JiraClient jira, StaffTexts texts, SlaConfig sla) {
        this.outbox = outbox;
        this.jira = jira;
        this.texts = texts;
        this.sla = sla;
    }

    /**
     * A new ticket becomes a JSM request (first in its lanes), unless it comes from the JSM portal; its triage
     * follows at once as the request's first, internal comment (the customer reads the description on the portal).
     * Each row is written once: the request is looked up by its number, the note by its marker.
     */
    void onOpened(@Observes @Priority(100) TicketEvent.Opened e) {
        if (e.ticket().channel() != Channel.PORTAL) {
            create(e.ticket(), e.at(), e.withAttachments());
            internalComment(e.ticket(), JsmRequests.triage(e.ticket(), texts), e.at());
        }
    }

    /**
     * A customer's message becomes a public comment (with its files), which names who wrote it (the hub's account
     * writes it); a colleague who wrote it becomes a participant of the request. A machine mail, an internal note.
     */
    void onMessage(@Observes TicketEvent.MessageAdded e) {
        if (!"IN".equals(e.direction())) {
            return;
        }
        if (e.visibility() == TicketEvent.Visibility.PUBLIC) {
            Author a = e.author();
            if (a == null || a.address() == null || a.address().isBlank()) {
                publicComment(e.ticket(), e.comment(), e.withAttachments() ? e.messageId() : null, e.at());
                return;
            }
            String who = a.name() == null || a.name().isBlank() || a.name().strip().equalsIgnoreCase(a.address())
                    ? a.address() : a.name().strip() + " <" + a.address() + ">";
            String body = texts.text("comment.wrote", "who", who) + "\n\n" + e.comment();
            if (enabled()) {
                outbox.enqueue(COMMENT, lane(e.ticket().number()), e.ticket().id(), new Comment(e.ticket().number(),
                        body, true, e.withAttachments() ? e.messageId() : null,
                        a.isCustomerOf(e.ticket()) ? null : a.address(),
                        a.isCustomerOf(e.ticket()) ? null : a.name()), e.at());
            }
        } else {
            internalComment(e.ticket(), e.comment(), e.at());
        }
    }

    /** The hub's notes for staff become internal comments. */
    void onNote(@Observes TicketEvent.Noted e) {
        internalComment(e.ticket(), e.note(), e.at());
    }

    /** The customer's "how did we do?" (issue 26.11): an internal comment, in the desk's language, with their words. */
    void onSatisfaction(@Observes TicketEvent.SatisfactionGiven e) {
        internalComment(e.ticket(), satisfaction(e, texts), e.at());
    }

    /** The rating, poor or not, then the customer's comment as they wrote it (or that there is none). */
    static String satisfaction(TicketEvent.SatisfactionGiven e, StaffTexts texts) {
        String rating = texts.text("satisfaction.comment", "rating", e.rating(), "label",
                texts.text("satisfaction.label." + e.rating()));
        return rating + (e.poor() ? " " + texts.text("satisfaction.poor") : "") + "\n\n"
                + (e.comment() == null ? texts.text("satisfaction.no-comment")
                        : texts.text("satisfaction.words", "comment", e.comment()));
    }

    /** The customer's reply within the reopen window reopens the request too (staff's steps come from Jira). */
    void onStep(@Observes TicketEvent.StepRecorded e) {
        if (e.step() == Step.REOPENED && "customer".equals(e.source())) {
            transition(e.ticket(), "reopen", e.at());
        }
    }

    /** Staff read the new triage, after the on-call side's own notes (paging) on the request. */
    void onRetriaged(@Observes @Priority(200) TicketEvent.Retriaged e) {
        internalComment(e.ticket(), retriaged(e.ticket()), e.at());
    }

    /** The new triage in the desk's language (the event's description is the history's, in English). */
    private String retriaged(Ticket t) {
        Ticket.Triage tr = t.triage();
        OffsetDateTime due = t.sla() == null ? null : t.sla().takeChargeDue();
        String deadline = due == null ? texts.text("retriaged.no-deadline")
                : texts.text("retriaged.deadline", "due",
                        texts.time(due.atZoneSameInstant(ZoneId.of(sla.zone()))));
        return texts.text("retriaged", "contract", texts.contract(tr.contract()), "reason",
                texts.contractReason(tr.contractReason()), "kind", texts.kind(t.kind()), "criticality",
                texts.criticality(t.criticality()), "kindRule", tr.kindRule(), "criticalityRule", tr.criticalityRule(), "priority", tr.priority(),
                "deadline", deadline);
    }

    public boolean enabled() {
        return jira.configured();
    }

    public static String lane(String ticketNumber) {
        return "jira:" + ticketNumber;
    }

    /** @param files whether its first message has files, if known */
    public void create(Ticket t, OffsetDateTime now, Boolean files) {
        if (enabled()) {
            outbox.add(CREATE, lane(t.number()), t.id(), new Create(t.number(), files), now);
        }
    }

    public void publicComment(Ticket t, String body, Long messageId, OffsetDateTime now) {
        if (enabled()) {
            outbox.enqueue(COMMENT, lane(t.number()), t.id(), new Comment(t.number(), body, true, messageId), now);
        }
    }

    public void internalComment(Ticket t, String body, OffsetDateTime now) {
        if (enabled()) {
            outbox.add(COMMENT, lane(t.number()), t.id(), new Comment(t.number(), body, false, null), now);
        }
    }

    public void escalate(Ticket t, OffsetDateTime now) {
        if (enabled()) {
            outbox.enqueue(ESCALATE, lane(t.number()), t.id(), new Escalate(t.number()), now);
        }
    }

    public void transition(Ticket t, String action, OffsetDateTime now) {
        if (enabled()) {
            outbox.enqueue(TRANSITION, lane(t.number()), t.id(), new Transition(t.number(), action), now);
        }
    }

    /** Puts the hub number in the summary of a request opened on the portal ({@code [SUP-…] summary}). */
    public void numberInSummary(Ticket t, OffsetDateTime now) {
        if (enabled()) {
            outbox.enqueue(SUMMARY, lane(t.number()), t.id(), new Create(t.number()), now);
        }
    }

    /** Brings an issue's news into the hub (after a webhook, or when the reconciliation saw it change). */
    public void sync(String issueKey, OffsetDateTime now) {
        if (enabled()) {
            outbox.enqueue(SYNC, "jira-in:" + issueKey, null, new Sync(issueKey), now);
        }
    }
}
