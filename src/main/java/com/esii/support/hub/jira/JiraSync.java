package com.esii.support.hub.jira;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.ticket.CustomerTexts;
import com.esii.support.hub.ticket.StepRefusedException;
import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.ticket.LanguageDecision;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.NewTicket;
import com.esii.support.hub.ticket.OpenedTicket;
import com.esii.support.hub.ticket.ActivityJournal;
import com.esii.support.hub.ticket.Author;
import com.esii.support.hub.ticket.Participants;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Step;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.ticket.TicketNumber;
import com.esii.support.hub.ticket.TicketProgress;
import com.esii.support.hub.ticket.TicketStatus;
import com.esii.support.hub.util.Hashes;
import com.esii.support.hub.jira.dto.Comment;
import com.esii.support.hub.jira.dto.CommentPage;
import com.esii.support.hub.jira.dto.ServiceDeskRequest;
import com.esii.support.hub.jira.dto.User;
import com.esii.support.hub.jira.dto.UserPage;
import com.esii.support.hub.jira.dto.Worklogs;
import com.esii.support.hub.jira.dto.Issue.Fields;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Brings one Jira issue's news into the hub, whatever told us it changed (a webhook, or the reconciliation
 * search): the issue is read as it stands now and compared with what the hub knows, so that a lost, repeated or
 * out-of-order webhook changes nothing. For a JSM request: staff's public comments are mailed to the customer
 * (internal ones are not, and the hub's own writes are recognised), the status moves the ticket (taken in charge,
 * waiting on the customer, resolved, reopened), an escalation creates the R&D bug. A request opened directly on
 * the portal becomes a hub ticket like any other. For an R&D bug: a workaround, a released fix version and the
 * resolution reach the customer.
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/jira.yaml}), which performs the {@code jira-sync} rows.
 */
@ApplicationScoped
@Named("jiraSync")
public class JiraSync {

    private static final Logger LOG = Logger.getLogger(JiraSync.class);

    private final JiraClient jira;
    private final JiraStore store;
    private final JiraOutbox outbox;
    private final TicketLedger ledger;
    private final TicketProgress progress;
    private final TicketIntake intake;
    private final JiraConfig config;
    private final TicketConfig core;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final TicketNumber.Parser numbers;
    private final ActivityJournal records;
    private final Participants participants;
    private final StaffTexts texts;
    /** The public comments' texts, in the ticket's language (the customer reads them on the portal). */
    private final CustomerTexts customerTexts;

    public JiraSync(JiraClient jira, JiraStore store, JiraOutbox outbox, TicketLedger ledger, TicketProgress progress,
            TicketIntake intake, JiraConfig config, TicketConfig core, ObjectMapper json, Clock clock,
            MeterRegistry metrics, ActivityJournal records, Participants participants,
            StaffTexts texts, CustomerTexts customerTexts) {
        this.texts = texts;
        this.customerTexts = customerTexts;
        this.records = records;
        this.participants = participants;
        this.jira = jira;
        this.store = store;
        this.outbox = outbox;
        this.ledger = ledger;
        this.progress = progress;
        this.intake = intake;
        this.config = config;
        this.core = core;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.numbers = new TicketNumber.Parser(core.ticket().prefix());
    }

    /** The route performing jira-sync rows ({@code routes/jira.yaml}). */
    public static final String ROUTE = "jira-sync-issue";

    /** An issue as Jira shows it now: a JSM request, an R&D bug, or neither (another project). */
    public record Issue(String key, com.esii.support.hub.jira.dto.Issue json, boolean request, boolean bug) {
    }

