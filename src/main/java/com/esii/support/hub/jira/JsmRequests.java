package com.esii.support.hub.jira;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.ticket.Kind;
import com.esii.support.hub.ticket.Participants;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.jira.dto.AccountIds;
import com.esii.support.hub.jira.dto.AttachFiles;
import com.esii.support.hub.jira.dto.Issue;
import com.esii.support.hub.jira.dto.NewComment;
import com.esii.support.hub.jira.dto.NewCustomer;
import com.esii.support.hub.jira.dto.NewRequest;
import com.esii.support.hub.jira.dto.ParticipantUpdate;
import com.esii.support.hub.jira.dto.ServiceDeskRequest;
import com.esii.support.hub.jira.dto.TemporaryAttachments;
import com.esii.support.hub.jira.dto.User;
import com.esii.support.hub.jira.dto.UserPage;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Makes a ticket a JSM request on behalf of its customer: the request type by kind, the hub number in the summary
 * (and in {@code hub.jira.hub-number-field}), the priority, the customer's own text as the description (the
 * customer reads it on the portal; the triage follows as an internal comment, {@link #triage}), then the
 * attachments. Never twice: when an earlier claim of the row may have created it (a timeout after the POST, a
 * replica killed mid-way), the request is first looked up by the hub number in its summary.
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/jira.yaml}), which performs the {@code jira-create} rows.
 */
@ApplicationScoped
@Named("jsmRequests")
public class JsmRequests {

    private static final Logger LOG = Logger.getLogger(JsmRequests.class);

    private final JiraClient jira;
    private final JiraStore store;
    private final TicketLedger ledger;
    private final JiraConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final Outbox outbox;
    private final StaffTexts texts;
    private final Participants participants;

