package com.esii.support.hub.api;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;

import com.esii.support.hub.ticket.Ticket;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A ticket as its holder may see it: its status, its triage (contract, kind, criticality, priority and why) and
 * its contractual deadlines, in Paris time. No internal field (Jira key, token hash, customer options).
 */
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
        Reasons triage,
        Deadlines deadlines,
        Boolean quoteRequired) {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /**
     * Why: which rule decided the kind and the impact ("form": the customer chose; "default": no rule fired), and
     * how the contract was found.
     */
    public record Reasons(String kindRule, String impactRule, String contractReason) {
    }

    /**
     * The contractual deadlines (none for a customer without maintenance). {@code provisional}: the contract is
     * not known yet (the ERP could not be asked) and the deadlines are those of a maintained customer meanwhile.
     * {@code pausedSince}: the ticket waits on the customer; the clock is stopped and the deadlines move by the
     * business time of the pause when it resumes.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Deadlines(OffsetDateTime takeChargeBy, OffsetDateTime takenInChargeAt, String onSite,
            OffsetDateTime onSiteDecidedAt, OffsetDateTime onSiteBy, OffsetDateTime onSiteDoneAt,
            OffsetDateTime pausedSince, Boolean provisional) {
    }

    public static TicketView of(Ticket t, String accessToken, String statusUrl) {
        Ticket.Triage tr = t.triage() == null ? Ticket.Triage.NONE : t.triage();
        Ticket.Sla s = t.sla() == null ? Ticket.Sla.NONE : t.sla();
        Deadlines deadlines = new Deadlines(paris(s.takeChargeDue()), paris(s.takenInChargeAt()), s.onSiteKind(),
                paris(s.onSiteDecidedAt()), paris(s.onSiteDue()), paris(s.onSiteDoneAt()), paris(s.waitingSince()),
                Ticket.UNKNOWN.equals(tr.contract()) ? Boolean.TRUE : null);
        return new TicketView(t.number(), t.status().name().toLowerCase(Locale.ROOT), t.subject(), t.product(),
                t.kind() == null ? null : t.kind().code(), t.criticality() == null ? null : t.criticality().code(),
                t.language().code(), t.channel().name().toLowerCase(Locale.ROOT), t.createdAt(), t.updatedAt(),
                accessToken, statusUrl, tr.priority(), tr.contract(),
                tr.kindRule() == null ? null : new Reasons(tr.kindRule(), tr.criticalityRule(), tr.contractReason()),
                deadlines, tr.contract() == null ? null : s.quoteRequired());
    }

    private static OffsetDateTime paris(OffsetDateTime t) {
        return t == null ? null : t.atZoneSameInstant(PARIS).toOffsetDateTime();
    }
}
