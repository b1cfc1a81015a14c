package com.esii.support.hub.oncall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;

import org.jboss.logging.Logger;

import com.esii.support.hub.sla.SlaConfig;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.ticket.Criticality;
import com.esii.support.hub.ticket.Kind;
import com.esii.support.hub.ticket.RequestLinks;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.ticket.TicketStatus;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Paging out of hours. A blocking anomaly from a customer with the on-call option, written while the desk is closed,
 * pages the on-call technician at once (a mail with a signed acknowledgement link, and the webhook when one is set).
 * A Quartz job per ticket ({@code paging/<number>}) checks after {@code hub.oncall.ack-timeout}: unless the page was
 * acknowledged (the link, or the ticket taken in charge in Jira), the next level of the escalation policy is paged,
 * up to {@code hub.oncall.max-pages} pages. Each page is recorded once (one row per ticket and page number) with
 * the ticket's history and an internal JSM comment, in one transaction with its outbox rows. A page names the ticket's
 * JSM request with the link staff open once the request exists (the first page goes out with the ticket, before it).
 */
@ApplicationScoped
public class Paging {

    public static final String GROUP = "paging";
    private static final Logger LOG = Logger.getLogger(Paging.class);

    /** Who a page goes to. */
    record Recipient(String level, String name, String email, String phone) {
    }

    private final OnCallConfig config;
    private final OnCallDuty duty;
    private final PageStore pages;
    private final TicketLedger ledger;
    private final TicketJobs jobs;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final AckLinks links;
    private final ErpActivityHook erp;
    private final TicketIntake intake;
    private final Clock clock;
    private final StaffTexts texts;
    private final SlaConfig sla;
    private final RequestLinks requests;

    public Paging(OnCallConfig config, OnCallDuty duty, PageStore pages, TicketLedger ledger, TicketJobs jobs,
            Outbox outbox, OutboxRelay relay, AckLinks links, ErpActivityHook erp,
            TicketIntake intake, Clock clock, StaffTexts texts, SlaConfig sla, RequestLinks requests) {
        this.texts = texts;
        this.requests = requests;
        this.sla = sla;
        this.config = config;
        this.duty = duty;
        this.pages = pages;
        this.ledger = ledger;
        this.jobs = jobs;
        this.outbox = outbox;
        this.relay = relay;
        this.links = links;
        this.erp = erp;
        this.intake = intake;
        this.clock = clock;
    }

    /** Whether a ticket opened at {@code at} pages the on-call technician. */
    public boolean applies(Ticket t, Instant at) {
        return config.pagingEnabled() && onCallEmergency(t) && duty.deskClosed(at);
    }

    /** A blocking anomaly of a customer with the on-call option. */
    public static boolean onCallEmergency(Ticket t) {
        return t.triage() != null && Boolean.TRUE.equals(t.triage().onCall()) && t.criticality() == Criticality.BLOCKING
                && t.kind() == Kind.PROBLEM;
    }

    /**
     * Pages at once for a new ticket when it applies (inside the transaction that creates it); answers whether a page
     * was recorded (not when nobody could be paged).
     */
    public boolean opened(Ticket t, OffsetDateTime now) {
        if (!applies(t, now.toInstant())) {
            return false;
        }
        if (page(t, 1, now)) {
            jobs.runAt(Job.class, GROUP, t.number(), now.toInstant().plus(config.ackTimeout()));
            return true;
        }
        return false;
    }

