package com.esii.support.hub.mail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Locale;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.LedgerException;

/**
 * Addresses that get no more automatic mail (a mail to them bounced): the email channel records them, every
 * automatic mail checks them before it is sent.
 */
@ApplicationScoped
public class Suppressions {

    private final DataSource ds;

    public Suppressions(DataSource ds) {
        this.ds = ds;
    }

    public void suppress(String address, String reason, OffsetDateTime now) {
        if (isSuppressed(address)) {
            return;
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO suppressed_address (address, reason, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, address.toLowerCase(Locale.ROOT));
            ps.setString(2, reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 2000));
            ps.setObject(3, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!LedgerException.isUniqueViolation(e)) {
                throw new LedgerException("Could not suppress an address", e);
            }
        }
    }

    public boolean isSuppressed(String address) {
        if (address == null) {
            return false;
        }
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM suppressed_address WHERE address = ?")) {
            ps.setString(1, address.toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read suppressed addresses", e);
        }
    }
}
