package com.esii.support.hub.oncall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

import com.esii.support.hub.util.HeldWrites;

/**
 * One-shot Quartz jobs of a ticket (its deadline watchdog, its paging) on the clustered JDBC job store. The job's key
 * is derived from the ticket number, so a ticket never has two of the same kind. Scheduling joins the caller's
 * transaction (store type jdbc-cmt): a job exists if and only if what made it necessary was committed. Each job
 * requests recovery: if the replica running it dies, another replica runs it again.
 *
 * <p>The hub decides with its {@link Clock} (tests move it); Quartz fires on the wall clock. A time of the hub's
 * clock is turned into a wall-clock time by the difference of the two (zero in production).
 */
@ApplicationScoped
public class TicketJobs {

    public static final String TICKET = "ticket";

    private final Scheduler quartz;
    private final Clock clock;

    public TicketJobs(Scheduler quartz, Clock clock) {
        this.quartz = quartz;
        this.clock = clock;
    }

    public static JobKey key(String group, String ticketNumber) {
        return JobKey.jobKey(ticketNumber, group);
    }

    /**
     * Schedules the job to run at {@code at} (the hub's clock). A job of that key that already waits is moved to the
     * new time instead (its pending triggers are replaced); the one running now, if any, completes as it is.
     */
    public void runAt(Class<? extends Job> type, String group, String ticketNumber, Instant at) {
        // in a batch of mails written together: last in its transaction, so that Quartz's trigger lock is held for
        // the commit only, not from the first ticket on
        if (HeldWrites.last(() -> schedule(type, group, ticketNumber, at))) {
            return;
        }
        schedule(type, group, ticketNumber, at);
    }

    private void schedule(Class<? extends Job> type, String group, String ticketNumber, Instant at) {
        JobKey key = key(group, ticketNumber);
        Date wall = wallClock(at);
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(ticketNumber + "@" + wall.getTime(), group)
                .forJob(key)
                .usingJobData(TICKET, ticketNumber)
                .startAt(wall)
                // Late (the cluster was down, or it is already due): run at once, once.
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        try {
            if (!quartz.checkExists(key)) {
                quartz.scheduleJob(JobBuilder.newJob(type).withIdentity(key).usingJobData(TICKET, ticketNumber)
                        .requestRecovery(true).storeDurably(false).build(), trigger);
                return;
            }
            for (Trigger t : quartz.getTriggersOfJob(key)) {
                if (!t.getKey().equals(trigger.getKey()) && t.getNextFireTime() != null
                        && quartz.getTriggerState(t.getKey()) == Trigger.TriggerState.NORMAL) {
                    quartz.unscheduleJob(t.getKey());
                }
            }
            if (quartz.checkExists(trigger.getKey())) {
                return; // the same time again: nothing to move
            }
            // The job may have lost its last trigger meanwhile (non-durable jobs are removed with it): store both.
            quartz.scheduleJob(JobBuilder.newJob(type).withIdentity(key).usingJobData(TICKET, ticketNumber)
                    .requestRecovery(true).storeDurably(false).build(), java.util.Set.of(trigger), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("Could not schedule " + key + " at " + at, e);
        }
    }

    /**
     * Removes the job's triggers still waiting (the one running now, if any, completes; one fired a moment ago runs
     * and finds nothing to do): the job has nothing more to do for its ticket. Whatever the job's state, including
     * gone: a trigger that completes meanwhile is simply not there to remove. Called in the transaction that made
     * the job needless, so that both commit together. (No {@code deleteJob}: Quartz throws when a trigger of the job
     * completes while it deletes them.)
     */
    public void clearPending(String group, String ticketNumber) {
        try {
            for (Trigger t : quartz.getTriggersOfJob(key(group, ticketNumber))) {
                if (t.getNextFireTime() != null && quartz.getTriggerState(t.getKey()) == Trigger.TriggerState.NORMAL) {
                    quartz.unscheduleJob(t.getKey());
                }
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When the job of that ticket will next run (the hub's clock), if it waits. */
    public Optional<Instant> nextRun(String group, String ticketNumber) {
        try {
            List<? extends Trigger> triggers = quartz.getTriggersOfJob(key(group, ticketNumber));
            return triggers.stream().map(Trigger::getNextFireTime).filter(java.util.Objects::nonNull)
                    .min(Date::compareTo).map(d -> d.toInstant().plus(offset()));
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the job of that ticket is still in the scheduler: waiting, or running now (a job is removed once its last
     * trigger has run).
     */
    public boolean exists(String group, String ticketNumber) {
        try {
            return quartz.checkExists(key(group, ticketNumber));
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the job of that ticket now, on whichever replica acquires it (tests, and an operator's nudge). */
    public boolean runNow(String group, String ticketNumber) {
        try {
            JobKey key = key(group, ticketNumber);
            if (!quartz.checkExists(key)) {
                return false;
            }
            quartz.triggerJob(key);
            return true;
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    private Duration offset() {
        return Duration.between(Instant.now(), clock.instant());
    }

    private Date wallClock(Instant at) {
        return Date.from(at.minus(offset()));
    }

    /**
     * A ticket's Quartz job: runs {@link #run} for the ticket named in the trigger, with the ticket in the log's MDC;
     * a failure is logged and the job tried again a minute later.
     */
    public abstract static class TicketJob implements Job {
        private final TicketJobs jobs;
        private final Clock clock;
        private final String group;

        protected TicketJob(TicketJobs jobs, Clock clock, String group) {
            this.jobs = jobs;
            this.clock = clock;
            this.group = group;
        }

        protected abstract void run(String ticketNumber);

        @Override
        public void execute(org.quartz.JobExecutionContext context) {
            String number = context.getMergedJobDataMap().getString(TICKET);
            org.jboss.logging.MDC.put("ticket", number);
            try {
                run(number);
            } catch (RuntimeException e) {
                org.jboss.logging.Logger.getLogger(getClass()).errorf(e, "%s job of %s failed; trying again in a minute",
                        group, number);
                jobs.runAt(getClass(), group, number, clock.instant().plusSeconds(60));
            } finally {
                org.jboss.logging.MDC.remove("ticket");
            }
        }
    }
}
