package com.esii.support.hub.cluster;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

import com.esii.support.hub.util.Sql;

import io.quarkus.runtime.StartupEvent;

/**
 * A stopping replica hands its Quartz jobs back at once, as it hands back its leader leases and outbox rows. Quartz's
 * scheduler thread acquires a trigger shortly before it is due (a fired-trigger row in this node's name) and, when the
 * scheduler shuts down, leaves it so: another node takes such a trigger, and runs again a job this node did not
 * finish, only once it finds this node dead, one check-in interval plus 7.5 s after its last check-in (10.5 to 13.5 s
 * with {@code quarkus.quartz.cluster-checkin-interval} at 3 s), and a job due meanwhile runs that late. So once
 * Quarkus has shut this node's scheduler down (its running jobs finished, within
 * {@code quarkus.quartz.shutdown-wait-time}), its last check-in is set back to the epoch: the next check-in of another
 * node, within one interval, finds it gone and runs Quartz's own recovery (what this node had acquired is released,
 * what it left unfinished runs again, its rows are removed), then looks for due triggers at once.
 */
@ApplicationScoped
public class QuartzHandover {

    private static final Logger LOG = Logger.getLogger(QuartzHandover.class);

    private final Scheduler quartz;
    private final Sql db;
    private volatile String schedulerName;
    private volatile String instanceId;

    public QuartzHandover(Scheduler quartz, DataSource ds) {
        this.quartz = quartz;
        this.db = new Sql(ds);
    }

    /** This node's names in Quartz's tables, read once its scheduler runs. */
    void started(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) StartupEvent event) throws SchedulerException {
        schedulerName = quartz.getSchedulerName();
        instanceId = quartz.getSchedulerInstanceId();
    }

    /** After Quarkus's own observer has shut the scheduler down (it has the default priority, this one a later one). */
    void stopped(@Observes(notifyObserver = Reception.IF_EXISTS) @Priority(Interceptor.Priority.LIBRARY_AFTER)
            @BeforeDestroyed(ApplicationScoped.class) Object event) {
        if (instanceId == null) {
            return;
        }
        try {
            if (!quartz.isShutdown()) {
                // still waiting for a job: its own check-ins go on, the usual failure detection applies
                LOG.warnf("Quartz node %s not shut down yet: its jobs are taken over when it is found dead", instanceId);
                return;
            }
            long held = db.one("count the Quartz triggers of node " + instanceId, "SELECT count(*) FROM"
                    + " qrtz_fired_triggers WHERE sched_name = ? AND instance_name = ?", rs -> rs.getLong(1),
                    schedulerName, instanceId).orElse(0L);
            db.update("hand Quartz node " + instanceId + " back", "UPDATE qrtz_scheduler_state SET last_checkin_time = 0"
                    + " WHERE sched_name = ? AND instance_name = ?", schedulerName, instanceId);
            LOG.infof("Quartz node %s handed back (%d triggers acquired or unfinished): another node recovers it at its"
                    + " next check-in", instanceId, held);
        } catch (SchedulerException | RuntimeException e) {
            LOG.warnf("Could not hand Quartz node %s back (%s): its jobs are taken over when it is found dead",
                    instanceId, e.getMessage());
        }
    }
}
