package com.esii.support.hub.util;

import java.sql.SQLException;

/** The database refused or failed an operation. */
public class DatabaseException extends RuntimeException {

    public DatabaseException(String message, Throwable cause) {
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
