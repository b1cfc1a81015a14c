package com.esii.support.hub.ticket;

import com.esii.support.hub.util.DatabaseException;

/** The database refused or failed a ledger operation. */
public class LedgerException extends DatabaseException {
    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
