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
        OffsetDateTime updatedAt) {
}
