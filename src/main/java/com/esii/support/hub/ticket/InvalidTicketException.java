package com.esii.support.hub.ticket;

import java.util.List;

/** A request for a ticket that cannot be accepted; nothing has been stored. */
public class InvalidTicketException extends RuntimeException {
    private final List<InvalidParam> invalidParams;

    public InvalidTicketException(List<InvalidParam> invalidParams) {
        super("Invalid fields: " + invalidParams.stream().map(InvalidParam::name).toList());
        this.invalidParams = List.copyOf(invalidParams);
    }

    public List<InvalidParam> invalidParams() {
        return invalidParams;
    }
}
