package com.esii.support.hub.oncall;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.esii.support.hub.ticket.OutOfHours;
import com.esii.support.hub.sla.Calendars;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketEvent;

/**
 * What a new ticket starts on the on-call side, inside the transaction that creates it: its deadline watchdog and,
 * for a blocking anomaly of an on-call customer written out of hours, the first page. The same once a ticket
 * opened with its contract unknown is triaged again. Also what the customer's acknowledgement says about when the
 * ticket will be taken in charge.
 */
@ApplicationScoped
public class OnCall implements OutOfHours {

    private final DeadlineWatchdog watchdog;
    private final Paging paging;
    private final Calendars calendars;
    private final PageStore pages;

    public OnCall(DeadlineWatchdog watchdog, Paging paging, Calendars calendars, PageStore pages) {
        this.pages = pages;
        this.watchdog = watchdog;
        this.paging = paging;
        this.calendars = calendars;
    }

    /** Quartz jobs and the first page: after the ticket's Jira and ERP rows, which the page's notes follow. */
    void onOpened(@Observes @Priority(300) TicketEvent.Opened e) {
        opening.set(new Opening(e.ticket().id(), opened(e.ticket(), e.at())));
    }

    /** Now that the contract is known: the watchdog's steps, and the page if the customer has the on-call option. */
    void onRetriaged(@Observes @Priority(100) TicketEvent.Retriaged e) {
        opened(e.ticket(), e.at());
    }

    /** Whether a page was recorded. */
    private boolean opened(Ticket t, OffsetDateTime now) {
        watchdog.watch(t, now);
        return paging.opened(t, now);
    }

    /** The ticket this thread opened last and whether its opening paged ({@link #pagedForGood}). */
    private record Opening(long ticket, boolean paged) {
    }

    private final ThreadLocal<Opening> opening = new ThreadLocal<>();

    /**
     * Whether the on-call technician was paged for this ticket, for good, asked in the transaction that opens it
     * after {@link #onOpened} (the acknowledgement's row, queued last, carries it: issue 29). A page recorded now stays
     * (pages are never removed); none recorded now means none ever when the contract is known, since a first page
     * comes only with the opening or with the re-triage of a ticket opened with its contract unknown (the
     * escalation's pages follow a first one). So: true when paged; false when not and the contract is not unknown; empty
     * when the contract is unknown (a re-triage may page before the acknowledgement is sent) or this thread did not
     * open the ticket.
     */
    @Override
    public Optional<Boolean> pagedForGood(Ticket t) {
        Opening o = opening.get();
        if (o == null || o.ticket() != t.id()) {
            return Optional.empty();
        }
        if (o.paged()) {
            return Optional.of(true);
        }
        // as ContractRetriage queues a re-triage: for a contract unknown at the opening
        boolean mayBeTriagedAgain = t.triage() != null && Ticket.UNKNOWN.equals(t.triage().contract());
        return mayBeTriagedAgain ? Optional.empty() : Optional.of(false);
    }

    /**
     * For a ticket written while its desk is closed and that pages nobody (no on-call option, or not a blocking
     * anomaly): when the desk opens again and takes it in charge, in the desk's zone. Empty otherwise.
     */
    @Override
    public Optional<ZonedDateTime> takenInChargeFrom(Ticket t) {
        Instant created = t.createdAt().toInstant();
        var calendar = calendars.named(t.triage() == null ? null : t.triage().calendar());
        if (calendar.isOpen(created) || paging.applies(t, created)) {
            return Optional.empty();
        }
        return Optional.of(calendar.plus(created, java.time.Duration.ZERO).atZone(calendar.zone()));
    }

    /** Whether a page went out for the ticket (the first is recorded in the transaction that creates it). */
    @Override
    public boolean paged(Ticket t) {
        return !pages.pages(t.id()).isEmpty();
    }
}
