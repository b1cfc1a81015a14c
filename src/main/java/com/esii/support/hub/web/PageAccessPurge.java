package com.esii.support.hub.web;

import java.time.Clock;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.ticket.RequestLists;
import com.esii.support.hub.ticket.TicketLedger;

/**
 * Forgets the ways into the request pages that have had their time (table ticket_access): the browser sessions past
 * their expiry ({@code hub.status-page.session-ttl}) and the links sent again or with a notice older than
 * {@code hub.status-page.link-retention} ("Lost your link?" sends new ones; the acknowledgement's own token, kept
 * by the ticket, stays); and the links to a customer's list of requests and their sessions once expired (table
 * request_list_access, {@code hub.status-page.list-link-ttl}). Hourly on every replica
 * ({@code routes/ticket-api.yaml}): a DELETE by time, so two replicas purging at once do no harm.
 */
@ApplicationScoped
@Named("pageAccessPurge")
public class PageAccessPurge {

    private static final Logger LOG = Logger.getLogger(PageAccessPurge.class);

    private final TicketLedger ledger;
    private final RequestLists lists;
    private final WebConfig config;
    private final Clock clock;

    public PageAccessPurge(TicketLedger ledger, RequestLists lists, WebConfig config, Clock clock) {
        this.ledger = ledger;
        this.lists = lists;
        this.config = config;
        this.clock = clock;
    }

    public int purge() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        int purged = ledger.purgeAccess(now, now.minus(config.statusPage().linkRetention()));
        if (purged > 0) {
            LOG.infof("Request pages: %d expired sessions and links past their retention purged", purged);
        }
        int lists = this.lists.purge(now);
        if (lists > 0) {
            LOG.infof("Request lists: %d expired links and sessions purged", lists);
        }
        return purged + lists;
    }
}
