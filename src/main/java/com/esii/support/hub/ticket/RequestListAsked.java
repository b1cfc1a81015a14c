package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;

/**
 * Someone asked on the web for the list of an address's requests ("my requests"): a link to it was issued, to be
 * mailed to that address only. Fired in the transaction that stored the link's hash, and only when the address has
 * requests; the mail side queues the mail from it.
 *
 * @param address  the address, as its latest request wrote it
 * @param name     the customer's name on that request
 * @param language the language the list was asked in
 * @param token    the link's token, in clear: only this mail carries it
 * @param expires  when the link stops opening the list
 */
public record RequestListAsked(String address, String name, Language language, String token, OffsetDateTime expires,
        OffsetDateTime at) {
}
