package com.esii.support.hub.triage;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.sla.Calendars;
import com.esii.support.hub.sla.SlaConfig;
import com.esii.support.hub.sla.SupportClock;
import com.esii.support.hub.ticket.ContractLookup;
import com.esii.support.hub.ticket.Criticality;
import com.esii.support.hub.ticket.Customer;
import com.esii.support.hub.ticket.Kind;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.Triager;

/**
 * Triages a ticket the moment it is created, by the brochure's rules: the customer's contract (from the ERP),
 * the kind and criticality (the form's choice, else the rules), the priority (contract × kind × criticality), and
 * the contractual deadlines on the contract's business calendar. Every decision keeps its reason.
 */
@ApplicationScoped
public class TicketTriage implements Triager {

    private final Triage triage;
    private final Calendars calendars;
    private final SlaConfig sla;
    private final ContractSource contracts;

    public TicketTriage(Triage triage, Calendars calendars, SlaConfig sla, ContractSource contracts) {
        this.contracts = contracts;
        this.triage = triage;
        this.calendars = calendars;
        this.sla = sla;
    }

    /** The customer by access code, else address, else domain, from the ERP. */
    @Override
    public ContractLookup lookUp(String accessCode, String email) {
        return contracts.identify(accessCode, email, null);
    }

    /** The whole triage of a new ticket. */
    @Override
    public Triaged triage(String subject, String text, Kind chosenKind, Criticality chosenCriticality,
            ContractLookup lookup, OffsetDateTime created) {
        TriageRules rules = triage.rules();
        TriageRules.Classification c = rules.classify(subject, text, chosenKind, chosenCriticality);
        Ticket.Triage t = contract(lookup, rules, c.kind(), c.criticality(), c.kindRule(), c.criticalityRule());
        return new Triaged(c.kind(), c.criticality(), t, clock(t.calendar()).opened(t.contract(), created));
    }

    /** The ticket as triaged again once the ERP answered (its kind and criticality stay as they are). */
    public Ticket retriaged(Ticket ticket, ContractLookup lookup, OffsetDateTime now) {
        Ticket.Triage before = ticket.triage();
        Ticket.Triage t = contract(lookup, triage.rules(), ticket.kind(), ticket.criticality(),
                before == null ? null : before.kindRule(), before == null ? null : before.criticalityRule());
        Ticket.Sla s = clock(t.calendar()).retriaged(ticket.sla() == null ? Ticket.Sla.NONE : ticket.sla(),
                t.contract(), ticket.createdAt());
        return ticket.with(ticket.status(), t, s, now);
    }

    /** The contractual clock of a ticket (on its contract's calendar). */
    @Override
    public SupportClock clock(Ticket t) {
        return clock(t.triage() == null ? null : t.triage().calendar());
    }

    private SupportClock clock(String calendar) {
        return new SupportClock(calendars.named(calendar), sla.takeCharge(), sla.onSite());
    }

    private Ticket.Triage contract(ContractLookup lookup, TriageRules rules, Kind kind, Criticality criticality,
            String kindRule, String criticalityRule) {
        TriageRules.Contract contract;
        String reason;
        Customer customer = lookup.customer().orElse(null);
        if (!lookup.answered()) {
            contract = TriageRules.Contract.UNKNOWN;
            reason = lookup.reason() + "; deadlines held as for a maintained customer until the ERP answers";
        } else if (customer == null) {
            contract = TriageRules.Contract.NOT_MAINTAINED;
            reason = lookup.reason() + ": no maintenance contract";
        } else {
            contract = customer.maintained() ? TriageRules.Contract.MAINTAINED : TriageRules.Contract.NOT_MAINTAINED;
            reason = lookup.reason() + (customer.maintained() ? " (maintained)" : " (not maintained)");
        }
        return new Ticket.Triage(contract.key(), customer == null ? null : customer.code(),
                customer == null ? null : customer.onCall(), customer == null ? null : customer.hosted(),
                customer == null ? null : calendars.resolvedName(customer.calendar()), reason,
                rules.priority(contract, kind, criticality), kindRule, criticalityRule, lookup.accessCodeRecognised());
    }
}
