package com.esii.support.hub.ticket;

import java.sql.SQLException;

/** The database refused or failed a ledger operation. */
public class LedgerException extends RuntimeException {
    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the failure is a unique-constraint violation (SQLState 23505 on PostgreSQL and H2). */
    public static boolean isUniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