    /** The row's issue as it stands now; null when it is gone or hidden from the hub (nothing to bring in). */
    public Issue read(OutboxRow row) throws Exception {
        String key = json.readValue(row.payload(), JiraOutbox.Sync.class).issueKey();
        List<String> fields = new ArrayList<>(List.of("summary", "status", "resolution", "resolutiondate", "labels",
                "project", "description", "reporter", "fixVersions", "comment", "updated"));
        config.workaroundField().ifPresent(fields::add);
        com.esii.support.hub.jira.dto.Issue issue;
        try {
            issue = jira.get(jira.api() + "/issue/" + key, Map.of("fields", String.join(",", fields)),
                    com.esii.support.hub.jira.dto.Issue.class);
        } catch (JiraClient.NotFound e) {
            LOG.infof("Jira issue %s is gone or hidden: nothing to bring in", key);
            return null;
        }
        String project = issue.fields().projectKey();
        return new Issue(issue.key() == null ? key : issue.key(), issue, project.equalsIgnoreCase(config.projectKey()),
                project.equalsIgnoreCase(config.rdProjectKey()));
    }

    /**
     * A JSM request's news: staff's public comments mailed to the customer, the status moving the ticket, an
     * escalation; a request opened on the portal becomes a ticket.
     */
    public void bringInRequest(Issue issue) {
        request(issue.key(), issue.json());
    }

    /** An R&D bug's news: a workaround, a released fix version, the resolution. */
    public void bringInBug(Issue issue) {
        bug(issue.key(), issue.json());
    }

    /** Every comment of the request, page after page (a long conversation has more than one). */
    private List<Comment> comments(String key) {
        List<Comment> all = new java.util.ArrayList<>();
        int start = 0;
        while (true) {
            CommentPage page = jira.get("/rest/servicedeskapi/request/" + key + "/comment",
                    Map.of("start", String.valueOf(start), "limit", "100"), CommentPage.class);
            all.addAll(page.values());
            if (page.last()) {
                return all;
            }
            start += page.values().size();
        }
    }

