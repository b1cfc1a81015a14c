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
        Triage triage,
        Sla sla) {

    public static final String MAINTAINED = "maintained";
    public static final String NOT_MAINTAINED = "not-maintained";
    public static final String UNKNOWN = "unknown";

    /**
     * How the ticket was triaged: the contract as known then (maintained, not-maintained, unknown when the ERP
     * could not be asked), the ERP's customer and its options, the priority (1 is the highest) and why: the rules
     * that decided the kind and the criticality, and how the customer was found; whether the access code given
     * named a contract ({@code accessCodeRecognised}: null when none was given or the ERP could not be asked).
     */
    public record Triage(String contract, String customerCode, Boolean onCall, Boolean hosted, String calendar,
            String contractReason, Integer priority, String kindRule, String criticalityRule,
            Boolean accessCodeRecognised) {
        public static final Triage NONE = new Triage(null, null, null, null, null, null, null, null, null, null);

        /** The access code the customer gave named no contract in the ERP. */
        public boolean accessCodeUnknown() {
            return Boolean.FALSE.equals(accessCodeRecognised);
        }
    }

    /**
     * The contractual clock: the take-charge deadline and when it was met; the on-site intervention (or hardware
     * exchange) once decided, its deadline and when it was done; "quote required" for a customer without
     * maintenance; the current pause (waiting on the customer) and the business time of the finished ones.
     */
    public record Sla(OffsetDateTime takeChargeDue, OffsetDateTime takenInChargeAt, String onSiteKind,
            OffsetDateTime onSiteDecidedAt, OffsetDateTime onSiteDue, OffsetDateTime onSiteDoneAt,
            boolean quoteRequired, OffsetDateTime quoteAcceptedAt, OffsetDateTime waitingSince, long pausedSeconds,
            OffsetDateTime resolvedAt) {
        public static final Sla NONE = new Sla(null, null, null, null, null, null, false, null, null, 0, null);

        public Sla withTakeChargeDue(OffsetDateTime due) {
            return new Sla(due, takenInChargeAt, onSiteKind, onSiteDecidedAt, onSiteDue, onSiteDoneAt, quoteRequired,
                    quoteAcceptedAt, waitingSince, pausedSeconds, resolvedAt);
        }
    }

    public Ticket with(TicketStatus newStatus, Triage newTriage, Sla newSla, OffsetDateTime now) {
        return new Ticket(id, number, channel, customerName, customerEmail, customerCompany, accessCode, product,
                language, subject, description, kind, criticality, newStatus, accessTokenHash, jsmKey, createdAt, now,
                newTriage, newSla);
    }

    /** The ticket as written: its row's id and the number it was given. */
    public Ticket written(long newId, String newNumber) {
        return new Ticket(newId, newNumber, channel, customerName, customerEmail, customerCompany, accessCode, product,
                language, subject, description, kind, criticality, status, accessTokenHash, jsmKey, createdAt,
                updatedAt, triage, sla);
    }
}
