package com.esii.support.hub.oncall;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;

import org.jboss.logging.Logger;
import org.quartz.Job;

import com.esii.support.hub.sla.BusinessCalendar;
import com.esii.support.hub.sla.SlaConfig;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.sla.Calendars;
import com.esii.support.hub.ticket.RequestLinks;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.triage.TicketTriage;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The take-charge deadline watchdog: one Quartz job per ticket with a deadline ({@code watchdog/<number>}),
 * scheduled with the ticket and moved from step to step. Each run, under a lock on the ticket, records the steps
 * that are due (once each: the history says which were recorded), warns the support team, tells the manager of a
 * breach, adds an internal comment to the JSM request, and schedules itself for the next step. A ticket taken in
 * charge or resolved is left alone. Everything a run does commits together, or not at all (then the job runs again
 * on recovery, or at the next check).
 */
@ApplicationScoped
public class DeadlineWatchdog {

    public static final String GROUP = "watchdog";
    private static final Logger LOG = Logger.getLogger(DeadlineWatchdog.class);

    private final TicketLedger ledger;
    private final TicketTriage triage;
    private final Calendars calendars;
    private final TicketJobs jobs;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final ErpActivityHook erp;
    private final OnCallConfig config;
    private final SlaConfig sla;
    private final Clock clock;
    private final TakeChargeWatchdog plan;
    private final TicketIntake intake;
    private final StaffTexts texts;
    private final RequestLinks requests;

    public DeadlineWatchdog(TicketLedger ledger, TicketTriage triage, Calendars calendars, TicketJobs jobs,
            Outbox outbox, OutboxRelay relay, ErpActivityHook erp, OnCallConfig config, SlaConfig sla,
            Clock clock, TicketIntake intake, StaffTexts texts, RequestLinks requests) {
        this.texts = texts;
        this.requests = requests;
        this.ledger = ledger;
        this.triage = triage;
        this.calendars = calendars;
        this.jobs = jobs;
        this.outbox = outbox;
        this.relay = relay;
        this.erp = erp;
        this.config = config;
        this.sla = sla;
        this.clock = clock;
        this.intake = intake;
        this.plan = new TakeChargeWatchdog(config.warnAt(), sla.takeCharge());
    }

    public TakeChargeWatchdog plan() {
        return plan;
    }

    /** Starts watching a new ticket (inside the transaction that creates it). */
    public void watch(Ticket t, OffsetDateTime now) {
        if (!TakeChargeWatchdog.watches(t)) {
            return;
        }
        TakeChargeWatchdog.Due due = plan.due(t, Set.of(), calendar(t), triage.clock(t), now.toInstant());
        // A new ticket has nothing due yet; its first check is the first warning.
        jobs.runAt(Job.class, GROUP, t.number(), due.next().orElse(now.toInstant()));
    }

    /** One run of the watchdog on a ticket, in its own transaction. */
    public void check(String number) {
        boolean recorded = QuarkusTransaction.requiringNew().call(() -> ledger.lockByNumber(number).map(t -> {
            Instant now = clock.instant();
            Set<String> done = ledger.events(t.id()).stream().map(TicketLedger.Event::type).collect(Collectors.toSet());
            TakeChargeWatchdog.Due due = plan.due(t, done, calendar(t), triage.clock(t), now);
            for (TakeChargeWatchdog.Step step : due.now()) {
                record(t, step, now.atOffset(java.time.ZoneOffset.UTC));
            }
            if (due.next().isPresent()) {
                jobs.runAt(Job.class, GROUP, number, due.next().get());
            } else {
                jobs.clearPending(GROUP, number); // taken in charge, resolved, or every step said
            }
            return !due.now().isEmpty();
        }).orElse(false));
        if (recorded) {
            relay.wake();
        }
    }

    private void record(Ticket t, TakeChargeWatchdog.Step step, OffsetDateTime now) {
        String due = texts.time(local(t.sla().takeChargeDue()));
        String detail = texts.text("watchdog.detail", "what", TakeChargeWatchdog.describe(step, texts), "kind",
                texts.kind(t.kind()), "criticality", texts.criticality(t.criticality()), "priority",
                t.triage() == null ? "?" : t.triage().priority(), "due", due);
        intake.note(t, step.type(), detail, texts.text("watchdog.comment", "detail", detail), "watchdog", now);
        erp.record(t, step.type(), detail, now);
        String subject = (switch (texts.language()) {
            case FR -> Templates.warningFr$subject(t, step);
            case EN -> Templates.warningEn$subject(t, step);
            case ES -> Templates.warningEs$subject(t, step);
        }).render().strip();
        String body = (switch (texts.language()) {
            case FR -> Templates.warningFr(t, step, detail, requests.agentView(t).orElse(null));
            case EN -> Templates.warningEn(t, step, detail, requests.agentView(t).orElse(null));
            case ES -> Templates.warningEs(t, step, detail, requests.agentView(t).orElse(null));
        }).render();
        config.teamEmail().ifPresent(to -> mail(t, to, texts.text("watchdog.team"), subject, body, step.type(), now));
        if (step.breach()) {
            config.managerEmail().ifPresent(to -> mail(t, to, config.managerName(), subject, body, step.type() + ".manager", now));
        }
        LOG.infof("Ticket %s: %s", t.number(), step.breach() ? "take-charge deadline breached"
                : step.percent() + " of the take-charge time has passed");
    }

    private void mail(Ticket t, String to, String name, String subject, String body, String kind, OffsetDateTime now) {
        outbox.enqueue(StaffMail.TYPE, "staff:" + t.number(), t.id(),
                new StaffMail.Payload(to, name, subject, body, intake.newMessageId(kind + "." + t.number())), now);
    }

    private BusinessCalendar calendar(Ticket t) {
        return calendars.named(t.triage() == null ? null : t.triage().calendar());
    }

    private java.time.ZonedDateTime local(OffsetDateTime t) {
        return t.atZoneSameInstant(ZoneId.of(sla.zone()));
    }

    /** The Quartz job: runs the watchdog on its ticket; a failure is retried a minute later. */
    @Dependent
    public static class Job extends TicketJobs.TicketJob {
        private final DeadlineWatchdog watchdog;

        public Job(DeadlineWatchdog watchdog, TicketJobs jobs, Clock clock) {
            super(jobs, clock, GROUP);
            this.watchdog = watchdog;
        }

        @Override
        protected void run(String number) {
            watchdog.check(number);
        }
    }
}