    public JsmRequests(JiraClient jira, JiraStore store, TicketLedger ledger, JiraConfig config, ObjectMapper json,
            Clock clock, Outbox outbox, StaffTexts texts, Participants participants) {
        this.participants = participants;
        this.outbox = outbox;
        this.texts = texts;
        this.jira = jira;
        this.store = store;
        this.ledger = ledger;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** The route performing jira-create rows ({@code routes/jira.yaml}). */
    public static final String ROUTE = "jsm-create-request";

    /** One request's creation, step by step: the row, its ticket, then the request's key and id once known. */
    public static final class Creation {
        private final OutboxRow row;
        private final Ticket ticket;
        private Optional<String> account = Optional.empty();
        private List<String> participants = List.of();
        private String key;
        private String id;

        /** Whether the ticket's first message has files, as its row says (null: not said, asked of the ledger). */
        private final Boolean files;

        Creation(OutboxRow row, Ticket ticket, Boolean files) {
            this.row = row;
            this.ticket = ticket;
            this.files = files;
        }

        public Ticket ticket() {
            return ticket;
        }

        /** An earlier attempt recorded the request's key: nothing left to do. */
        public boolean hasJsmKey() {
            return ticket.jsmKey() != null;
        }

        /** An earlier claim of the row may have created the request (a timeout after the POST, a replica killed). */
        public boolean mayHaveReachedTarget() {
            return row.mayHaveReachedTarget();
        }

        /** The request's key is known (found or created). */
        public boolean found() {
            return key != null;
        }

        public String key() {
            return key;
        }

        /** The accounts the request is raised with as participants (the ticket's participants but its customer). */
        public List<String> participants() {
            return participants;
        }
    }

    /** The ticket of the row (as the relay read it with the row, else read here). */
    public Creation load(OutboxRow row) throws Exception {
        JiraOutbox.Create p = json.readValue(row.payload(), JiraOutbox.Create.class);
        String number = p.ticket();
        Ticket t = row.ticket(number).or(() -> ledger.findByNumber(number)).orElseThrow(() -> new PermanentFailure("no ticket " + number));
        return new Creation(row, t, p.files());
    }

    /** The request an earlier attempt created for this hub number, looked up by the number in its summary. */
    public void lookUp(Creation c) {
        find(c.ticket.number()).ifPresent(existing -> {
            c.key = existing.key();
            c.id = existing.id();
            LOG.infof("JSM request %s of %s found (created by an earlier attempt)", c.key, c.ticket.number());
        });
    }

    /**
     * The customer the request is raised on behalf of (their JSM account, created or found when needed), and the
     * people their mail copied (To, Cc: the ticket's participants), its participants; one Jira refuses an account is
     * left out (logged), the request is raised all the same.
     */
    public void onBehalfOf(Creation c) {
        c.account = customer(c.ticket);
        List<String> accounts = new ArrayList<>();
        // as the relay read them with the row's ticket, else read here
        for (String address : c.row.participants(c.ticket.id()).orElseGet(() -> participants.of(c.ticket.id()))) {
            if (Participants.normal(address).equals(Participants.normal(c.ticket.customerEmail()))) {
                continue;
            }
            try {
                account(address, null).ifPresent(accounts::add);
            } catch (PermanentFailure refused) {
                LOG.warnf("Ticket %s: %s is left out of the request's participants (%s)", c.ticket.number(), address,
                        refused.getMessage());
            }
        }
        c.participants = accounts;
    }

    /** Creates the request. */
    public void create(Creation c) {
        ServiceDeskRequest created = jira.post("/rest/servicedeskapi/request",
                request(c.ticket, c.account, c.participants), ServiceDeskRequest.class);
        c.key = created.issueKey();
        c.id = created.issueId();
        if (c.key == null) {
            throw new PermanentFailure("JSM created a request without issueKey for " + c.ticket.number());
        }
        LOG.infof("JSM request %s created for %s", c.key, c.ticket.number());
    }

    /**
     * Records the request's key on the ticket and in its history, and queues the customer's files: they follow in
     * their own step (a jira-comment row), so that a refused file never loses the key.
     */
    public void record(Creation c) {
        Ticket t = c.ticket;
        String number = t.number();
        // as the row says (the intake knew), else asked, not their bytes: the comment row reads them
        boolean files = c.files != null ? c.files : ledger.firstMessageHasAttachments(t.id());
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            store.setJsmKey(t.id(), c.key, c.id);
            ledger.insertEvent(t.id(), new TicketLedger.Event("jira-request", c.key, "jira", now));
            if (files) {
                outbox.enqueue(JiraOutbox.COMMENT, JiraOutbox.lane(number), t.id(),
                        new JiraOutbox.Comment(number, null, true, store.firstMessageId(t.id())), now);
            }
        });
    }

    /** The request as JSM expects it ({@code additionalProperties: false}: nothing else). */
    NewRequest request(Ticket t, Optional<String> onBehalfOf, List<String> participants) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("summary", summary(t));
        fields.put("description", description(t));
        List<String> priorities = config.priorityNames();
        Integer p = t.triage() == null ? null : t.triage().priority();
        if (p != null && !priorities.isEmpty()) {
            fields.put("priority", Map.of("name", priorities.get(Math.min(p, priorities.size()) - 1).strip()));
        }
        config.hubNumberField().ifPresent(f -> fields.put(f, t.number()));
        return new NewRequest(config.serviceDeskId(),
                t.kind() == Kind.QUESTION ? config.requestTypeQuestion() : config.requestTypeProblem(), fields,
                onBehalfOf.orElse(null), participants.isEmpty() ? null : participants);
    }

    static String summary(Ticket t) {
        String s = "[" + t.number() + "] " + t.subject();
        return s.length() > 254 ? s.substring(0, 254) : s;
    }

    /**
     * What the customer wrote, and nothing else: the customer reads the description on the portal. The hub's triage
     * is for staff: an internal comment written right after the request ({@link #triage}).
     */
    static String description(Ticket t) {
        return t.description() == null ? "" : t.description();
    }

    /** The customer's text, then the hub's triage: for staff's eyes only (the R&D bug's description). */
    static String withTriage(Ticket t, StaffTexts texts) {
        return description(t) + "\n\n----\n" + triage(t, texts);
    }

    /**
     * The hub's triage, for staff only (the request's first, internal comment, in the desk's language): where the
     * ticket comes from and who wrote it, the access code, the contract and its options, the triage's rules and the
     * take-charge deadline.
     */
    static String triage(Ticket t, StaffTexts texts) {
        StringBuilder b = new StringBuilder(texts.text("request.ticket", "ticket", t.number(), "channel",
                texts.channel(t.channel()), "language", t.language().code())).append('\n');
        b.append(texts.text("request.customer", "name", nz(t.customerName()), "email", nz(t.customerEmail())));
        if (t.customerCompany() != null) {
            b.append(", ").append(t.customerCompany());
        }
        if (t.accessCode() != null) {
            b.append(", ").append(texts.text("request.access-code", "code", t.accessCode()));
        }
        if (t.product() != null) {
            b.append(", ").append(texts.text("request.product", "product", t.product()));
        }
        Ticket.Triage tr = t.triage();
        if (tr != null) {
            b.append('\n').append(texts.text("request.contract", "contract", texts.contract(tr.contract()), "reason",
                    texts.contractReason(nz(tr.contractReason()))));
            if (tr.customerCode() != null) {
                b.append('\n').append(texts.text("request.customer-code", "code", tr.customerCode()))
                        .append(Boolean.TRUE.equals(tr.onCall()) ? ", " + texts.text("request.on-call") : "")
                        .append(Boolean.TRUE.equals(tr.hosted()) ? ", " + texts.text("request.hosted") : "");
            }
            b.append('\n').append(texts.text("request.triage", "kind", texts.kind(t.kind()), "kindRule", tr.kindRule(),
                    "criticality", texts.criticality(t.criticality()), "criticalityRule", tr.criticalityRule(),
                    "priority", tr.priority()));
        }
        Ticket.Sla s = t.sla();
        if (s != null && s.takeChargeDue() != null) {
            b.append('\n').append(texts.text("request.take-charge", "due",
                    texts.time(s.takeChargeDue().atZoneSameInstant(ZoneId.of("Europe/Paris")))))
                    .append(Ticket.UNKNOWN.equals(tr == null ? null : tr.contract())
                            ? ", " + texts.text("request.provisional") : "");
        } else {
            b.append('\n').append(texts.text("request.no-deadline"));
        }
        return b.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** The request created for this hub number by an earlier attempt, if any. */
    Optional<Issue> find(String number) {
        String jql = "project = \"" + config.projectKey() + "\" AND summary ~ \"\\\"" + number + "\\\"\"";
        for (Issue issue : JiraSearch.search(jira, jql, List.of("summary"), 10)) {
            String summary = issue.fields().summary();
            if (summary != null && summary.contains("[" + number + "]")) {
                return Optional.of(issue);
            }
        }
        return Optional.empty();
    }

    /** The customer's JSM account (Cloud: accountId, created when missing; Data Center: the email as username). */
    Optional<String> customer(Ticket t) {
        return account(t.customerEmail(), t.customerName());
    }

    /**
     * The JSM account of this address, a customer of the desk (Cloud: accountId, created when missing; Data Center:
     * the email as username).
     */
    Optional<String> account(String email, String name) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        if (!jira.cloud()) {
            return Optional.of(email);
        }
        Optional<String> known = store.accountId(email);
        if (known.isPresent()) {
            return known;
        }
        String account;
        try {
            NewCustomer c = new NewCustomer(email, name == null || name.isBlank() ? email : name);
            account = jira.post("/rest/servicedeskapi/customer?strictConflictStatusCode=true", c, User.class)
                    .accountId();
        } catch (PermanentFailure e) {
            if (!e.getMessage().contains("→ 409")) {
                throw e;
            }
            // The customer exists already: find their account.
            UserPage found = jira.getExperimental("/rest/servicedeskapi/servicedesk/" + config.serviceDeskId()
                    + "/customer", Map.of("query", email, "start", "0", "limit", "5"), UserPage.class);
            account = null;
            for (User u : found.values()) {
                if (email.equalsIgnoreCase(u.email())) {
                    account = u.accountId();
                }
            }
            if (account == null) {
                // An account of the site that is not (yet) this desk's customer: an earlier attempt created it and
                // was cut before adding it to the desk. The platform's user search finds it.
                for (User u : jira.get(jira.api() + "/user/search", Map.of("query", email, "maxResults", "10"),
                        User[].class)) {
                    if (email.equalsIgnoreCase(u.email())) {
                        account = u.accountId();
                    }
                }
            }
        }
        if (account == null) {
            LOG.warnf("No JSM account for %s: the request is raised by the hub's account", email);
            return Optional.empty();
        }
        jira.post("/rest/servicedeskapi/servicedesk/" + config.serviceDeskId() + "/customer",
                new AccountIds(List.of(account)));
        String a = account;
        QuarkusTransaction.requiringNew().run(() -> store.rememberAccount(email, a));
        return Optional.of(account);
    }

    /**
     * Makes this address a participant of the request (its JSM account created or found first). Adding a participant
     * the request has already changes nothing, so a retry may add it again.
     */
    void addParticipant(String key, String email, String name) {
        Optional<String> account = account(email, name);
        if (account.isEmpty()) {
            return;
        }
        jira.post("/rest/servicedeskapi/request/" + key + "/participant", jira.cloud()
                ? new ParticipantUpdate(List.of(account.get()), null)
                : new ParticipantUpdate(null, List.of(account.get())));
        LOG.infof("%s is a participant of JSM request %s", email, key);
    }

    /**
     * The files that the request does not hold yet (by name and size), for a retry that may have attached some
     * already.
     */
    List<TicketLedger.StoredAttachment> notYetAttached(String key, List<TicketLedger.StoredAttachment> files) {
        Issue issue = jira.get(jira.api() + "/issue/" + key, Map.of("fields", "attachment"), Issue.class);
        List<String> there = new ArrayList<>();
        for (Issue.Attachment a : issue.fields().attachment()) {
            there.add(a.filename() + "/" + (a.size() == null ? -1 : a.size()));
        }
        List<TicketLedger.StoredAttachment> missing = new ArrayList<>();
        for (TicketLedger.StoredAttachment f : files) {
            if (!there.remove(f.filename() + "/" + f.content().length)) {
                missing.add(f);
            }
        }
        if (missing.size() < files.size()) {
            LOG.infof("%d file(s) already on %s (attached by an earlier attempt)", files.size() - missing.size(), key);
        }
        return missing;
    }

    /** Attaches files to the request: temporary upload, then attach (public). */
    void attach(String key, List<TicketLedger.StoredAttachment> files, String comment) {
        if (files.isEmpty()) {
            return;
        }
        // one file per upload: a refused file (too large) names itself, and no server has to merge parts
        List<String> ids = new ArrayList<>();
        for (TicketLedger.StoredAttachment a : files) {
            TemporaryAttachments temp = jira.postFiles("/rest/servicedeskapi/servicedesk/" + config.serviceDeskId()
                    + "/attachTemporaryFile", List.of(new JiraClient.FilePart(a.filename(), a.contentType(), a.content())),
                    TemporaryAttachments.class);
            temp.temporaryAttachments().forEach(t -> ids.add(t.temporaryAttachmentId()));
        }
        jira.post("/rest/servicedeskapi/request/" + key + "/attachment",
                new AttachFiles(ids, true, comment == null ? null : new NewComment(comment, null)));
    }
}
