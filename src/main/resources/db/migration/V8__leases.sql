-- Leader leases: one row per single-active job (the mail poller today; the Jira reconciliation later). The replica
-- named in owner is the leader until expires_at and renews it well before; when it dies, another replica takes the
-- row over once expires_at has passed. Portable SQL (PostgreSQL, H2 in PostgreSQL mode).
CREATE TABLE leader_lease (
    name        VARCHAR(64)  PRIMARY KEY,
    owner       VARCHAR(128) NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    renewed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
