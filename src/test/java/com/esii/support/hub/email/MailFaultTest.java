package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.util.DatabaseException;

/** Which failures of a mail's intake are the mail's own (recorded and moved aside) and which leave it unseen. */
class MailFaultTest {

    private final MailboxFlags flags = new MailboxFlags(null, null, null);

    @Test
    void theDatabaseGoneAwayIsNoMailFault() {
        // PostgreSQL restarted: refused connections, connections cut by the shutdown, the pool out of time
        assertFalse(flags.isMailFault(new DatabaseException("Could not record a mail verdict",
                new SQLException("Connection to localhost:5432 refused", "08001"))));
        assertFalse(flags.isMailFault(new IllegalStateException(new DatabaseException("Could not read",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")))));
        assertFalse(flags.isMailFault(new RuntimeException(new SQLException("Sorry, acquisition timeout!"))));
    }

    @Test
    void whatTheDatabaseRefusesOrTheMailBreaksIsTheMails() {
        assertTrue(flags.isMailFault(new DatabaseException("Could not record a mail verdict",
                new SQLException("value too long for type character varying(320)", "22001"))));
        assertTrue(flags.isMailFault(new IllegalArgumentException("unreadable MIME structure")));
    }
}
