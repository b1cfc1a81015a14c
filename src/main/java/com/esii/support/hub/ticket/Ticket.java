package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;

/** A ticket as stored in the ledger. */
public record Ticket(
        long id,
        String number,
        Channel channel,
        String customerName,
        String customerEmail,
        String customerCompany,
        String accessCode,
        String product,
        Language language,
        String subject,
        String description,
        Kind kind,
        Criticality criticality,
        TicketStatus status,
        String accessTokenHash,
        String jsmKey,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        Triage triage) {

    /**
     * How the ticket was triaged: the contract as known then (maintained, not-maintained, unknown), the priority
     * (1 is the highest) and the rules that decided its kind and criticality.
     */
    public record Triage(String contract, Integer priority, String kindRule, String criticalityRule) {
        public static final Triage NONE = new Triage(null, null, null, null);
    }
}
