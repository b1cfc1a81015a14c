package com.esii.support.hub.triage;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxHandler;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.outbox.TargetUnavailable;
import com.esii.support.hub.ticket.ContractLookup;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketEvent;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Triages a ticket again once the ERP answers, when it could not be asked at creation ("contract unknown"): the
 * contract, the priority and the deadlines are set from the ERP's answer and the change is recorded in the
 * ticket's history ({@link TicketEvent.Retriaged}). Retried, through the outbox, for as long as the ERP is down; dead
 * at once when the ERP refuses the question (a fault on the ERP's side that retrying does not cure).
 */
@ApplicationScoped
public class ContractRetriage implements OutboxHandler {

    public static final String TYPE = "contract-retriage";
    private static final Logger LOG = Logger.getLogger(ContractRetriage.class);

    public record Payload(String ticket) {
    }

    private final ContractSource contracts;
    private final TicketLedger ledger;
    private final TicketTriage triage;
    private final ObjectMapper json;
    private final Clock clock;
    private final Outbox outbox;
    private final Event<TicketEvent> events;

    public ContractRetriage(ContractSource contracts, TicketLedger ledger, TicketTriage triage, ObjectMapper json,
            Clock clock, Outbox outbox, Event<TicketEvent> events) {
        this.contracts = contracts;
        this.outbox = outbox;
        this.events = events;
        this.ledger = ledger;
        this.triage = triage;
        this.json = json;
        this.clock = clock;
    }

    /**
     * A ticket opened while the ERP could not be asked (contract unknown) is triaged again once it answers. After
     * the integrations' own rows (Jira, ERP, on-call), before the acknowledgement, as intake always queued it.
     */
    void onOpened(@Observes @Priority(400) TicketEvent.Opened e) {
        Ticket t = e.ticket();
        if (t.triage() != null && Ticket.UNKNOWN.equals(t.triage().contract()) && contracts.configured()) {
            outbox.enqueue(TYPE, "triage:" + t.number(), t.id(), new Payload(t.number()), e.at());
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void handle(OutboxRow row) throws Exception {
        String number = json.readValue(row.payload(), Payload.class).ticket();
        Ticket ticket = ledger.findByNumber(number).orElse(null);
        if (ticket == null || ticket.triage() == null || !Ticket.UNKNOWN.equals(ticket.triage().contract())) {
            return; // gone, or triaged since (by staff or an earlier attempt)
        }
        ContractLookup lookup = contracts.identify(ticket.accessCode(), ticket.customerEmail(), null);
        if (lookup.refused()) {
            // Asking again will not help: dead, visible and counted, until an operator replays it once the ERP's
            // service is fixed (meanwhile the ticket keeps its provisional deadlines).
            throw new PermanentFailure(lookup.reason());
        }
        if (!lookup.answered()) {
            // The ERP is down: retried for as long as it takes, never given up (the ticket keeps its provisional
            // deadlines meanwhile); not before the ERP client's own pause after a failure ends.
            Duration wait = Duration.between(clock.instant(), contracts.pausedUntil());
            throw new TargetUnavailable(lookup.reason(), null, wait.isNegative() || wait.isZero() ? null : wait);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            Ticket locked = ledger.lockById(ticket.id()).orElseThrow();
            if (!Ticket.UNKNOWN.equals(locked.triage().contract())) {
                return;
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            Ticket retriaged = triage.retriaged(locked, lookup, now);
            ledger.updateTriageAndSla(retriaged);
            String description = TicketIntake.describe(retriaged);
            ledger.insertEvent(locked.id(), new TicketLedger.Event("retriaged", "ERP answered: " + description, "erp",
                    now));
            events.fire(new TicketEvent.Retriaged(retriaged, description, now));
            LOG.infof("Ticket %s triaged again: contract %s, priority %d", number, retriaged.triage().contract(),
                    retriaged.triage().priority());
        });
    }
}
