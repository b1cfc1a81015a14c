-- Who may add to a ticket (issue 14). A mail threaded to a ticket is the customer's reply only when it comes from
-- the ticket's customer, one of its participants or (when configured) the customer's domain.
-- source: 'mail' (an address of the original mail's To or Cc), 'jira' (a request participant staff added in Jira).
CREATE TABLE ticket_participant (
    ticket_id  BIGINT       NOT NULL REFERENCES ticket (id),
    address    VARCHAR(320) NOT NULL,
    source     VARCHAR(16)  NOT NULL,
    added_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (ticket_id, address)
);

-- Every verdict keeps its raw mail, duplicates included, with one stored copy per content: found by its hash.
CREATE INDEX raw_content_sha256_ix ON raw_content (sha256);
