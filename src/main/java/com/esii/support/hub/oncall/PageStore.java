package com.esii.support.hub.oncall;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.LedgerException;

/** The pages sent for tickets (table oncall_page); callers own the transaction. */
@ApplicationScoped
public class PageStore {

    public record Page(long ticketId, int pageNo, String level, String recipient, String recipientEmail,
            OffsetDateTime pagedAt, OffsetDateTime acknowledgedAt, String acknowledgedBy) {
    }

    private final DataSource ds;

    public PageStore(DataSource ds) {
        this.ds = ds;
    }

    public void insert(long ticketId, int pageNo, String level, String recipient, String recipientEmail,
            OffsetDateTime at) {
        String sql = "INSERT INTO oncall_page (ticket_id, page_no, level, recipient, recipient_email, paged_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, ticketId);
            ps.setInt(2, pageNo);
            ps.setString(3, level);
            ps.setString(4, recipient);
            ps.setString(5, recipientEmail);
            ps.setObject(6, at);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not record the page", e);
        }
    }

    public List<Page> pages(long ticketId) {
        String sql = "SELECT ticket_id, page_no, level, recipient, recipient_email, paged_at, acknowledged_at,"
                + " acknowledged_by FROM oncall_page WHERE ticket_id = ? ORDER BY page_no";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, ticketId);
            List<Page> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Page(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getObject(6, OffsetDateTime.class), rs.getObject(7, OffsetDateTime.class),
                            rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("Could not read the pages", e);
        }
    }

    /** Marks every page of the ticket acknowledged; the number of pages that were not yet. */
    public int acknowledge(long ticketId, String by, OffsetDateTime at) {
        String sql = "UPDATE oncall_page SET acknowledged_at = ?, acknowledged_by = ? WHERE ticket_id = ?"
                + " AND acknowledged_at IS NULL";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, at);
            ps.setString(2, by);
            ps.setLong(3, ticketId);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not acknowledge the pages", e);
        }
    }
}
