-- Jira Service Management and Jira R&D, kept in step with the ledger.

-- The R&D bug a ticket was escalated to (the JSM request key is ticket.jsm_key), and when the ticket was resolved
-- in JSM (for the reopen window).
ALTER TABLE ticket ADD COLUMN jsm_issue_id VARCHAR(32);
ALTER TABLE ticket ADD COLUMN rd_key VARCHAR(32);
CREATE INDEX ticket_jsm_key_ix ON ticket (jsm_key);
CREATE INDEX ticket_rd_key_ix ON ticket (rd_key);

-- Every Jira comment the hub has written (so that it never takes its own writes coming back for staff's) or has
-- already acted upon (so that a webhook and the reconciliation never act twice on one comment).
CREATE TABLE jira_comment (
    comment_id  VARCHAR(32)  NOT NULL PRIMARY KEY,
    issue_key   VARCHAR(32)  NOT NULL,
    ours        BOOLEAN      NOT NULL,
    seen_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Webhook deliveries already taken (X-Atlassian-Webhook-Identifier), kept for a while.
CREATE TABLE jira_webhook (
    identifier   VARCHAR(128) NOT NULL PRIMARY KEY,
    event        VARCHAR(64),
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- What the customer was told from Jira, once each: a workaround, a fix delivered, the resolution.
CREATE TABLE jira_notice (
    ticket_id  BIGINT       NOT NULL REFERENCES ticket (id),
    kind       VARCHAR(32)  NOT NULL,
    ref        VARCHAR(200) NOT NULL,
    sent_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT jira_notice_pk PRIMARY KEY (ticket_id, kind, ref)
);

-- JSM customer accounts by email (Cloud identifies customers by accountId).
CREATE TABLE jira_customer (
    email       VARCHAR(320) NOT NULL PRIMARY KEY,
    account_id  VARCHAR(128) NOT NULL
);

-- Small pieces of state, e.g. the reconciliation search's high-water mark.
CREATE TABLE hub_state (
    state_name   VARCHAR(64)  NOT NULL PRIMARY KEY,
    state_value  VARCHAR(200) NOT NULL
);
