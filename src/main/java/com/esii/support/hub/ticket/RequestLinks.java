package com.esii.support.hub.ticket;

import java.util.Optional;

/**
 * Where staff open a ticket's request (implemented by the Jira edge): how an edge that is not Jira (a page, a
 * warning) links to it without knowing Jira.
 */
public interface RequestLinks {

    /** The agent view of the ticket's JSM request, when the request exists and a Jira is configured. */
    Optional<String> agentView(Ticket t);

    /** Whether tickets get a request at all (a Jira is configured): a ticket without one may still be given one. */
    boolean raised();
}
