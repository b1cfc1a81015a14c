package com.esii.support.hub.triage;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.outbox.Outbox;
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
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/erp.yaml}), which performs the {@code contract-retriage} rows.
 */
@ApplicationScoped
@Named("contractRetriage")
public class ContractRetriage {

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
            outbox.add(TYPE, "triage:" + t.number(), t.id(), new Payload(t.number()), e.at());
        }
    }

    /** The route performing contract-retriage rows ({@code routes/erp.yaml}). */
    public static final String ROUTE = "erp-contract-retriage";

    /** One re-triage: the ticket, then the ERP's answer. */
    public static final class Retriage {
        private final String number;
        private final Ticket ticket;
        private ContractLookup lookup;

        Retriage(String number, Ticket ticket) {
            this.number = number;
            this.ticket = ticket;
        }

        /** The contract is still unknown (the ticket is not gone, nor triaged since by staff or an earlier attempt). */
        public boolean contractUnknown() {
            return ticket != null && ticket.triage() != null && Ticket.UNKNOWN.equals(ticket.triage().contract());
        }
    }

    /** The ticket of the row. */
    public Retriage load(OutboxRow row) throws Exception {
        String number = json.readValue(row.payload(), Payload.class).ticket();
        return new Retriage(number, ledger.findByNumber(number).orElse(null));
    }

    /**
     * Asks the ERP who the customer is and what contract they have. The ERP down: retried for as long as it takes,
     * never given up (the ticket keeps its provisional deadlines meanwhile), not before the ERP client's own pause
     * after a failure ends. The ERP refusing the question: asking again will not help, dead (visible and counted)
     * until an operator replays it once the ERP's service is fixed.
     */
    public void ask(Retriage r) {
        Ticket ticket = r.ticket;
        ContractLookup lookup = contracts.identify(ticket.accessCode(), ticket.customerEmail(), null);
        if (lookup.refused()) {
            throw new PermanentFailure(lookup.reason());
        }
        if (!lookup.answered()) {
            Duration wait = Duration.between(clock.instant(), contracts.pausedUntil());
            throw new TargetUnavailable(lookup.reason(), null, wait.isNegative() || wait.isZero() ? null : wait);
        }
        r.lookup = lookup;
    }

    /** Triages the ticket again from the ERP's answer and records the change ({@link TicketEvent.Retriaged}). */
    public void retriage(Retriage r) {
        Ticket ticket = r.ticket;
        ContractLookup lookup = r.lookup;
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
            LOG.infof("Ticket %s triaged again: contract %s, priority %d", r.number, retriaged.triage().contract(),
                    retriaged.triage().priority());
        });
    }
}
