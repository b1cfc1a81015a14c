package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.Sql;

/**
 * Who takes part in a ticket besides its customer: the addresses the customer's first mail was also sent to (its To
 * and Cc), and the request participants staff added in Jira. Only the customer and the participants may add to a
 * ticket (a channel decides who wrote; see the email channel's intake).
 */
@ApplicationScoped
public class Participants {

    /** An address of the mail that opened the ticket (To or Cc). */
    public static final String FROM_MAIL = "mail";
    /** A request participant added by staff in Jira. */
    public static final String FROM_JIRA = "jira";

    private final Sql db;

    public Participants(DataSource ds) {
        this.db = new Sql(ds);
    }

    /** Adds these addresses (compared without case); those already there are kept as they were. */
    public void add(long ticketId, Collection<String> addresses, String source, OffsetDateTime now) {
        if (addresses.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (String a : new LinkedHashSet<>(addresses)) {
            if (a != null && !a.isBlank() && a.length() <= 320) {
                rows.add(new Object[] { ticketId, normal(a), source, now });
            }
        }
        db.batch("record the ticket's participants", "INSERT INTO ticket_participant (ticket_id, address, source,"
                + " added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", rows);
    }

    /** The ticket's participants (lower-cased), the customer not included. */
    public Set<String> of(long ticketId) {
        return new LinkedHashSet<>(db.list("read the ticket's participants",
                "SELECT address FROM ticket_participant WHERE ticket_id = ? ORDER BY added_at, address",
                rs -> rs.getString(1), ticketId));
    }

    /** Whether this address is the ticket's customer or one of its participants. */
    public boolean includes(Ticket t, String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        String a = normal(address);
        return a.equals(normal(t.customerEmail() == null ? "" : t.customerEmail())) || of(t.id()).contains(a);
    }

    public static String normal(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }
}
