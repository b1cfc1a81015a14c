package com.esii.support.hub.api;

import java.time.OffsetDateTime;
import java.util.Locale;

import com.esii.support.hub.ticket.Ticket;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A ticket as its holder may see it: no internal field (Jira key, token hash, contract). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TicketView(
        String number,
        String status,
        String subject,
        String product,
        String kind,
        String impact,
        String language,
        String channel,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        String accessToken,
        String statusUrl,
        Integer priority,
        String contract,
        Reasons triage) {

    /** Which rule decided what ("form": the customer chose; "default": no rule fired). */
    public record Reasons(String kindRule, String impactRule) {
    }

    public static TicketView of(Ticket t, String accessToken, String statusUrl) {
        return new TicketView(t.number(), t.status().name().toLowerCase(Locale.ROOT), t.subject(), t.product(),
                t.kind() == null ? null : t.kind().code(), t.criticality() == null ? null : t.criticality().code(),
                t.language().code(), t.channel().name().toLowerCase(Locale.ROOT), t.createdAt(), t.updatedAt(),
                accessToken, statusUrl, t.triage() == null ? null : t.triage().priority(),
                t.triage() == null ? null : t.triage().contract(),
                t.triage() == null || t.triage().kindRule() == null ? null
                        : new Reasons(t.triage().kindRule(), t.triage().criticalityRule()));
    }
}
