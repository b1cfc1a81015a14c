package com.esii.support.hub.onsite;

import java.time.Clock;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/**
 * Every quarter of an hour from 16:00 (Paris) on a working day: reminders for the next working day's interventions
 * (each sent once, whichever replica runs it first); every five minutes, the proposals that expired unaccepted.
 */
@ApplicationScoped
public class OnSiteReminders {

    private final OnSitePlanning planning;
    private final Clock clock;

    public OnSiteReminders(OnSitePlanning planning, Clock clock) {
        this.planning = planning;
        this.clock = clock;
    }

    @Scheduled(cron = "0 0/15 16-18 ? * MON-FRI", timeZone = "Europe/Paris", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void remind() {
        planning.remind(OffsetDateTime.now(clock));
    }

    /** Every five minutes: proposals whose slot began before staff accepted them are proposed again. */
    @Scheduled(every = "5m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        planning.expireProposals(OffsetDateTime.now(clock));
    }
}
