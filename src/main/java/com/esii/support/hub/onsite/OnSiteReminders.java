package com.esii.support.hub.onsite;

import java.time.Clock;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/**
 * Every quarter of an hour from 16:00 (Paris) on a working day: reminders for the next working day's interventions
 * (each sent once, whichever replica runs it first); every five minutes, the proposals that expired unaccepted (each
 * proposed again once: the visit is locked and looked at again).
 *
 * <p>On each replica's own in-memory scheduler ({@link Scheduled#SIMPLE}), not Quartz's tables: both sweeps are safe
 * on every replica at once, and Quarkus stores a Quartz-run {@code @Scheduled} method at start by looking first and
 * inserting after, so two replicas starting together on a new database both inserted it and one of them failed to
 * start (seen in FaultSuiteIT and RollingUpdateIT under load). The tickets' one-shot jobs stay Quartz's.
 */
@ApplicationScoped
public class OnSiteReminders {

    private final OnSitePlanning planning;
    private final Clock clock;

    public OnSiteReminders(OnSitePlanning planning, Clock clock) {
        this.planning = planning;
        this.clock = clock;
    }

    @Scheduled(identity = "onsite-remind", cron = "0 0/15 16-18 ? * MON-FRI", timeZone = "Europe/Paris",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, executeWith = Scheduled.SIMPLE)
    void remind() {
        planning.remind(OffsetDateTime.now(clock));
    }

    /** Every five minutes: proposals whose slot began before staff accepted them are proposed again. */
    @Scheduled(identity = "onsite-expire", every = "5m", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, executeWith = Scheduled.SIMPLE)
    void expire() {
        planning.expireProposals(OffsetDateTime.now(clock));
    }
}