    /** The addresses of the request's participants that staff added in Jira (those whose address Jira shows). */
    private List<String> participants(String key) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (true) {
            UserPage page;
            try {
                page = jira.get("/rest/servicedeskapi/request/" + key + "/participant",
                        Map.of("start", String.valueOf(start), "limit", "50"), UserPage.class);
            } catch (JiraClient.NotFound e) {
                return out; // the request type has no participants
            }
            page.values().forEach(u -> {
                if (u.email().indexOf('@') > 0) {
                    out.add(u.email());
                }
            });
            if (page.last()) {
                return out;
            }
            start += page.values().size();
        }
    }

    private void request(String key, com.esii.support.hub.jira.dto.Issue issue) {
        Optional<Long> ticketId = store.ticketByJsmKey(key);
        Fields f = issue.fields();
        if (ticketId.isEmpty()) {
            if (numbers.find(f.summary() == null ? "" : f.summary()).isPresent()) {
                return; // one of the hub's own requests, whose key is being recorded by its creation
            }
            portal(key, issue);
            return;
        }
        List<Comment> comments = comments(key);
        List<String> participants = participants(key);
        List<Worklogs.Worklog> worklogs = jira.get(jira.api() + "/issue/" + key + "/worklog",
                Map.of("startAt", "0", "maxResults", "100"), Worklogs.class).worklogs();
        String hubAccount = config.email().orElse("").toLowerCase(Locale.ROOT);
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            Ticket t = ledger.lockById(ticketId.get()).orElseThrow();
            this.participants.add(t.id(), participants, Participants.FROM_JIRA, now);
            for (Comment c : comments) {
                String id = c.id();
                if (store.isOurComment(id)) {
                    continue;
                }
                String author = c.author() == null ? "" : c.author().email().toLowerCase(Locale.ROOT);
                String text = JiraClient.plainText(c.body());
                // the hub's own: its account (when Jira shows the address) or its marker (always)
                boolean ours = !hubAccount.isEmpty() && hubAccount.equals(author) || JsmComments.written(text);
                if (!store.rememberComment(id, key, ours, now) || ours) {
                    continue; // seen before, or the hub's own
                }
                String staff = c.author() == null ? null : c.author().displayName();
                if (!author.equalsIgnoreCase(t.customerEmail()) && intake.instruct(t, text, staff, "jira", now)) {
                    continue; // staff's instruction to the hub (/onsite accept...): for the hub, not the customer
                }
                if (!c.publicComment()) {
                    continue; // internal: the customer is not told
                }
                if (author.equalsIgnoreCase(t.customerEmail()) || participants.stream().anyMatch(author::equalsIgnoreCase)) {
                    // the customer's (or a colleague's) own words on the portal: theirs, not mailed back to them
                    intake.customerCommentedInJira(t, new Author(staff, author), text, now);
                    ledger.insertEvent(t.id(), new TicketLedger.Event("customer-comment", "JSM comment " + id, "jira",
                            now));
                    continue;
                }
                // kept as a message of the ticket: the customer's request page shows the conversation
                intake.staffReply(t, staff, text, now);
                if (t.status() == TicketStatus.NEW && (t.sla() == null || t.sla().takenInChargeAt() == null)
                        && !author.equalsIgnoreCase(t.customerEmail())) {
                    // staff's first public reply takes the request in charge
                    t = progress.applyWithin(t, Step.TAKEN_IN_CHARGE, now, null, "first public reply in JSM",
                            "jira");
                }
                intake.tellCustomer(t, "agent-reply", text, staff, null, intake.newMessageId("reply." + t.number()), now);
                ledger.insertEvent(t.id(), new TicketLedger.Event("agent-reply", "JSM comment " + id, "jira", now));
            }
            t = status(t, f, now);
            escalation(t, key, f, now);
            t = labelledSteps(t, f, now);
            for (Worklogs.Worklog w : worklogs) {
                // time spent, from Jira's worklogs: one ERP record per worklog
                long seconds = w.timeSpentSeconds();
                String id = w.id() == null ? "" : w.id();
                if (seconds > 0 && !id.isEmpty()) {
                    String by = w.author() == null || w.author().displayName() == null ? "?" : w.author().displayName();
                    records.record(t, "time-spent", "worklog " + id + " by " + by, Math.max(1, seconds / 60),
                            "worklog-" + id, now, now);
                }
            }
        });
    }

    /** Staff record on-site work, exchanges, workshop repairs and restorations by labels (hub.jira.step-labels). */
    private Ticket labelledSteps(Ticket t, Fields f, OffsetDateTime now) {
        java.util.Set<String> labels = new java.util.HashSet<>();
        f.labels().forEach(l -> labels.add(l.toLowerCase(Locale.ROOT)));
        for (String entry : config.stepLabels()) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String label = entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String step = entry.substring(eq + 1).strip();
            if (!labels.contains(label) || !store.noticeOnce(t.id(), "label", label, now)) {
                continue;
            }
            try {
                if ("exchange-decided".equals(step)) {
                    t = progress.applyWithin(t, Step.ON_SITE_DECIDED, now, "exchange", "JSM label " + label, "jira");
                } else {
                    Step s = Step.fromCode(step).orElse(null);
                    if (s != null) {
                        t = progress.applyWithin(t, s, now, "intervention", "JSM label " + label, "jira");
                    }
                }
            } catch (StepRefusedException e) {
                outbox.internalComment(t, texts.text("label-not-applied", "label", label, "reason", e.getMessage()),
                        now);
            }
        }
        return t;
    }

    private Ticket status(Ticket t, Fields f, OffsetDateTime now) {
        String category = f.status().category();
        String name = f.status().nameOrEmpty();
        // What the hub saw last time: a status reached from a resolved request is where a reopen led, not a move
        // of staff's, and a status seen again is no move at all.
        Optional<String> before = store.jsmStatus(t.id());
        String seen = (f.resolved() ? DONE : category) + ":" + name;
        store.setJsmStatus(t.id(), seen);
        boolean moved = before.isEmpty() || !before.get().equalsIgnoreCase(seen);
        boolean fromResolved = before.isPresent() && before.get().startsWith(DONE + ":");
        if (f.resolved()) {
            if (t.status() != TicketStatus.RESOLVED && t.status() != TicketStatus.CLOSED) {
                String resolution = f.resolution() == null || f.resolution().name() == null ? name : f.resolution().name();
                t = progress.applyWithin(t, Step.RESOLVED, now, null, "resolved in JSM: " + resolution, "jira");
                String when = f.resolutiondate() == null ? now.toString() : f.resolutiondate();
                if (store.noticeOnce(t.id(), "resolved", when, now)) {
                    intake.tellCustomer(t, "resolved", null, null, resolution,
                            intake.newMessageId("resolved." + t.number()), now);
                }
            }
            return t;
        }
        boolean reopened = false;
        if (t.status() == TicketStatus.RESOLVED) {
            t = progress.applyWithin(t, Step.REOPENED, now, null, "reopened in JSM", "jira");
            reopened = true;
        }
        boolean waiting = config.waitingStatuses().stream().anyMatch(w -> w.strip().equalsIgnoreCase(name));
        if (waiting) {
            if (t.status() != TicketStatus.WAITING_ON_CUSTOMER) {
                t = progress.applyWithin(t, Step.WAITING_ON_CUSTOMER, now, null, "JSM status " + name, "jira");
                waitingNotice(t, now);
            }
        } else if ("indeterminate".equals(category)) {
            if (t.status() == TicketStatus.WAITING_ON_CUSTOMER) {
                t = progress.applyWithin(t, Step.RESUMED, now, null, "JSM status " + name, "jira");
            }
        }
        // Taking in charge is staff's act: a move into a status of hub.jira.taken-in-charge-statuses (or their
        // first public reply, above); never a reopen (whatever status it leads to, now or at a later sync), nor a
        // mere status category
        boolean takingStatus = config.takenInChargeStatuses().stream()
                .anyMatch(s -> s.strip().equalsIgnoreCase(name));
        if (takingStatus && moved && !fromResolved && !reopened
                && (t.sla() == null || t.sla().takenInChargeAt() == null)) {
            t = progress.applyWithin(t, Step.TAKEN_IN_CHARGE, now, null, "JSM status " + name, "jira");
        }
        return t;
    }

    /**
     * Staff wait for the customer: unless staff's own public reply is what awaits an answer (that reply was mailed,
     * in this sync or an earlier one), the customer is told that an answer of theirs is awaited and how to give it.
     */
    private void waitingNotice(Ticket t, OffsetDateTime now) {
        List<TicketLedger.ConversationMessage> said = intake.conversation(t);
        TicketLedger.ConversationMessage last = said.isEmpty() ? null : said.get(said.size() - 1);
        if (last != null && "OUT".equals(last.direction()) && last.kind() == null) {
            return;
        }
        intake.tellCustomer(t, "waiting", null, null, null, intake.newMessageId("waiting." + t.number()), now);
        ledger.insertEvent(t.id(), new TicketLedger.Event("waiting-notice", "the customer is told an answer is awaited",
                "jira", now));
    }

    /** The category of a resolved request, as {@link JiraStore#jsmStatus} keeps it. */
    private static final String DONE = "done";

    private void escalation(Ticket t, String key, Fields f, OffsetDateTime now) {
        boolean labelled = f.labels().stream().anyMatch(l -> l.equalsIgnoreCase(config.escalationLabel()));
        boolean status = f.status().nameOrEmpty().equalsIgnoreCase(config.escalationStatus());
        if ((labelled || status) && store.rdKey(t.id()).isEmpty() && store.noticeOnce(t.id(), "escalation", key, now)) {
            outbox.escalate(t, now);
            ledger.insertEvent(t.id(), new TicketLedger.Event("escalation-requested",
                    labelled ? "label " + config.escalationLabel() : "status " + config.escalationStatus(), "jira", now));
        }
    }

    private void bug(String key, com.esii.support.hub.jira.dto.Issue issue) {
        Optional<Long> ticketId = store.ticketByRdKey(key);
        if (ticketId.isEmpty()) {
            return;
        }
        Fields f = issue.fields();
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            Ticket t = ledger.lockById(ticketId.get()).orElseThrow();
            if (config.workaroundField().isPresent()) {
                String text = JiraClient.plainText(f.field(config.workaroundField().get()));
                if (!text.isBlank() && store.noticeOnce(t.id(), "workaround", "field:" + Hashes.sha256Hex(
                        text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), now)) {
                    workaround(t, text, now);
                }
            }
            for (Comment c : f.comments()) {
                String text = JiraClient.plainText(c.body());
                for (String prefix : config.workaroundPrefixes()) {
                    if (text.regionMatches(true, 0, prefix, 0, prefix.length())
                            && store.noticeOnce(t.id(), "workaround", "comment:" + c.id(), now)) {
                        workaround(t, text.substring(prefix.length()).strip(), now);
                        break;
                    }
                }
            }
            for (com.esii.support.hub.jira.dto.Issue.Version v : f.fixVersions()) {
                String version = v.name() == null ? "" : v.name();
                if (v.released() && store.noticeOnce(t.id(), "fix", version, now)) {
                    // the customer's page shows the news the mail tells them
                    intake.staffReply(t, null, version, TicketLedger.FIX_DELIVERED, now);
                    intake.tellCustomer(t, "fix-delivered", null, null, version, intake.newMessageId("fix." + t.number()), now);
                    outbox.publicComment(t, customerTexts.text(t.language(), "jsm_fix_delivered")
                            .replace("{version}", version).replace("{key}", key), null, now);
                    ledger.insertEvent(t.id(), new TicketLedger.Event("fix-delivered", version + " (" + key + ")", "jira", now));
                }
            }
            if (f.resolved() && config.resolveWithBug() && t.status() != TicketStatus.RESOLVED
                    && store.noticeOnce(t.id(), "bug-resolved", key, now)) {
                outbox.transition(t, "resolve", now);
                ledger.insertEvent(t.id(), new TicketLedger.Event("bug-resolved", key, "jira", now));
            }
        });
    }

    private void workaround(Ticket t, String text, OffsetDateTime now) {
        intake.staffReply(t, null, text, TicketLedger.WORKAROUND, now);
        intake.tellCustomer(t, "workaround", text, null, null, intake.newMessageId("workaround." + t.number()), now);
        outbox.publicComment(t, customerTexts.text(t.language(), "jsm_workaround").replace("{text}", text), null, now);
        ledger.insertEvent(t.id(), new TicketLedger.Event("workaround", text.length() > 200 ? text.substring(0, 200) : text,
                "jira", now));
    }

    /** A request opened on the JSM portal: a hub ticket like any other (number, triage, deadlines, answer). */
    private void portal(String key, com.esii.support.hub.jira.dto.Issue issue) {
        Fields f = issue.fields();
        String email = f.reporter() == null ? "" : f.reporter().email();
        String name = f.reporter() == null || f.reporter().displayName() == null ? "" : f.reporter().displayName();
        if (email.isBlank()) {
            // Cloud may hide the address in the issue: JSM's own view of the request shows the reporter's.
            User r = jira.get("/rest/servicedeskapi/request/" + key, Map.of(), ServiceDeskRequest.class).reporter();
            if (r != null) {
                email = r.email();
                name = name.isBlank() && r.displayName() != null ? r.displayName() : name;
            }
        }
        String subject = f.summary() == null ? "(no subject)" : f.summary();
        String text = JiraClient.plainText(f.description());
        String reporter = email;
        Language language = LanguageDecision.decide(null,
                () -> reporter.isBlank() ? Optional.empty() : ledger.lastLanguageOf(reporter), subject, text,
                core.language()).language();
        NewTicket t = new NewTicket(Channel.PORTAL, name.isBlank() ? email : name, email, null, null, null,
                subject.length() > 255 ? subject.substring(0, 255) : subject, text.isBlank() ? "(no text)" : text,
                null, null, language.code(), List.of(), null);
        String address = email;
        OpenedTicket opened = QuarkusTransaction.requiringNew().call(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            OpenedTicket o = intake.openWithin(t, language, null, null, !address.isBlank(), null, now);
            store.setJsmKey(o.ticket().id(), key, issue.id());
            Ticket stored = o.ticket();
            outbox.numberInSummary(stored, now);
            // the request's description is the customer's already: the triage is for staff only
            outbox.internalComment(stored, JsmRequests.triage(stored, texts), now);
            status(ledger.lockById(stored.id()).orElseThrow(), f, now);
            return o;
        });
        metrics.counter("hub.tickets.created", "channel", "portal").increment();
        LOG.infof("JSM portal request %s became ticket %s", key, opened.ticket().number());
    }
}
