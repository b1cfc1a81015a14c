package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;

/**
 * How the ticket's workflow gets its triage (implemented by the {@code triage} package): the customer's contract,
 * the kind and criticality, the priority and the contractual deadlines of a new ticket, and the contractual clock
 * that support's steps move.
 */
public interface Triager {

    /**
     * The customer's contract, as far as it can be known now. Asked before the ticket's transaction (the ERP may be
     * slow or down); never throws.
     */
    ContractLookup lookUp(String accessCode, String email);

    /** The whole triage of a new ticket; {@code chosenKind}/{@code chosenCriticality}: the customer's, or null. */
    Triaged triage(String subject, String text, Kind chosenKind, Criticality chosenCriticality, ContractLookup lookup,
            OffsetDateTime created);

    /** The contractual clock of a ticket (on its contract's calendar). */
    ContractClock clock(Ticket t);

    /** A new ticket's triage: its kind and criticality, the triage as recorded, and its deadlines. */
    record Triaged(Kind kind, Criticality criticality, Ticket.Triage triage, Ticket.Sla sla) {
    }
}
