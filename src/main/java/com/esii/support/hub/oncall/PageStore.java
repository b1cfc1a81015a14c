package com.esii.support.hub.oncall;

import java.time.OffsetDateTime;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.Sql;

/** The pages sent for tickets (table oncall_page); callers own the transaction. */
@ApplicationScoped
public class PageStore {

    public record Page(long ticketId, int pageNo, String level, String recipient, String recipientEmail,
            OffsetDateTime pagedAt, OffsetDateTime acknowledgedAt, String acknowledgedBy) {
    }

    private final Sql db;

    public PageStore(DataSource ds) {
        this.db = new Sql(ds);
    }

    public void insert(long ticketId, int pageNo, String level, String recipient, String recipientEmail,
            OffsetDateTime at) {
        String sql = "INSERT INTO oncall_page (ticket_id, page_no, level, recipient, recipient_email, paged_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)";
        db.update("record the page", sql, ticketId, pageNo, level, recipient, recipientEmail, at);
    }

    public List<Page> pages(long ticketId) {
        String sql = "SELECT ticket_id, page_no, level, recipient, recipient_email, paged_at, acknowledged_at,"
                + " acknowledged_by FROM oncall_page WHERE ticket_id = ? ORDER BY page_no";
        return db.list("read the pages", sql, rs -> new Page(rs.getLong(1), rs.getInt(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getObject(6, OffsetDateTime.class),
                rs.getObject(7, OffsetDateTime.class), rs.getString(8)), ticketId);
    }

    /** Marks every page of the ticket acknowledged; the number of pages that were not yet. */
    public int acknowledge(long ticketId, String by, OffsetDateTime at) {
        String sql = "UPDATE oncall_page SET acknowledged_at = ?, acknowledged_by = ? WHERE ticket_id = ?"
                + " AND acknowledged_at IS NULL";
        return db.update("acknowledge the pages", sql, at, by, ticketId);
    }
}
