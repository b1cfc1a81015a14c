-- One delivery discipline (issue 13).
-- claims: how many times a replica has claimed the row, never reset (a replay keeps it). A row claimed more than
-- once may have reached its target already, so its handler asks the target before creating anything again.
ALTER TABLE outbox ADD COLUMN claims INT NOT NULL DEFAULT 0;
-- When the row first failed because its target was unavailable (null while it has not, or after it succeeded):
-- a target unavailable for longer than hub.outbox.alert-after raises a metric and a health check.
ALTER TABLE outbox ADD COLUMN failing_since TIMESTAMP WITH TIME ZONE;
-- SKIPPED: a dead row an operator chose not to perform; it no longer holds its lane.
CREATE INDEX outbox_status_lane_ix ON outbox (status, lane, id);
