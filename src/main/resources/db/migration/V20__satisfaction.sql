-- The customer's satisfaction (issue 26, point 11): "how did we do?", asked by the closing mail and the request page
-- of a resolved request. One answer per ticket (the first stands: the primary key refuses a second), a rating from 1
-- to 5 and an optional comment (capped by hub.satisfaction.comment-max-length). given_at orders the dashboard's
-- monthly figures. Portable SQL (PostgreSQL, H2 in PostgreSQL mode). The closing mail's links are rows of
-- ticket_access of kind 'rating', with an expiry (hub.satisfaction.link-ttl), purged with the other expired ones.
CREATE TABLE ticket_satisfaction (
    ticket_id  BIGINT       PRIMARY KEY REFERENCES ticket (id),
    rating     SMALLINT     NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment    TEXT,
    given_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ticket_satisfaction_given_ix ON ticket_satisfaction (given_at);
