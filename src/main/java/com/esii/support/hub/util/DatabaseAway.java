package com.esii.support.hub.util;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * The database is away (restarted, failed over, unreachable), as opposed to refusing what was asked: what failed
 * then is nobody's fault and works again once it is back. Web clients are answered 503 with {@code Retry-After}
 * {@value #RETRY_AFTER_SECONDS}, the mail stays in the mailbox.
 */
public final class DatabaseAway {

    /** What a client is told to wait before trying again (a PostgreSQL restart takes about 30 s). */
    public static final int RETRY_AFTER_SECONDS = 10;

    private DatabaseAway() {
    }

    /**
     * Whether {@code t}, or one of its causes, says the database could not be reached: no connection (SQLState
     * class 08), the server shutting down or starting (57P01, 57P02, 57P03), or no connection from the pool in time.
     */
    public static boolean isCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLTransientConnectionException || c instanceof SQLRecoverableException) {
                return true;
            }
            if (c instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
                    return true;
                }
                String message = sql.getMessage();
                // Agroal: "Sorry, acquisition timeout!" (no SQLState)
                if (state == null && message != null
                        && message.toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
                    return true;
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
