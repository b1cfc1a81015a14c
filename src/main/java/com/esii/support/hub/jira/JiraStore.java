package com.esii.support.hub.jira;

import java.time.OffsetDateTime;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.Sql;

/** The hub's memory of Jira: request and bug keys on tickets, comments written or acted upon, deliveries seen. */
@ApplicationScoped
public class JiraStore {

    private final Sql db;

    public JiraStore(DataSource ds) {
        this.db = new Sql(ds);
    }

    public void setJsmKey(long ticketId, String key, String issueId) {
        update("UPDATE ticket SET jsm_key = ?, jsm_issue_id = ? WHERE id = ?", key, issueId, ticketId);
    }

    public void setRdKey(long ticketId, String key) {
        update("UPDATE ticket SET rd_key = ? WHERE id = ?", key, ticketId);
    }

    /** The request's status as the hub last brought it in ("category:name"); empty before the first time. */
    public Optional<String> jsmStatus(long ticketId) {
        return text("SELECT jsm_status FROM ticket WHERE id = ?", ticketId);
    }

    public void setJsmStatus(long ticketId, String status) {
        update("UPDATE ticket SET jsm_status = ? WHERE id = ?", status.length() > 200 ? status.substring(0, 200) : status,
                ticketId);
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
        return insertUnless("SELECT 1 FROM jira_comment WHERE comment_id = ?", new Object[] { commentId },
                "INSERT INTO jira_comment (comment_id, issue_key, ours, seen_at) VALUES (?, ?, ?, ?)",
                commentId, issueKey, ours, now);
    }

    public boolean isOurComment(String commentId) {
        return one("SELECT 1 FROM jira_comment WHERE comment_id = ? AND ours = TRUE", commentId).isPresent();
    }

    /** Records a webhook delivery; false when it was taken before. */
    public boolean rememberDelivery(String identifier, String event, OffsetDateTime now) {
        return insertUnless("SELECT 1 FROM jira_webhook WHERE identifier = ?", new Object[] { identifier },
                "INSERT INTO jira_webhook (identifier, event, received_at) VALUES (?, ?, ?)", identifier,
                event, now);
    }

    /** Records that the customer is told something; false when they were told already. */
    public boolean noticeOnce(long ticketId, String kind, String ref, OffsetDateTime now) {
        String r = ref.length() > 200 ? ref.substring(0, 200) : ref;
        return insertUnless("SELECT 1 FROM jira_notice WHERE ticket_id = ? AND kind = ? AND ref = ?",
                new Object[] { ticketId, kind, r },
                "INSERT INTO jira_notice (ticket_id, kind, ref, sent_at) VALUES (?, ?, ?, ?)", ticketId, kind, r, now);
    }

    public Optional<String> accountId(String email) {
        return text("SELECT account_id FROM jira_customer WHERE email = ?", email.toLowerCase(java.util.Locale.ROOT));
    }

    public void rememberAccount(String email, String accountId) {
        String address = email.toLowerCase(java.util.Locale.ROOT);
        insertUnless("SELECT 1 FROM jira_customer WHERE email = ?", new Object[] { address },
                "INSERT INTO jira_customer (email, account_id) VALUES (?, ?)",
                address, accountId);
    }

    public Optional<String> state(String name) {
        return text("SELECT state_value FROM hub_state WHERE state_name = ?", name);
    }

    public void setState(String name, String value) {
        if (!insertUnless("SELECT 1 FROM hub_state WHERE state_name = ?", new Object[] { name },
                "INSERT INTO hub_state (state_name, state_value) VALUES (?, ?)", name, value)) {
            update("UPDATE hub_state SET state_value = ? WHERE state_name = ?", value, name);
        }
    }

    public int purgeDeliveries(OffsetDateTime before) {
        return update("DELETE FROM jira_webhook WHERE received_at < ?", before);
    }

    /**
     * Inserts unless the row is there. (A unique violation inside a JTA transaction would spoil it: look first; the
     * primary key still settles a race, the loser's transaction failing and being retried by its caller.)
     */
    private boolean insertUnless(String exists, Object[] key, String insert, Object... args) {
        if (one(exists, key).isPresent()) {
            return false;
        }
        update(insert, args);
        return true;
    }

    private int update(String sql, Object... args) {
        return db.update("write Jira state", sql, args);
    }

    private Optional<Long> one(String sql, Object... args) {
        return db.one("read Jira state", sql, rs -> rs.getLong(1), args);
    }

    private Optional<String> text(String sql, Object... args) {
        return db.one("read Jira state", sql, rs -> rs.getString(1), args);
    }
}
