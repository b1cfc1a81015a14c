-- The relay looks for due rows of the urgent types (the mails people wait for) by type among the pending rows
-- (issue 29: the look used to sort every pending row at each look). On PostgreSQL and H2 alike.
CREATE INDEX outbox_pending_type_ix ON outbox (status, type, next_attempt_at);
