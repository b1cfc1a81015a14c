package com.esii.support.hub.jira;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.jira.dto.AccountIds;
import com.esii.support.hub.jira.dto.Comment;
import com.esii.support.hub.jira.dto.NewComment;
import com.esii.support.hub.jira.dto.NewCustomer;
import com.esii.support.hub.jira.dto.ServiceDeskRequest;
import com.esii.support.hub.jira.dto.User;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.Criticality;
import com.esii.support.hub.ticket.Kind;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketStatus;
import com.esii.support.hub.ticket.WarmUpStep;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.arc.ClientProxy;

/**
 * Jira's part of the start's warm-up (issue 29): its HTTP client built (the JDK's client and its TLS context), the
 * beans a new ticket's JSM request uses made (they were made at the first ticket's request), and that request's
 * bodies (the customer, the request built from a sample ticket, the triage note) written and samples of Jira's
 * answers read with the client's own mapper and types. Jira is not asked.
 */
@ApplicationScoped
public class JiraWarmUp implements WarmUpStep {

    static final String USER = """
            {"accountId": "qm:0000", "emailAddress": "warm-up@example.invalid", "displayName": "Warm Up"}""";
    static final String REQUEST = """
            {"issueId": "10000", "issueKey": "SD-0", "reporter": {"accountId": "qm:0000", \
            "emailAddress": "warm-up@example.invalid", "displayName": "Warm Up"}, "currentStatus": {"status": "Open"}}""";
    static final String COMMENT = """
            {"id": "10000", "body": "Warm-up", "public": false, "author": {"accountId": "qm:0000"}}""";

    private final JiraClient jira;
    private final JsmRequests requests;
    private final JsmComments comments;
    private final JiraStore store;
    private final StaffTexts texts;

    public JiraWarmUp(JiraClient jira, JsmRequests requests, JsmComments comments, JiraStore store,
            StaffTexts texts) {
        this.jira = jira;
        this.requests = requests;
        this.comments = comments;
        this.store = store;
        this.texts = texts;
    }

    @Override
    public String name() {
        return "Jira client";
    }

    @Override
    public void run() throws Exception {
        if (!jira.configured()) { // (the first call on the client's bean builds it)
            return; // no request the first ticket would make
        }
        ClientProxy.unwrap(comments); // made at their first use otherwise
        ClientProxy.unwrap(store);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Ticket t = new Ticket(0, "SUP-0000-000000", Channel.EMAIL, "Warm Up", "warm-up@example.invalid", null, null,
                null, Language.FR, "Borne en panne", "Bonjour, la borne ne fonctionne plus depuis ce matin.",
                Kind.PROBLEM, Criticality.MINOR, TicketStatus.NEW, null, null, now, now, Ticket.Triage.NONE,
                Ticket.Sla.NONE);
        User u = jira.warmUp(new NewCustomer(t.customerEmail(), t.customerName()), USER, User.class);
        jira.warmUp(new AccountIds(List.of(u.accountId())), "{}", JsonNode.class);
        ServiceDeskRequest r = jira.warmUp(requests.request(t, Optional.of(u.accountId()), List.of()), REQUEST,
                ServiceDeskRequest.class);
        if (!"SD-0".equals(r.issueKey())) {
            throw new IllegalStateException("the sample request's answer was not read");
        }
        jira.warmUp(new NewComment(JsmRequests.triage(t, texts), false), COMMENT, Comment.class);
    }
}
