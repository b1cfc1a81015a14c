package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Someone asked on the web for the links to the requests of an address ("lost your link?"): a new link was issued
 * for each of its latest tickets, to be mailed to that address only. Fired in the transaction that stored the
 * links; the mail side queues the mail from it. Fired only when the address has tickets.
 *
 * @param language the language the links were asked in
 */
public record LinksRequested(String address, Language language, List<IssuedLink> links, OffsetDateTime at) {

    /** A ticket and a new token to its page (in clear: only this mail carries it). */
    public record IssuedLink(Ticket ticket, String token) {
    }
}
