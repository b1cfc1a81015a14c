package com.esii.support.hub.ticket;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Applies support's steps to a ticket (taken in charge, waiting on the customer and back, on-site intervention or
 * exchange decided and done, quote accepted, resolved): its status, its contractual clock and its history change
 * together, under a lock on the ticket so that two steps on it apply one after the other. Each step recorded
 * fires {@link TicketEvent.StepRecorded} in that transaction (the ERP's activity record, Jira's transition...).
 */
@ApplicationScoped
public class TicketProgress {

    private static final Logger LOG = Logger.getLogger(TicketProgress.class);
    static final Set<String> ON_SITE_KINDS = Set.of("intervention", "exchange");

    private final TicketLedger ledger;
    private final Triager triage;
    private final Clock clock;
    private final Event<TicketEvent> events;

    public TicketProgress(TicketLedger ledger, Triager triage, Clock clock, Event<TicketEvent> events) {
        this.events = events;
        this.ledger = ledger;
        this.triage = triage;
        this.clock = clock;
    }

    /**
     * Applies a step in its own transaction.
     *
     * @param at     when it happened (null: now)
     * @param onSite for {@link Step#ON_SITE_DECIDED}: intervention or exchange
     * @return the ticket after the step, empty when there is no such ticket
     * @throws StepRefusedException when the step does not apply to the ticket as it stands
     */
    public Optional<Ticket> apply(String number, Step step, OffsetDateTime at, String onSite, String detail,
            String source) {
        return QuarkusTransaction.requiringNew().call(() -> ledger.lockByNumber(number)
                .map(t -> applyWithin(t, step, at == null ? OffsetDateTime.now(clock) : at, onSite, detail, source)));
    }

    /** Applies a step inside the caller's transaction, to a ticket the caller has locked. */
    public Ticket applyWithin(Ticket t, Step step, OffsetDateTime at, String onSite, String detail, String source) {
        ContractClock c = triage.clock(t);
        Ticket.Sla s = t.sla() == null ? Ticket.Sla.NONE : t.sla();
        String contract = t.triage() == null ? Ticket.UNKNOWN : t.triage().contract();
        TicketStatus status = t.status();
        String note = detail;
        if (status == TicketStatus.CLOSED) {
            throw new StepRefusedException("ticket " + t.number() + " is closed");
        }
        switch (step) {
            case TAKEN_IN_CHARGE -> {
                s = c.takenInCharge(s, at);
                status = TicketStatus.IN_PROGRESS;
            }
            case WAITING_ON_CUSTOMER -> {
                s = c.waiting(s, at);
                status = TicketStatus.WAITING_ON_CUSTOMER;
            }
            case RESUMED -> {
                if (s.waitingSince() == null) {
                    return t; // nothing was paused: a customer's reply on an active ticket changes no deadline
                }
                s = c.resumed(s, at);
                status = s.takenInChargeAt() == null ? TicketStatus.NEW : TicketStatus.IN_PROGRESS;
            }
            case ON_SITE_DECIDED -> {
                String kind = onSite == null ? "intervention" : onSite.strip().toLowerCase(java.util.Locale.ROOT);
                if (!ON_SITE_KINDS.contains(kind)) {
                    throw new StepRefusedException("onSite must be intervention or exchange, not " + onSite);
                }
                if (s.onSiteDecidedAt() != null && s.onSiteDoneAt() == null) {
                    throw new StepRefusedException("an " + s.onSiteKind() + " is already decided on " + t.number());
                }
                s = c.onSiteDecided(s, contract, kind, at);
                if (status == TicketStatus.NEW) {
                    status = TicketStatus.IN_PROGRESS;
                }
                if (s.quoteRequired()) {
                    note = (detail == null ? "" : detail + "; ") + "quote required: the customer has no maintenance"
                            + " contract, the " + kind + " waits for an accepted quote";
                }
            }
            case QUOTE_ACCEPTED -> {
                if (!s.quoteRequired()) {
                    throw new StepRefusedException("no quote is required on " + t.number());
                }
                s = c.quoteAccepted(s, at);
            }
            case WORKSHOP_REPAIRED -> {
                // a unit repaired in the workshop: recorded, the ticket's status does not change
            }
            case SERVICE_RESTORED -> {
                ledger.setRestoredAt(t.id(), at);
            }
            case ON_SITE_DONE -> {
                if (s.onSiteDecidedAt() == null) {
                    throw new StepRefusedException("no on-site intervention or exchange was decided on " + t.number());
                }
                if (s.quoteRequired() && s.quoteAcceptedAt() == null) {
                    throw new StepRefusedException("quote required: the " + s.onSiteKind() + " on " + t.number()
                            + " may not proceed before the customer accepts the quote");
                }
                s = c.onSiteDone(s, at);
            }
            case RESOLVED -> {
                if (status == TicketStatus.RESOLVED) {
                    return t;
                }
                s = c.resolved(s, at);
                status = TicketStatus.RESOLVED;
            }
            case REOPENED -> {
                if (status != TicketStatus.RESOLVED) {
                    return t;
                }
                s = new Ticket.Sla(s.takeChargeDue(), s.takenInChargeAt(), s.onSiteKind(), s.onSiteDecidedAt(),
                        s.onSiteDue(), s.onSiteDoneAt(), s.quoteRequired(), s.quoteAcceptedAt(), null,
                        s.pausedSeconds(), null);
                status = s.takenInChargeAt() == null ? TicketStatus.NEW : TicketStatus.IN_PROGRESS;
            }
        }
        Ticket after = t.with(status, t.triage(), s, at.isAfter(t.updatedAt()) ? at : t.updatedAt());
        ledger.updateTriageAndSla(after);
        ledger.insertEvent(t.id(), new TicketLedger.Event(step.code(), note, source, at));
        events.fire(new TicketEvent.StepRecorded(after, t, step, note, source, at));
        LOG.infof("Ticket %s: %s (%s)", t.number(), step.code(), source);
        return after;
    }
}
