package com.esii.support.hub.ticket;

/**
 * Who wrote a customer's message: the ticket's customer, or one of its participants (a colleague who replied by
 * mail). Staff read it in the ticket's request, whose comments the hub's account writes.
 *
 * @param name    their display name, or null
 * @param address their address
 */
public record Author(String name, String address) {

    /** The ticket's customer (a reply on the request page is theirs). */
    public static Author customerOf(Ticket t) {
        return new Author(t.customerName(), t.customerEmail());
    }

    /** Whether this is the ticket's customer (addresses compared without case). */
    public boolean isCustomerOf(Ticket t) {
        return address != null && t.customerEmail() != null
                && Participants.normal(address).equals(Participants.normal(t.customerEmail()));
    }
}
