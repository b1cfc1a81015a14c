package com.esii.support.hub.jira;

import java.time.OffsetDateTime;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.Sql;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/** The hub's memory of Jira: request and bug keys on tickets, comments written or acted upon, deliveries seen. */
@ApplicationScoped
public class JiraStore {

    private final Sql db;
    /**
     * The customers' accounts once known, by address (issue 29: a known customer's next request asked the database
     * again). An account never changes for an address; the table stays the memory every replica shares.
     */
    private final Cache<String, String> accounts = Caffeine.newBuilder().maximumSize(10_000).build();

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
        return insertUnless("jira_comment", "comment_id, issue_key, ours, seen_at",
                new Object[] { commentId, issueKey, ours, now }, "comment_id = ?", commentId);
    }

    public boolean isOurComment(String commentId) {
        return one("SELECT 1 FROM jira_comment WHERE comment_id = ? AND ours = TRUE", commentId).isPresent();
    }

    /** Records a webhook delivery; false when it was taken before. */
    public boolean rememberDelivery(String identifier, String event, OffsetDateTime now) {
        return insertUnless("jira_webhook", "identifier, event, received_at", new Object[] { identifier, event, now },
                "identifier = ?", identifier);
    }

    /** Records that the customer is told something; false when they were told already. */
    public boolean noticeOnce(long ticketId, String kind, String ref, OffsetDateTime now) {
        String r = ref.length() > 200 ? ref.substring(0, 200) : ref;
        return insertUnless("jira_notice", "ticket_id, kind, ref, sent_at", new Object[] { ticketId, kind, r, now },
                "ticket_id = ? AND kind = ? AND ref = ?", ticketId, kind, r);
    }

    /** The customer's account, as remembered here, else as the table remembers it. */
    public Optional<String> accountId(String email) {
        String address = email.toLowerCase(java.util.Locale.ROOT);
        String known = accounts.getIfPresent(address);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> stored = text("SELECT account_id FROM jira_customer WHERE email = ?", address);
        stored.ifPresent(a -> accounts.put(address, a));
        return stored;
    }

    /** Remembers the customer's account (JSM created or found it: it exists, whatever becomes of this write). */
    public void rememberAccount(String email, String accountId) {
        String address = email.toLowerCase(java.util.Locale.ROOT);
        insertUnless("jira_customer", "email, account_id", new Object[] { address, accountId }, "email = ?", address);
        accounts.put(address, accountId);
    }

    public Optional<String> state(String name) {
        return text("SELECT state_value FROM hub_state WHERE state_name = ?", name);
    }

    public void setState(String name, String value) {
        if (!insertUnless("hub_state", "state_name, state_value", new Object[] { name, value }, "state_name = ?",
                name)) {
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
    /**
     * Inserts a row into {@code table} unless one matches {@code where} (its key), in one statement; false when
     * one was there. (Two replicas inserting the same key at once: one of them meets the primary key.)
     */
    private boolean insertUnless(String table, String columns, Object[] values, String where, Object... key) {
        Object[] args = new Object[values.length + key.length];
        System.arraycopy(values, 0, args, 0, values.length);
        System.arraycopy(key, 0, args, values.length, key.length);
        return update("INSERT INTO " + table + " (" + columns + ") SELECT " + "?, ".repeat(values.length - 1)
                + "? WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + where + ")", args) == 1;
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
