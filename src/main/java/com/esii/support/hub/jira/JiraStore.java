package com.esii.support.hub.jira;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.LedgerException;

/** The hub's memory of Jira: request and bug keys on tickets, comments written or acted upon, deliveries seen. */
@ApplicationScoped
public class JiraStore {

    private final DataSource ds;

    public JiraStore(DataSource ds) {
        this.ds = ds;
    }

    public void setJsmKey(long ticketId, String key, String issueId) {
        update("UPDATE ticket SET jsm_key = ?, jsm_issue_id = ? WHERE id = ?", key, issueId, ticketId);
    }

    public void setRdKey(long ticketId, String key) {
        update("UPDATE ticket SET rd_key = ? WHERE id = ?", key, ticketId);
    }

    public Optional<Long> ticketByJsmKey(String key) {
        return one("SELECT id FROM ticket WHERE jsm_key = ?", key);
    }

    public Optional<Long> ticketByRdKey(String key) {
        return one("SELECT id FROM ticket WHERE rd_key = ?", key);
    }

    public Long firstMessageId(long ticketId) {
        return one("SELECT MIN(id) FROM ticket_message WHERE ticket_id = ?", ticketId).orElse(null);
    }

    public Optional<String> rdKey(long ticketId) {
        return text("SELECT rd_key FROM ticket WHERE id = ?", ticketId);
    }

    /** Records a comment; false when it was known already (written by the hub or acted upon before). */
    public boolean rememberComment(String commentId, String issueKey, boolean ours, OffsetDateTime now) {
        return insertOnce("INSERT INTO jira_comment (comment_id, issue_key, ours, seen_at) VALUES (?, ?, ?, ?)",
                commentId, issueKey, ours, now);
    }

    public boolean isOurComment(String commentId) {
        return one("SELECT 1 FROM jira_comment WHERE comment_id = ? AND ours = TRUE", commentId).isPresent();
    }

    /** Records a webhook delivery; false when it was taken before. */
    public boolean rememberDelivery(String identifier, String event, OffsetDateTime now) {
        return insertOnce("INSERT INTO jira_webhook (identifier, event, received_at) VALUES (?, ?, ?)", identifier,
                event, now);
    }

    /** Records that the customer is told something; false when they were told already. */
    public boolean noticeOnce(long ticketId, String kind, String ref, OffsetDateTime now) {
        return insertOnce("INSERT INTO jira_notice (ticket_id, kind, ref, sent_at) VALUES (?, ?, ?, ?)", ticketId, kind,
                ref.length() > 200 ? ref.substring(0, 200) : ref, now);
    }

    public Optional<String> accountId(String email) {
        return text("SELECT account_id FROM jira_customer WHERE email = ?", email.toLowerCase(java.util.Locale.ROOT));
    }

    public void rememberAccount(String email, String accountId) {
        insertOnce("INSERT INTO jira_customer (email, account_id) VALUES (?, ?)",
                email.toLowerCase(java.util.Locale.ROOT), accountId);
    }

    public Optional<String> state(String name) {
        return text("SELECT state_value FROM hub_state WHERE state_name = ?", name);
    }

    public void setState(String name, String value) {
        if (!insertOnce("INSERT INTO hub_state (state_name, state_value) VALUES (?, ?)", name, value)) {
            update("UPDATE hub_state SET state_value = ? WHERE state_name = ?", value, name);
        }
    }

    public int purgeDeliveries(OffsetDateTime before) {
        return update("DELETE FROM jira_webhook WHERE received_at < ?", before);
    }

    private boolean insertOnce(String sql, Object... args) {
        // A unique violation inside a JTA transaction would spoil it: look first, then insert; the primary key
        // still settles a race (the loser's transaction fails and is retried by its caller).
        String table = sql.substring("INSERT INTO ".length(), sql.indexOf(' ', "INSERT INTO ".length()));
        String key = sql.substring(sql.indexOf('(') + 1, sql.indexOf(','));
        if (one("SELECT 1 FROM " + table + " WHERE " + key.strip() + " = ?" + extraKey(table), keyArgs(table, args))
                .isPresent()) {
            return false;
        }
        update(sql, args);
        return true;
    }

    private static String extraKey(String table) {
        return "jira_notice".equals(table) ? " AND kind = ? AND ref = ?" : "";
    }

    private static Object[] keyArgs(String table, Object[] args) {
        return "jira_notice".equals(table) ? new Object[] { args[0], args[1], args[2] } : new Object[] { args[0] };
    }

    private int update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("Could not write Jira state", e);
        }
    }

    private Optional<Long> one(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read Jira state", e);
        }
    }

    private Optional<String> text(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("Could not read Jira state", e);
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
