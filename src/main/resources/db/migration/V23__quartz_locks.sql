-- Quartz's two row locks, there before the first scheduler starts. Without them, Quartz inserts each on first use:
-- two replicas starting together on a new database both inserted TRIGGER_ACCESS, and one failed to start
-- ("duplicate key value violates unique constraint qrtz_locks_pkey", seen in RollingUpdateIT's first two starts).
-- The name is Quarkus' default scheduler name (quarkus.quartz.instance-name is not set). PostgreSQL and H2 alike.
INSERT INTO QRTZ_LOCKS (SCHED_NAME, LOCK_NAME) VALUES ('QuarkusQuartzScheduler', 'TRIGGER_ACCESS');
INSERT INTO QRTZ_LOCKS (SCHED_NAME, LOCK_NAME) VALUES ('QuarkusQuartzScheduler', 'STATE_ACCESS');