    /** The paging job's run: escalates when the pages are still unacknowledged. */
    public void escalate(String number) {
        boolean paged = QuarkusTransaction.requiringNew().call(() -> ledger.lockByNumber(number).map(t -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            List<PageStore.Page> sent = pages.pages(t.id());
            if (acknowledged(t, sent)) {
                jobs.clearPending(GROUP, number);
                return false;
            }
            int next = sent.size() + 1;
            if (next > config.maxPages()) {
                String detail = texts.text("paging.exhausted", "pages", next - 1);
                intake.note(t, "paging-exhausted", detail, comment(detail), "paging", now);
                LOG.infof("Ticket %s: %d pages sent, none acknowledged; paging stops", number, next - 1);
                jobs.clearPending(GROUP, number);
                return false;
            }
            // Not yet due (the job ran early: a manual run, or a clock that moved): try again when it is.
            Instant due = sent.isEmpty() ? now.toInstant()
                    : sent.get(sent.size() - 1).pagedAt().toInstant().plus(config.ackTimeout());
            if (due.isAfter(now.toInstant())) {
                jobs.runAt(Job.class, GROUP, number, due);
                return false;
            }
            boolean ok = page(t, next, now);
            if (ok) {
                jobs.runAt(Job.class, GROUP, number, now.toInstant().plus(config.ackTimeout()));
            }
            return ok;
        }).orElse(false));
        if (paged) {
            relay.wake();
        }
    }

    static boolean acknowledged(Ticket t, List<PageStore.Page> sent) {
        return (t.sla() != null && (t.sla().takenInChargeAt() != null || t.sla().resolvedAt() != null))
                || t.status() == TicketStatus.RESOLVED || t.status() == TicketStatus.CLOSED
                || sent.stream().anyMatch(p -> p.acknowledgedAt() != null);
    }

    /** Acknowledgement through the signed link of a page. */
    public enum AckResult { ACKNOWLEDGED, ALREADY, UNKNOWN }

    public AckResult acknowledge(String number, int page, String by) {
        AckResult r = QuarkusTransaction.requiringNew().call(() -> ledger.lockByNumber(number).map(t -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            List<PageStore.Page> sent = pages.pages(t.id());
            Optional<PageStore.Page> p = sent.stream().filter(x -> x.pageNo() == page).findFirst();
            if (p.isEmpty()) {
                return AckResult.UNKNOWN;
            }
            String who = by != null ? by : p.get().recipient();
            if (pages.acknowledge(t.id(), who, now) == 0) {
                return AckResult.ALREADY;
            }
            String detail = texts.text("paging.acknowledged", "page", page, "who", who);
            intake.note(t, "page-acknowledged", detail, comment(detail), "paging", now);
            erp.record(t, "page-acknowledged", detail, now);
            // The escalation's next run, if one waits, goes in this transaction; a run already fired waits for the
            // ticket and finds the page acknowledged. The job itself is not deleted: Quartz refuses to delete one
            // whose trigger is completing (that answered 500).
            jobs.clearPending(GROUP, number);
            LOG.infof("Ticket %s: page %d acknowledged by %s; escalation stops", number, page, who);
            return AckResult.ACKNOWLEDGED;
        }).orElse(AckResult.UNKNOWN));
        if (r == AckResult.ACKNOWLEDGED) {
            relay.wake();
        }
        return r;
    }

    /** Sends page {@code n}: to the level the policy names for it, or the next level that has someone. */
    private boolean page(Ticket t, int n, OffsetDateTime now) {
        List<String> levels = config.escalation();
        Recipient to = null;
        for (int i = 0; i < levels.size() && to == null; i++) {
            to = resolve(levels.get((n - 1 + i) % levels.size()).strip().toLowerCase(Locale.ROOT), now.toInstant())
                    .orElse(null);
        }
        if (to == null) {
            String detail = texts.text("paging.nobody", "at", texts.time(local(now)));
            intake.note(t, "page-failed", detail, comment(detail), "paging", now);
            LOG.errorf("Ticket %s: nobody to page: no on-call rotation covers %s and no manager is set"
                    + " (hub.oncall.manager-email)", t.number(), now);
            return false;
        }
        pages.insert(t.id(), n, to.level(), to.name(), to.email(), now);
        Optional<String> link = links.link(t.number(), n);
        String level = texts.text("level." + to.level());
        String text = texts.text("page.text", "ticket", t.number(), "subject", t.subject(), "customer", customer(t));
        if (to.email() != null) {
            // rendered when sent (StaffMail), so that it names the ticket's JSM request once it exists
            outbox.enqueue(StaffMail.TYPE, "page:" + t.number(), t.id(), new StaffMail.Payload(to.email(), to.name(),
                    null, null, intake.newMessageId("page" + n + "." + t.number()),
                    new StaffMail.Page(n, level, text, link.orElse(null), minutes(config.ackTimeout()))), now);
        }
        boolean webhook = config.webhookUrl().filter(u -> !u.isBlank()).isPresent();
        if (webhook) {
            Map<String, Object> hook = new LinkedHashMap<>();
            hook.put("ticket", t.number());
            hook.put("page", n);
            hook.put("level", to.level());
            hook.put("to", Map.of("name", to.name(), "email", to.email() == null ? "" : to.email(),
                    "phone", to.phone() == null ? "" : to.phone()));
            hook.put("text", text);
            hook.put("subject", t.subject());
            hook.put("customer", customer(t));
            hook.put("acknowledgeUrl", link.orElse(null));
            // the JSM request, when it exists (a first page goes out with the ticket, before its request)
            hook.put("request", requests.agentView(t).map(u -> Map.of("key", t.jsmKey(), "url", u)).orElse(null));
            hook.put("at", now.withOffsetSameInstant(ZoneOffset.UTC).toString());
            outbox.enqueue(PageWebhook.TYPE, "page-hook:" + t.number(), t.id(), hook, now);
        }
        String detail = texts.text(webhook ? "paging.paged-webhook" : "paging.paged", "page", n, "name", to.name(),
                "level", level);
        intake.note(t, "paged", detail, comment(detail), "paging", now);
        erp.record(t, "paged", detail, now);
        LOG.infof("Ticket %s: page %d to %s (%s) by email%s", t.number(), n, to.name(), to.level(),
                webhook ? " and webhook" : "");
        return true;
    }

    private Optional<Recipient> resolve(String level, Instant at) {
        switch (level) {
            case "on-call", "backup" -> {
                Optional<OnCallRota.Assignment> a = duty.rota().technicianAt(at);
                String code = a.map(x -> "on-call".equals(level) ? x.technician() : x.backup()).orElse(null);
                return duty.technician(code).map(t -> new Recipient(level, t.name(), t.email(), t.phone()));
            }
            case "manager" -> {
                return config.managerEmail().filter(e -> !e.isBlank())
                        .map(e -> new Recipient(level, config.managerName(), e, null));
            }
            default -> {
                LOG.warnf("Unknown escalation level '%s' in hub.oncall.escalation (on-call, backup, manager)", level);
                return Optional.empty();
            }
        }
    }

    /** The internal comment of a paging step (its history row and ERP record hold the same detail). */
    private String comment(String detail) {
        return texts.text("paging.comment", "detail", detail);
    }

    private ZonedDateTime local(OffsetDateTime t) {
        return t.atZoneSameInstant(ZoneId.of(sla.zone()));
    }

    private static String customer(Ticket t) {
        String code = t.triage() == null ? null : t.triage().customerCode();
        return (t.customerCompany() != null ? t.customerCompany() : t.customerEmail()) + (code == null ? "" : ", " + code);
    }

    private static String minutes(Duration d) {
        return d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    /** The Quartz job: escalates its ticket's paging; a failure is retried a minute later. */
    @Dependent
    public static class Job extends TicketJobs.TicketJob {
        private final Paging paging;

        public Job(Paging paging, TicketJobs jobs, Clock clock) {
            super(jobs, clock, GROUP);
            this.paging = paging;
        }

        @Override
        protected void run(String number) {
            paging.escalate(number);
        }
    }
}
