package com.esii.support.hub.onsite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The on-site sweeps run on each replica's own scheduler, not from Quartz's tables: a Quartz-run {@code @Scheduled}
 * method is stored by each replica as it starts, looked for first and inserted after, and two replicas starting
 * together on a new database both inserted it (one failed to start: FaultSuiteIT and RollingUpdateIT under load).
 */
@QuarkusTest
class OnSiteRemindersTest extends HubTestResources {

    @Inject
    Scheduler scheduler;
    @Inject
    DataSource ds;

    @Test
    void theSweepsAreScheduledOnTheReplicaNotStoredInQuartzsTables() {
        assertNotNull(scheduler.getScheduledJob("onsite-remind"));
        assertNotNull(scheduler.getScheduledJob("onsite-expire"));
        assertEquals(0, Db.count(ds, "SELECT count(*) FROM qrtz_job_details WHERE job_name LIKE '%onsite-%'"
                + " OR job_name LIKE '%OnSiteReminders%'"));
    }
}
