-- The JSM request's status as the hub last brought it in (issue 26): "<category key>:<name>", e.g.
-- "done:Resolved", "indeterminate:In Progress". Taking in charge by status is a move into one of
-- hub.jira.taken-in-charge-statuses that the hub sees happen, never the status a reopen leads to.
ALTER TABLE ticket ADD COLUMN jsm_status VARCHAR(200);
