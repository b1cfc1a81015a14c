package com.esii.support.hub.testing.sim;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.esii.support.hub.testing.sim.SimHttp.Request;
import com.esii.support.hub.testing.sim.SimHttp.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The state and the REST APIs of the simulated JSM (service desk {@code 1}, project {@code SD}) and Jira R&D
 * (project {@code DEV}). Every method that reads or changes the state holds the simulator's lock.
 */
final class JiraSim {

    static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);
    static final DateTimeFormatter ISO_NO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ")
            .withZone(ZoneOffset.UTC);

    record Status(String id, String name, String category) {
    }

    record Transition(String id, String name, String toSd, String toDev, boolean fromDone) {
    }

    static final Map<String, Status> STATUSES = Map.ofEntries(
            Map.entry("Waiting for support", new Status("10001", "Waiting for support", "new")),
            Map.entry("To Do", new Status("10000", "To Do", "new")),
            Map.entry("In Progress", new Status("3", "In Progress", "indeterminate")),
            Map.entry("Waiting for customer", new Status("10002", "Waiting for customer", "indeterminate")),
            Map.entry("Escalated to R&D", new Status("10003", "Escalated to R&D", "indeterminate")),
            Map.entry("Reopened", new Status("4", "Reopened", "indeterminate")),
            Map.entry("Resolved", new Status("5", "Resolved", "done")),
            Map.entry("Done", new Status("10004", "Done", "done")));

    /** The workflow's transitions: ids as in mocks/mappings/jira/issue-transitions.json. */
    static final List<Transition> TRANSITIONS = List.of(
            new Transition("11", "Start progress", "In Progress", "In Progress", false),
            new Transition("21", "Resolve", "Resolved", "Done", false),
            new Transition("31", "Reopen", "Reopened", "To Do", true),
            new Transition("41", "Wait for customer", "Waiting for customer", null, false),
            new Transition("51", "Escalate to R&D", "Escalated to R&D", null, false));

    static final Map<String, String[]> LINK_TYPES = Map.of(
            "Relates", new String[] { "10003", "relates to", "relates to" },
            "Blocks", new String[] { "10000", "is blocked by", "blocks" },
            "Duplicate", new String[] { "10002", "is duplicated by", "duplicates" },
            "Cloners", new String[] { "10001", "is cloned by", "clones" });

    static final class Account {
        final String accountId;
        final String email;
        final String displayName;

        Account(String accountId, String email, String displayName) {
            this.accountId = accountId;
            this.email = email;
            this.displayName = displayName;
        }

        ObjectNode json() {
            ObjectNode n = Json.F.objectNode().put("accountId", accountId).put("displayName", displayName)
                    .put("active", true).put("timeZone", "Europe/Paris");
            if (email != null) {
                n.put("emailAddress", email);
            }
            return n;
        }
    }

    static final class Comment {
        final long id;
        final Account author;
        final String body;
        final boolean isPublic;
        final Instant created;

        Comment(long id, Account author, String body, boolean isPublic, Instant created) {
            this.id = id;
            this.author = author;
            this.body = body;
            this.isPublic = isPublic;
            this.created = created;
        }
    }

    record Attachment(long id, String filename, String mimeType, byte[] content, Instant created) {
    }

    record Worklog(long id, Account author, long seconds, Instant started) {
    }

    record Link(long id, String type, String inward, String outward) {
    }

    record Version(long id, String project, String name, boolean released) {
    }

    final class Issue implements Jql.Subject {
        final long id;
        final String key;
        final String project;
        final String issueType;
        final boolean customerRequest;
        String summary;
        String description;
        final Map<String, JsonNode> custom = new LinkedHashMap<>();
        String requestTypeId;
        Account reporter;
        String priority;
        final Set<String> labels = new LinkedHashSet<>();
        Status status;
        String resolution;
        Instant resolutionDate;
        final Instant createdAt;
        Instant updatedAt;
        final List<Comment> comments = new ArrayList<>();
        final List<Attachment> attachments = new ArrayList<>();
        final List<Worklog> worklogs = new ArrayList<>();
        final List<Version> fixVersions = new ArrayList<>();
        final List<Account> participants = new ArrayList<>();

        Issue(String project, String issueType, boolean customerRequest, Instant now) {
            this.id = ids.incrementAndGet();
            long n = numbers.computeIfAbsent(project, p -> new AtomicLong()).incrementAndGet();
            this.key = project + "-" + n;
            this.project = project;
            this.issueType = issueType;
            this.customerRequest = customerRequest;
            this.status = STATUSES.get(project.equals(sdProject) ? "Waiting for support" : "To Do");
            this.createdAt = now;
            this.updatedAt = now;
        }

        void touch() {
            Instant now = clock.instant();
            updatedAt = now.isAfter(updatedAt) ? now : updatedAt.plusMillis(1);
        }

        @Override
        public String project() {
            return project;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public String summary() {
            return summary;
        }

        @Override
        public List<String> labels() {
            return List.copyOf(labels);
        }

        @Override
        public String status() {
            return status.name();
        }

        @Override
        public List<String> fixVersions() {
            List<String> out = new ArrayList<>();
            fixVersions.forEach(v -> {
                out.add(String.valueOf(v.id()));
                out.add(v.name());
            });
            return out;
        }

        @Override
        public Instant updated() {
            return updatedAt;
        }

        @Override
        public Instant created() {
            return createdAt;
        }
    }

    final Clock clock;
    final String sdProject;
    final String rdProject;
    final String serviceDeskId;
    private final Simulator sim;
    final AtomicLong ids = new AtomicLong(10_000);
    final Map<String, AtomicLong> numbers = new LinkedHashMap<>();
    final AtomicLong commentIds = new AtomicLong(20_000);
    final AtomicLong otherIds = new AtomicLong(30_000);
    final Map<String, Issue> issues = new LinkedHashMap<>();
    final Map<String, Account> accountsById = new LinkedHashMap<>();
    final Map<String, Account> customersByEmail = new LinkedHashMap<>();
    final Set<String> deskCustomers = new LinkedHashSet<>();
    final Map<String, Attachment> temporary = new LinkedHashMap<>();
    final List<Link> links = new ArrayList<>();
    final Map<String, Version> versions = new LinkedHashMap<>();
    final Account staff = new Account("5b10a2844c20165700ede21g", "marie.agent@esii.example", "Marie Agent");
    volatile Duration searchLag = Duration.ZERO;
    /** Where the requests' Reopen transition leads (Reopened; some workflows go back to In Progress). */
    volatile String reopenInto = "Reopened";
    volatile String email;
    volatile String token;
    /** Service accounts' OAuth 2.0 client ids and their accounts' emails. */
    final Map<String, String> serviceAccounts = new LinkedHashMap<>();

    JiraSim(Simulator sim, Clock clock, String sdProject, String rdProject, String serviceDeskId) {
        this.sim = sim;
        this.clock = clock;
        this.sdProject = sdProject;
        this.rdProject = rdProject;
        this.serviceDeskId = serviceDeskId;
        accountsById.put(staff.accountId, staff);
    }

    /** Forgets everything but the counters: keys are never given twice, even across a reset. */
    void reset() {
        issues.clear();
        accountsById.clear();
        accountsById.put(staff.accountId, staff);
        customersByEmail.clear();
        deskCustomers.clear();
        temporary.clear();
        links.clear();
        versions.clear();
        searchLag = Duration.ZERO;
        reopenInto = "Reopened";
    }

    // --- HTTP ------------------------------------------------------------------------------------------------

    private static final Pattern REQUEST = Pattern.compile("/rest/servicedeskapi/request/([^/]+)(/comment|/attachment|/participant)?");
    private static final Pattern DESK = Pattern.compile("/rest/servicedeskapi/servicedesk/([^/]+)/(customer|attachTemporaryFile)");
    private static final Pattern ISSUE = Pattern.compile("/rest/api/[23]/issue/([^/]+)(/transitions|/worklog|/comment)?");

    /** Whether this request writes (for {@link Faults#onWrites()}). */
    static boolean write(Request r) {
        return !r.method().equals("GET") && !r.path().contains("/search");
    }

    Response handle(Request r) {
        Account caller = caller(r);
        if (caller == null) {
            return Response.json(401, "{\"errorMessages\":[\"You are not authenticated. Authentication required to perform"
                    + " this operation.\"],\"errors\":{}}");
        }
        String p = r.path();
        String m = r.method();
        Matcher x;
        if (p.equals("/rest/servicedeskapi/info") && m.equals("GET")) {
            return Response.json(200, "{\"version\":\"10.3.0\",\"platformVersion\":\"10.3.0\",\"buildDate\":{\"iso8601\":"
                    + "\"2026-01-01T00:00:00+0000\"},\"buildChangeSet\":\"simulator\",\"isLicensedForUse\":true,"
                    + "\"_links\":{\"self\":\"" + sim.url() + "/rest/servicedeskapi/info\"}}");
        }
        if (p.equals("/rest/servicedeskapi/customer") && m.equals("POST")) {
            return createCustomer(r);
        }
        if (p.equals("/rest/api/3/user/search") && m.equals("GET")) {
            return searchUsers(r);
        }
        if ((x = DESK.matcher(p)).matches()) {
            if (!x.group(1).equals(serviceDeskId)) {
                return error(404, "Service desk " + x.group(1) + " does not exist.");
            }
            if (x.group(2).equals("customer")) {
                return m.equals("POST") ? addCustomers(r) : m.equals("GET") ? listCustomers(r) : null;
            }
            return m.equals("POST") ? temporaryAttachments(r) : null;
        }
        if (p.equals("/rest/servicedeskapi/request") && m.equals("POST")) {
            return createRequest(r, caller);
        }
        if ((x = REQUEST.matcher(p)).matches()) {
            Issue i = issues.get(x.group(1));
            if (i == null || !i.customerRequest) {
                return error(404, "The request " + x.group(1) + " does not exist or you do not have permission to see it.");
            }
            if (x.group(2) == null) {
                return m.equals("GET") ? Response.json(200, Json.write(requestDto(i))) : null;
            }
            if (x.group(2).equals("/comment")) {
                return m.equals("POST") ? createComment(i, r, caller) : m.equals("GET") ? listComments(i, r) : null;
            }
            if (x.group(2).equals("/participant")) {
                return m.equals("GET") ? listParticipants(i, r) : m.equals("POST") ? addParticipants(i, r) : null;
            }
            return m.equals("POST") ? attach(i, r, caller) : null;
        }
        if (p.equals("/rest/api/3/search/jql")) {
            if (m.equals("POST")) {
                return search(Json.read(r.text()));
            }
            if (m.equals("GET")) {
                ObjectNode q = Json.F.objectNode();
                r.query().forEach((k, v) -> q.put(k, v));
                if (q.has("fields")) {
                    ArrayNode f = Json.F.arrayNode();
                    for (String s : q.get("fields").asText().split(",")) {
                        f.add(s.strip());
                    }
                    q.set("fields", f);
                }
                if (q.has("maxResults")) {
                    q.put("maxResults", Integer.parseInt(q.get("maxResults").asText()));
                }
                return search(q);
            }
        }
        if (p.equals("/rest/api/3/search") || p.equals("/rest/api/2/search")) {
            return Response.json(410, "{\"errorMessages\":[\"The requested API has been removed. Please migrate to the"
                    + " /rest/api/3/search/jql API. A full migration guideline is available at"
                    + " https://developer.atlassian.com/changelog/#CHANGE-2046\"],\"errors\":{}}");
        }
        if (p.equals("/rest/api/3/issue") && m.equals("POST")) {
            return createIssue(Json.read(r.text()), caller);
        }
        if (p.equals("/rest/api/3/issueLink") && m.equals("POST")) {
            return link(Json.read(r.text()));
        }
        if ((x = ISSUE.matcher(p)).matches()) {
            String ref = x.group(1);
            Issue i = issues.get(ref);
            if (i == null) {
                i = issues.values().stream().filter(c -> String.valueOf(c.id).equals(ref)).findFirst().orElse(null);
            }
            if (i == null) {
                return error(404, "Issue does not exist or you do not have permission to see it.");
            }
            String sub = x.group(2);
            if (sub == null) {
                if (m.equals("GET")) {
                    return Response.json(200, Json.write(issueJson(i, fieldList(r.query().get("fields")))));
                }
                return m.equals("PUT") ? edit(i, Json.read(r.text())) : null;
            }
            if (sub.equals("/transitions")) {
                return m.equals("GET") ? transitions(i) : m.equals("POST") ? transition(i, Json.read(r.text()), caller) : null;
            }
            if (sub.equals("/worklog") && m.equals("GET")) {
                return worklogs(i, r);
            }
            if (sub.equals("/comment") && m.equals("POST")) {
                JsonNode b = Json.read(r.text());
                Comment c = addComment(i, caller, Json.text(b.path("body")), true);
                return Response.json(201, Json.write(platformComment(i, c)));
            }
        }
        return null;
    }

    Account caller(Request r) {
        String auth = r.header("Authorization");
        if (auth == null) {
            return null;
        }
        String who;
        if (auth.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            who = colon < 0 ? decoded : decoded.substring(0, colon);
            String secret = colon < 0 ? "" : decoded.substring(colon + 1);
            if (email != null && (!email.equalsIgnoreCase(who) || !secret.equals(token))) {
                return null;
            }
        } else if (auth.startsWith("Bearer ")) {
            OAuthSim.Issued issued = sim.oauthToken(auth.substring(7).strip());
            if (issued != null && serviceAccounts.containsKey(issued.client())) {
                who = serviceAccounts.get(issued.client());
            } else if (token != null && !auth.substring(7).strip().equals(token)) {
                return null;
            } else {
                who = email == null ? "hub" : email;
            }
        } else {
            return null;
        }
        String accountId = "hub:" + Integer.toHexString(who.toLowerCase(Locale.ROOT).hashCode());
        return accountsById.computeIfAbsent(accountId, id -> new Account(id, who, "Support hub"));
    }

    static Response error(int status, String message) {
        return Response.json(status, "{\"errorMessages\":[\"" + Json.escape(message) + "\"],\"errors\":{}}");
    }

    private static Response fieldError(int status, String field, String message) {
        return Response.json(status, "{\"errorMessages\":[],\"errors\":{\"" + Json.escape(field) + "\":\""
                + Json.escape(message) + "\"}}");
    }

    // --- JSM -------------------------------------------------------------------------------------------------

    private Response createCustomer(Request r) {
        JsonNode b = Json.read(r.text());
        String address = b.path("email").asText("").strip();
        if (address.isEmpty() || !address.contains("@")) {
            return fieldError(400, "email", "Enter a valid email address.");
        }
        if (customersByEmail.containsKey(address.toLowerCase(Locale.ROOT))) {
            int status = "true".equals(r.query().get("strictConflictStatusCode")) ? 409 : 400;
            return Response.json(status, "{\"errorMessage\":\"An account already exists for this email\","
                    + "\"i18nErrorMessage\":{\"i18nKey\":\"sd.customer.create.error.email.exists\",\"parameters\":[]}}");
        }
        Account a = new Account("qm:" + java.util.UUID.randomUUID(), address,
                b.path("displayName").asText(b.path("fullName").asText(address)));
        accountsById.put(a.accountId, a);
        customersByEmail.put(address.toLowerCase(Locale.ROOT), a);
        return Response.json(201, Json.write(a.json()));
    }

    private Response addCustomers(Request r) {
        JsonNode b = Json.read(r.text());
        List<String> ids = new ArrayList<>();
        b.path("accountIds").forEach(n -> ids.add(n.asText()));
        b.path("usernames").forEach(n -> {
            Account a = customersByEmail.get(n.asText().toLowerCase(Locale.ROOT));
            ids.add(a == null ? n.asText() : a.accountId);
        });
        for (String id : ids) {
            if (!accountsById.containsKey(id)) {
                return error(400, "The user " + id + " does not exist.");
            }
        }
        deskCustomers.addAll(ids);
        return Response.empty(204);
    }

    /** The platform's user search: every account of the site whose address or name matches (a plain array). */
    private Response searchUsers(Request r) {
        String q = r.query().getOrDefault("query", "").toLowerCase(Locale.ROOT);
        List<ObjectNode> found = new ArrayList<>();
        for (Account a : accountsById.values()) {
            if (!q.isEmpty() && (a.email.toLowerCase(Locale.ROOT).contains(q)
                    || a.displayName.toLowerCase(Locale.ROOT).contains(q))) {
                found.add(a.json());
            }
        }
        return Response.json(200, Json.write(found));
    }

    /** JSM lists the customers of the service desk only (not every customer account of the site). */
    private Response listCustomers(Request r) {
        String q = r.query().getOrDefault("query", "").toLowerCase(Locale.ROOT);
        List<ObjectNode> found = new ArrayList<>();
        for (String id : deskCustomers) {
            Account a = accountsById.get(id);
            if (a != null && (a.email.toLowerCase(Locale.ROOT).contains(q) || a.displayName.toLowerCase(Locale.ROOT).contains(q))) {
                found.add(a.json());
            }
        }
        return Response.json(200, Json.write(paged(found, r, 50)));
    }

    private Response createRequest(Request r, Account caller) {
        JsonNode b = Json.read(r.text());
        if (!serviceDeskId.equals(b.path("serviceDeskId").asText())) {
            return error(400, "The service desk " + b.path("serviceDeskId").asText() + " does not exist.");
        }
        JsonNode values = b.path("requestFieldValues");
        String summary = values.path("summary").asText("").strip();
        if (summary.isEmpty()) {
            return fieldError(400, "summary", "You must specify a summary of the issue.");
        }
        if (summary.length() > 255) {
            return fieldError(400, "summary", "Summary must be less than 255 characters.");
        }
        Account reporter = caller;
        if (b.hasNonNull("raiseOnBehalfOf")) {
            String on = b.get("raiseOnBehalfOf").asText();
            reporter = accountsById.get(on);
            if (reporter == null) {
                return error(400, "The user '" + on + "' does not exist.");
            }
        }
        List<Account> participants = new ArrayList<>();
        for (JsonNode p : b.path("requestParticipants")) {
            Account a = accountsById.get(p.asText());
            if (a == null) {
                return error(400, "The user '" + p.asText() + "' does not exist.");
            }
            participants.add(a);
        }
        Issue i = new Issue(sdProject, "Service Request", true, clock.instant());
        i.participants.addAll(participants);
        i.summary = summary;
        i.description = values.path("description").asText(null);
        i.requestTypeId = b.path("requestTypeId").asText();
        i.reporter = reporter;
        i.priority = values.path("priority").path("name").asText(null);
        values.path("labels").forEach(l -> i.labels.add(l.asText()));
        values.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("customfield_")) {
                i.custom.put(e.getKey(), e.getValue());
            }
        });
        issues.put(i.key, i);
        sim.created("jsm-request", i.key);
        return Response.json(201, Json.write(requestDto(i)));
    }

    ObjectNode requestDto(Issue i) {
        ObjectNode n = Json.F.objectNode().put("issueId", String.valueOf(i.id)).put("issueKey", i.key)
                .put("requestTypeId", i.requestTypeId).put("serviceDeskId", serviceDeskId);
        n.set("createdDate", date(i.createdAt));
        n.set("reporter", i.reporter.json());
        ArrayNode values = n.putArray("requestFieldValues");
        values.addObject().put("fieldId", "summary").put("label", "Summary").put("value", i.summary);
        values.addObject().put("fieldId", "description").put("label", "Description").put("value", i.description);
        ObjectNode status = n.putObject("currentStatus").put("status", i.status.name())
                .put("statusCategory", i.status.category().equals("new") ? "NEW"
                        : i.status.category().equals("done") ? "DONE" : "INDETERMINATE");
        status.set("statusDate", date(i.updatedAt));
        n.putObject("_links").put("jiraRest", sim.url() + "/rest/api/2/issue/" + i.id)
                .put("web", sim.url() + "/servicedesk/customer/portal/" + serviceDeskId + "/" + i.key)
                .put("self", sim.url() + "/rest/servicedeskapi/request/" + i.id);
        return n;
    }

    static ObjectNode date(Instant t) {
        return Json.F.objectNode().put("iso8601", ISO_NO_MILLIS.format(t)).put("jira", JIRA_TIME.format(t))
                .put("friendly", JIRA_TIME.format(t)).put("epochMillis", t.toEpochMilli());
    }

    private Response createComment(Issue i, Request r, Account caller) {
        JsonNode b = Json.read(r.text());
        String body = b.path("body").asText("");
        if (body.isBlank()) {
            return fieldError(400, "body", "Comment body can not be empty!");
        }
        Comment c = addComment(i, caller, body, b.path("public").asBoolean(true));
        return Response.json(201, Json.write(jsmComment(c)));
    }

    Comment addComment(Issue i, Account author, String body, boolean isPublic) {
        Comment c = new Comment(commentIds.incrementAndGet(), author, body, isPublic, clock.instant());
        i.comments.add(c);
        i.touch();
        return c;
    }

    ObjectNode jsmComment(Comment c) {
        ObjectNode n = Json.F.objectNode().put("id", String.valueOf(c.id)).put("body", c.body).put("public", c.isPublic);
        n.set("author", c.author.json());
        n.set("created", date(c.created));
        return n;
    }

    /** JSM's paging: {@code start}, {@code limit} (default 50), {@code isLastPage}; filters public/internal. */
    private Response listComments(Issue i, Request r) {
        boolean pub = !"false".equals(r.query().get("public"));
        boolean internal = !"false".equals(r.query().get("internal"));
        List<ObjectNode> all = new ArrayList<>();
        for (Comment c : i.comments) {
            if (c.isPublic ? pub : internal) {
                all.add(jsmComment(c));
            }
        }
        return Response.json(200, Json.write(paged(all, r, 50)));
    }

    private Response listParticipants(Issue i, Request r) {
        List<ObjectNode> all = new ArrayList<>();
        i.participants.forEach(a -> all.add(a.json()));
        return Response.json(200, Json.write(paged(all, r, 50)));
    }

    /** Cloud names them by accountId; Data Center by username (the customers' emails here). */
    private Response addParticipants(Issue i, Request r) {
        JsonNode body = Json.read(r.text());
        List<Account> added = new ArrayList<>();
        for (JsonNode id : body.path("accountIds")) {
            Account a = accountsById.get(id.asText());
            if (a == null) {
                return error(400, "The account " + id.asText() + " does not exist.");
            }
            added.add(a);
        }
        for (JsonNode name : body.path("usernames")) {
            Account a = customersByEmail.get(name.asText().toLowerCase(Locale.ROOT));
            if (a == null) {
                return error(400, "The user " + name.asText() + " does not exist.");
            }
            added.add(a);
        }
        for (Account a : added) {
            if (!i.participants.contains(a)) {
                i.participants.add(a);
            }
        }
        i.touch();
        return listParticipants(i, r);
    }

    /** Staff add a request participant by address (a customer account is made for an unknown one). */
    Account addParticipant(Issue i, String address) {
        Account a = customersByEmail.get(address.toLowerCase(Locale.ROOT));
        if (a == null) {
            a = new Account("qm:" + java.util.UUID.randomUUID(), address, address);
            accountsById.put(a.accountId, a);
            customersByEmail.put(address.toLowerCase(Locale.ROOT), a);
        }
        if (!i.participants.contains(a)) {
            i.participants.add(a);
        }
        i.touch();
        return a;
    }

    private ObjectNode paged(List<ObjectNode> all, Request r, int defaultLimit) {
        int start = Math.max(0, intParam(r, "start", 0));
        int limit = Math.max(1, intParam(r, "limit", defaultLimit));
        ObjectNode n = Json.F.objectNode();
        List<ObjectNode> page = start >= all.size() ? List.of() : all.subList(start, Math.min(all.size(), start + limit));
        n.put("size", page.size()).put("start", start).put("limit", limit).put("isLastPage", start + limit >= all.size());
        n.putArray("values").addAll(page);
        n.putObject("_links").put("base", sim.url()).put("context", "");
        return n;
    }

    private static int intParam(Request r, String name, int dflt) {
        try {
            return r.query().containsKey(name) ? Integer.parseInt(r.query().get(name)) : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private Response temporaryAttachments(Request r) {
        String ct = r.header("Content-Type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !ct.contains("boundary=")) {
            return error(415, "Unsupported media type: multipart/form-data expected");
        }
        if (r.header("X-Atlassian-Token") == null) {
            return error(403, "XSRF check failed");
        }
        String boundary = ct.substring(ct.indexOf("boundary=") + 9).replace("\"", "").strip();
        ArrayNode out = Json.F.arrayNode();
        for (Multipart.Part part : Multipart.parse(r.body(), boundary)) {
            if (!"file".equals(part.name())) {
                continue;
            }
            String id = "temp" + otherIds.incrementAndGet();
            temporary.put(id, new Attachment(otherIds.incrementAndGet(), part.filename(), part.contentType(), part.content(),
                    clock.instant()));
            out.addObject().put("temporaryAttachmentId", id).put("fileName", part.filename());
        }
        if (out.isEmpty()) {
            return error(400, "No file part named 'file'");
        }
        ObjectNode n = Json.F.objectNode();
        n.set("temporaryAttachments", out);
        return Response.json(201, Json.write(n));
    }

    private Response attach(Issue i, Request r, Account caller) {
        JsonNode b = Json.read(r.text());
        List<Attachment> files = new ArrayList<>();
        for (JsonNode id : b.path("temporaryAttachmentIds")) {
            Attachment a = temporary.get(id.asText());
            if (a == null) {
                return error(400, "The temporary attachment " + id.asText() + " does not exist (used or expired).");
            }
            files.add(a);
        }
        b.path("temporaryAttachmentIds").forEach(id -> temporary.remove(id.asText()));
        i.attachments.addAll(files);
        i.touch();
        ObjectNode n = Json.F.objectNode();
        ArrayNode values = n.putObject("attachments").put("size", files.size()).put("start", 0).put("limit", 50)
                .put("isLastPage", true).putArray("values");
        for (Attachment a : files) {
            values.addObject().put("filename", a.filename()).put("mimeType", a.mimeType()).put("size", a.content().length)
                    .set("created", date(a.created()));
        }
        String text = b.path("additionalComment").path("body").asText(null);
        if (text != null) {
            n.set("comment", jsmComment(addComment(i, caller, text, b.path("public").asBoolean(true))));
        }
        return Response.json(201, Json.write(n));
    }

    // --- platform --------------------------------------------------------------------------------------------

    static Set<String> fieldList(String param) {
        if (param == null || param.isBlank()) {
            return null;
        }
        Set<String> s = new LinkedHashSet<>();
        for (String f : param.split(",")) {
            s.add(f.strip());
        }
        return s.contains("*all") || s.contains("*navigable") ? null : s;
    }

    ObjectNode issueJson(Issue i, Set<String> wanted) {
        ObjectNode n = Json.F.objectNode().put("id", String.valueOf(i.id)).put("key", i.key)
                .put("self", sim.url() + "/rest/api/3/issue/" + i.id);
        ObjectNode f = n.putObject("fields");
        Map<String, JsonNode> all = new LinkedHashMap<>();
        all.put("summary", Json.F.textNode(i.summary));
        all.put("issuetype", Json.F.objectNode().put("name", i.issueType));
        all.put("project", Json.F.objectNode().put("key", i.project).put("id", i.project.equals(sdProject) ? "10000" : "10001")
                .put("name", i.project.equals(sdProject) ? "Support" : "R&D"));
        all.put("status", statusJson(i.status));
        all.put("resolution", i.resolution == null ? Json.F.nullNode() : Json.F.objectNode().put("name", i.resolution));
        all.put("resolutiondate", i.resolutionDate == null ? Json.F.nullNode() : Json.F.textNode(JIRA_TIME.format(i.resolutionDate)));
        ArrayNode labels = Json.F.arrayNode();
        i.labels.forEach(labels::add);
        all.put("labels", labels);
        all.put("priority", i.priority == null ? Json.F.nullNode() : Json.F.objectNode().put("name", i.priority));
        all.put("description", i.description == null ? Json.F.nullNode() : Json.adf(i.description));
        all.put("reporter", i.reporter == null ? Json.F.nullNode() : i.reporter.json());
        ArrayNode fix = Json.F.arrayNode();
        for (Version v : i.fixVersions) {
            Version now = versions.getOrDefault(v.project() + "/" + v.name(), v);
            fix.addObject().put("id", String.valueOf(now.id())).put("name", now.name()).put("released", now.released())
                    .put("archived", false).put("self", sim.url() + "/rest/api/3/version/" + now.id());
        }
        all.put("fixVersions", fix);
        ObjectNode comment = Json.F.objectNode();
        ArrayNode comments = comment.putArray("comments");
        i.comments.forEach(c -> comments.add(platformComment(i, c)));
        comment.put("maxResults", i.comments.size()).put("total", i.comments.size()).put("startAt", 0);
        all.put("comment", comment);
        ArrayNode issuelinks = Json.F.arrayNode();
        for (Link l : links) {
            if (l.inward().equals(i.key) || l.outward().equals(i.key)) {
                String[] t = LINK_TYPES.get(l.type());
                ObjectNode ln = issuelinks.addObject().put("id", String.valueOf(l.id()));
                ln.putObject("type").put("id", t[0]).put("name", l.type()).put("inward", t[1]).put("outward", t[2]);
                boolean outwardSide = l.inward().equals(i.key);
                Issue other = issues.get(outwardSide ? l.outward() : l.inward());
                ObjectNode o = ln.putObject(outwardSide ? "outwardIssue" : "inwardIssue")
                        .put("key", outwardSide ? l.outward() : l.inward());
                if (other != null) {
                    o.put("id", String.valueOf(other.id));
                    o.putObject("fields").put("summary", other.summary).set("status", statusJson(other.status));
                }
            }
        }
        all.put("issuelinks", issuelinks);
        all.put("created", Json.F.textNode(JIRA_TIME.format(i.createdAt)));
        all.put("updated", Json.F.textNode(JIRA_TIME.format(i.updatedAt)));
        all.putAll(i.custom);
        all.forEach((k, v) -> {
            if (wanted == null || wanted.contains(k)) {
                f.set(k, v);
            }
        });
        return n;
    }

    private ObjectNode statusJson(Status s) {
        ObjectNode n = Json.F.objectNode().put("id", s.id()).put("name", s.name());
        n.putObject("statusCategory").put("key", s.category())
                .put("name", switch (s.category()) {
                    case "new" -> "To Do";
                    case "done" -> "Done";
                    default -> "In Progress";
                });
        return n;
    }

    ObjectNode platformComment(Issue i, Comment c) {
        ObjectNode n = Json.F.objectNode().put("id", String.valueOf(c.id))
                .put("self", sim.url() + "/rest/api/3/issue/" + i.id + "/comment/" + c.id);
        n.set("author", c.author.json());
        n.set("body", Json.adf(c.body));
        n.put("created", JIRA_TIME.format(c.created)).put("updated", JIRA_TIME.format(c.created))
                .put("jsdPublic", c.isPublic);
        return n;
    }

    private Response edit(Issue i, JsonNode b) {
        JsonNode f = b.path("fields");
        if (f.has("summary")) {
            String s = f.get("summary").asText("").strip();
            if (s.isEmpty() || s.length() > 255) {
                return fieldError(400, "summary", "You must specify a summary of less than 255 characters.");
            }
            i.summary = s;
        }
        if (f.has("labels")) {
            i.labels.clear();
            f.get("labels").forEach(l -> i.labels.add(l.asText()));
        }
        if (f.has("priority")) {
            i.priority = f.get("priority").path("name").asText(null);
        }
        if (f.has("description")) {
            i.description = Json.text(f.get("description"));
        }
        f.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("customfield_")) {
                i.custom.put(e.getKey(), e.getValue());
            }
        });
        for (JsonNode op : b.path("update").path("labels")) {
            if (op.has("add")) {
                i.labels.add(op.get("add").asText());
            }
            if (op.has("remove")) {
                i.labels.remove(op.get("remove").asText());
            }
            if (op.has("set")) {
                i.labels.clear();
                op.get("set").forEach(l -> i.labels.add(l.asText()));
            }
        }
        i.touch();
        return Response.empty(204);
    }

    /** The status a transition leads the issue to (null: not offered in its project). */
    private String target(Transition t, Issue i) {
        if (!i.project.equals(sdProject)) {
            return t.toDev();
        }
        return t.fromDone() && t.toSd() != null ? reopenInto : t.toSd();
    }

    List<Transition> available(Issue i) {
        boolean done = i.status.category().equals("done");
        List<Transition> out = new ArrayList<>();
        for (Transition t : TRANSITIONS) {
            String to = target(t, i);
            if (to != null && t.fromDone() == done && !to.equals(i.status.name())) {
                out.add(t);
            }
        }
        return out;
    }

    private Response transitions(Issue i) {
        ObjectNode n = Json.F.objectNode();
        ArrayNode a = n.putArray("transitions");
        for (Transition t : available(i)) {
            Status to = STATUSES.get(target(t, i));
            ObjectNode o = a.addObject().put("id", t.id()).put("name", t.name());
            o.set("to", statusJson(to));
            o.put("hasScreen", false).put("isGlobal", false).put("isInitial", false).put("isAvailable", true)
                    .put("isConditional", false);
        }
        return Response.json(200, Json.write(n));
    }

    private Response transition(Issue i, JsonNode b, Account caller) {
        String id = b.path("transition").path("id").asText("");
        Optional<Transition> t = available(i).stream().filter(c -> c.id().equals(id)).findFirst();
        if (t.isEmpty()) {
            return error(400, "Transition id '" + id + "' is not valid for this issue.");
        }
        move(i, STATUSES.get(target(t.get(), i)),
                b.path("fields").path("resolution").path("name").asText(null));
        for (JsonNode c : b.path("update").path("comment")) {
            if (c.has("add")) {
                addComment(i, caller, Json.text(c.get("add").path("body")), true);
            }
        }
        return Response.empty(204);
    }

    void move(Issue i, Status to, String resolution) {
        boolean done = to.category().equals("done");
        i.status = to;
        if (done && i.resolution == null) {
            i.resolution = resolution == null ? "Done" : resolution;
            i.resolutionDate = clock.instant();
        } else if (!done) {
            i.resolution = null;
            i.resolutionDate = null;
        }
        i.touch();
    }

    private Response worklogs(Issue i, Request r) {
        int start = Math.max(0, intParam(r, "startAt", 0));
        int max = Math.max(1, intParam(r, "maxResults", 5000));
        ObjectNode n = Json.F.objectNode().put("startAt", start).put("maxResults", max).put("total", i.worklogs.size());
        ArrayNode a = n.putArray("worklogs");
        for (int k = start; k < Math.min(i.worklogs.size(), start + max); k++) {
            Worklog w = i.worklogs.get(k);
            ObjectNode o = a.addObject().put("id", String.valueOf(w.id())).put("issueId", String.valueOf(i.id))
                    .put("timeSpentSeconds", w.seconds()).put("timeSpent", (w.seconds() / 60) + "m")
                    .put("started", JIRA_TIME.format(w.started())).put("created", JIRA_TIME.format(w.started()))
                    .put("updated", JIRA_TIME.format(w.started()));
            o.set("author", w.author().json());
        }
        return Response.json(200, Json.write(n));
    }

    private Response createIssue(JsonNode b, Account caller) {
        JsonNode f = b.path("fields");
        String project = f.path("project").path("key").asText("");
        if (!project.equals(rdProject) && !project.equals(sdProject)) {
            return fieldError(400, "project", "valid project is required");
        }
        String type = f.path("issuetype").path("name").asText("");
        if (!List.of("Bug", "Task", "Story").contains(type)) {
            return fieldError(400, "issuetype", "Specify a valid issue type");
        }
        String summary = f.path("summary").asText("").strip();
        if (summary.isEmpty() || summary.length() > 255) {
            return fieldError(400, "summary", "You must specify a summary of the issue.");
        }
        if (f.has("description") && !f.get("description").isObject()) {
            return fieldError(400, "description", "Operation value must be an Atlassian Document (see the Atlassian"
                    + " Document Format)");
        }
        Issue i = new Issue(project, type, false, clock.instant());
        i.summary = summary;
        i.description = f.has("description") ? Json.text(f.get("description")) : null;
        i.reporter = caller;
        i.priority = f.path("priority").path("name").asText(null);
        f.path("labels").forEach(l -> i.labels.add(l.asText()));
        f.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("customfield_")) {
                i.custom.put(e.getKey(), e.getValue());
            }
        });
        issues.put(i.key, i);
        sim.created("issue", i.key);
        return Response.json(201, "{\"id\":\"" + i.id + "\",\"key\":\"" + i.key + "\",\"self\":\"" + sim.url()
                + "/rest/api/3/issue/" + i.id + "\"}");
    }

    private Response link(JsonNode b) {
        String type = b.path("type").path("name").asText("");
        if (!LINK_TYPES.containsKey(type)) {
            return error(404, "No issue link type with name '" + type + "' found.");
        }
        String in = b.path("inwardIssue").path("key").asText("");
        String out = b.path("outwardIssue").path("key").asText("");
        if (!issues.containsKey(in) || !issues.containsKey(out)) {
            return error(404, "Issue does not exist or you do not have permission to see it.");
        }
        boolean exists = links.stream().anyMatch(l -> l.type().equals(type) && l.inward().equals(in) && l.outward().equals(out));
        if (!exists) {
            links.add(new Link(otherIds.incrementAndGet(), type, in, out));
            issues.get(in).touch();
            issues.get(out).touch();
        }
        return Response.empty(201); // a duplicate link request still succeeds
    }

    /** {@code POST /rest/api/3/search/jql}: pages by an opaque {@code nextPageToken}, absent on the last page. */
    private Response search(JsonNode b) {
        String jql = b.path("jql").asText("");
        Jql q;
        try {
            q = Jql.parse(jql, clock.instant());
        } catch (Jql.JqlException | NumberFormatException e) {
            return error(400, e.getMessage());
        }
        int offset = 0;
        if (b.hasNonNull("nextPageToken")) {
            String[] t = new String(Base64.getUrlDecoder().decode(b.get("nextPageToken").asText()), StandardCharsets.UTF_8)
                    .split(":", 2);
            if (t.length != 2 || !t[1].equals(Integer.toHexString(jql.hashCode()))) {
                return error(400, "The nextPageToken is not valid for this query.");
            }
            offset = Integer.parseInt(t[0]);
        }
        Set<String> fields = new LinkedHashSet<>();
        b.path("fields").forEach(f -> fields.add(f.asText()));
        boolean idOnly = fields.isEmpty() || fields.stream().allMatch(f -> f.equals("id") || f.equals("key"));
        int max = b.path("maxResults").asInt(50);
        max = Math.max(1, Math.min(max, idOnly ? 5000 : 100));
        Instant visibleBefore = clock.instant().minus(searchLag);
        List<Issue> hits = issues.values().stream()
                .filter(i -> !i.createdAt.isAfter(visibleBefore))
                .filter(q.where::test).sorted(q.order::compare).toList();
        ObjectNode n = Json.F.objectNode();
        ArrayNode a = n.putArray("issues");
        int end = Math.min(hits.size(), offset + max);
        for (int k = offset; k < end; k++) {
            Issue i = hits.get(k);
            if (fields.isEmpty()) {
                a.addObject().put("id", String.valueOf(i.id));
            } else {
                a.add(issueJson(i, fields.contains("*all") ? null : fields));
            }
        }
        if (end < hits.size()) {
            n.put("nextPageToken", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (end + ":" + Integer.toHexString(jql.hashCode())).getBytes(StandardCharsets.UTF_8)));
            n.put("isLast", false);
        } else {
            n.put("isLast", true);
        }
        return Response.json(200, Json.write(n));
    }

    Issue issue(String key) {
        Issue i = issues.get(key);
        if (i == null) {
            throw new IllegalArgumentException("no issue " + key + " in the simulator");
        }
        return i;
    }

    Version version(String project, String name, boolean released) {
        Version v = versions.get(project + "/" + name);
        if (v == null || v.released() != released) {
            v = new Version(v == null ? otherIds.incrementAndGet() : v.id(), project, name, released);
            versions.put(project + "/" + name, v);
        }
        return v;
    }
}
