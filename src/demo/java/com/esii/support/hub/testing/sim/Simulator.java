package com.esii.support.hub.testing.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.esii.support.hub.testing.sim.SimHttp.Delivery;
import com.esii.support.hub.testing.sim.SimHttp.Reply;
import com.esii.support.hub.testing.sim.SimHttp.Request;
import com.esii.support.hub.testing.sim.SimHttp.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stateful simulator of Jira Service Management, Jira R&D and the Divalto Infinity ERP, in place of stateless
 * stubs: it remembers requests, customers, comments, attachments, bugs, links, transitions, worklogs and ERP
 * records, answers searches from what it holds, checks every Jira request with a pluggable {@link RequestCheck}
 * (in the tests and the fault suite, Atlassian's OpenAPI files: a request that breaks them is answered 400 and kept
 * in {@link #contractViolations()}; none in the demo), plays staff's side and sends the signed webhooks Jira would
 * send, and injects faults on demand ({@link #faults()}).
 *
 * <p>In process: for the tests ({@link #start(RequestCheck)}, or {@code SimulatorResource} for a
 * {@code @QuarkusTest}) and in the demo ({@code demo/DemoServices}), with a control API under {@code /__sim/} and
 * the demo's staff console ({@code /__sim/console}, {@link Console}); or standalone ({@link #main}) for fault suites
 * that run the hub as separate processes. Its source is under {@code src/demo/java}, so that a {@code -Pdemo} build
 * has it; without {@code -Pdemo} it is compiled with the tests. See {@code mocks/README.md}.
 *
 * <p>Thread-safe: the state is guarded by one lock; faults' waits happen outside it.
 */
public final class Simulator implements AutoCloseable {

    /** What a staff action in Jira makes Jira send to its webhooks; {@link #deliver} sends it to the hub. */
    public record Webhook(String event, String identifier, String body, String issueKey) {
    }

    public record JsmRequest(String key, String id, String summary, String description, String requestTypeId,
            String reporterAccountId, String reporterEmail, String priority, List<String> labels, String status,
            String resolution, Map<String, String> customFields, List<String> attachments, Instant created) {
    }

    public record JiraComment(String id, String issueKey, String body, boolean isPublic, String authorEmail,
            Instant created) {
    }

    public record JiraIssue(String key, String project, String type, String summary, String description,
            List<String> labels, String status, String resolution, List<String> fixVersions, Instant created) {
    }

    public record IssueLink(String type, String inward, String outward) {
    }

    /** An activity record as the ERP holds it: stored once per key, {@code received} counts every arrival. */
    public record ErpRecord(String key, String action, JsonNode param, int received, Instant firstAt) {
        public String activity() {
            return param.path("activity").asText(null);
        }
    }

    /** A request the simulator received, with the answer's status and the fault that hit it, if any. */
    public record Seen(Instant at, String method, String path, String body, int status, String fault) {
    }

    private static final Pattern HUB_NUMBER = Pattern.compile("\\[([A-Z][A-Z0-9]*-\\d+-\\d+)]");

    private final Object lock = new Object();
    private final SimClock clock;
    private final JiraSim jira;
    private final ErpSim erp;
    private final Faults faults = new Faults();
    private final OAuthSim oauth;
    /** The site's cloud id, and the gateway's path to it ({@code /ex/jira/<cloud id>/rest/...}). */
    public static final String CLOUD_ID = "a436116f-02ce-4520-8fbb-7301462a1674";
    static final String GATEWAY = "/ex/jira/";
    private final java.util.concurrent.atomic.AtomicLong gatewayCalls = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong siteCalls = new java.util.concurrent.atomic.AtomicLong();
    /** Basic authentication is taken only through the gateway (the account's API token is a scoped one). */
    private volatile boolean scopedTokens;
    private final List<Seen> journal = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SimHttp http;
    private final RequestCheck check;
    private final Console console = new Console(this);
    private volatile java.util.function.Supplier<String> webhookUrl;
    private volatile String webhookSecret;

    private Simulator(String bind, int port, SimClock clock, RequestCheck check) throws IOException {
        this.clock = clock;
        this.check = check;
        this.jira = new JiraSim(this, clock, "SD", "DEV", "1");
        this.erp = new ErpSim(clock);
        this.oauth = new OAuthSim(clock);
        this.http = new SimHttp(bind, port, this::handle);
    }

    /**
     * On a free port of 127.0.0.1, checking every Jira request with {@code check} (the tests pass Atlassian's
     * contracts, {@code JiraContracts.simulatorCheck()}).
     */
    public static Simulator start(RequestCheck check) {
        return start("127.0.0.1", 0, check);
    }

    /** On {@code bind}:{@code port} (0: a free port), checking every Jira request with {@code check}. */
    public static Simulator start(String bind, int port, RequestCheck check) {
        try {
            return new Simulator(bind, port, new SimClock(), check);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + http.port();
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
    }

    // --- settings ----------------------------------------------------------------------------------------------

    /** Jira accepts only these credentials (Basic email:token, or Bearer token); unset: anything. */
    public Simulator jiraCredentials(String email, String token) {
        jira.email = email;
        jira.token = token;
        return this;
    }

    // --- OAuth2 token endpoints (OAuthSim) -------------------------------------------------------------------------

    /** An application registered in Entra ID's {@code tenant}; its token endpoint is {@code /<tenant>/oauth2/v2.0/token}. */
    public Simulator entraApp(String tenant, String clientId, String secret) {
        oauth.entraApp(tenant, clientId, secret);
        return this;
    }

    /** A Google service account ({@code token_uri}: {@link #googleTokenUri()}) and its delegated scopes. */
    public Simulator googleServiceAccount(String clientEmail, java.security.PublicKey key, java.util.Set<String> scopes) {
        oauth.googleAccount(clientEmail, key, scopes);
        return this;
    }

    /** The secret Entra ID holds now for an application (as the portal shows it once, when it is made). */
    public String entraSecret(String clientId) {
        return oauth.secret(clientId);
    }

    public String googleTokenUri() {
        return url() + OAuthSim.GOOGLE;
    }

    /** The Entra ID token endpoint of {@code tenant}. */
    public String entraTokenUrl(String tenant) {
        return url() + "/" + tenant + "/oauth2/v2.0/token";
    }

    /**
     * Moves the simulator's time forward by {@code d} at once (tokens given expire, Jira's search lag passes); a test
     * moves the hub's clock by as much, so that neither waits for the other.
     */
    public void timePasses(Duration d) {
        clock.advance(d);
    }

    /** How long the tokens given from now on live. */
    public Simulator tokenLifetime(Duration d) {
        oauth.tokenLifetime(d);
        return this;
    }

    /** Every token request is refused with {@code error} and {@code description} (null: accepted again). */
    public void refuseTokens(String error, String description) {
        oauth.refuse(error, description);
    }

    /** The token exists, has not expired and carries {@code scope} (null: any). */
    public boolean validToken(String token, String scope) {
        return oauth.valid(token, scope) != null;
    }

    /** As {@link #validToken(String, String)}, and it was given for {@code subject} (a Google delegation's mailbox). */
    public boolean validToken(String token, String scope, String subject) {
        OAuthSim.Issued i = oauth.valid(token, scope);
        return i != null && subject.equalsIgnoreCase(String.valueOf(i.subject()));
    }

    /** A Jira service account with an OAuth 2.0 credential, its account's email and its scopes. */
    public Simulator atlassianServiceAccount(String clientId, String secret, String email, java.util.Set<String> scopes) {
        oauth.atlassianClient(clientId, secret, email, scopes);
        synchronized (lock) {
            jira.serviceAccounts.put(clientId, email);
        }
        return this;
    }

    OAuthSim.Issued oauthToken(String token) {
        return oauth.valid(token, null);
    }

    /** Atlassian's token endpoint. */
    public String atlassianTokenUrl() {
        return url() + OAuthSim.ATLASSIAN;
    }

    /** The account's API token is a scoped one: Basic authentication only through the gateway. */
    public Simulator scopedApiTokens(boolean scoped) {
        scopedTokens = scoped;
        return this;
    }

    /** Jira calls received through the gateway, and straight at the site. */
    public long gatewayCalls() {
        return gatewayCalls.get();
    }

    public long siteCalls() {
        return siteCalls.get();
    }

    /** The tokens a provider ("entra", "google", "atlassian") gave are refused from now on. */
    public void expireTokens(String provider) {
        oauth.expire(provider);
    }

    /** Every token the endpoints gave so far. */
    public List<String> tokensGiven() {
        return oauth.tokens();
    }

    /** Token requests received so far, given or refused, all providers together. */
    public long tokenRequests() {
        return oauth.requests();
    }

    /** Tokens given so far by a provider ("entra", "google", "atlassian"). */
    public long tokensIssued(String provider) {
        return oauth.issued(provider);
    }

    /** The ERP's login accepts only these; unset: anything. */
    public Simulator erpCredentials(String user, String password) {
        erp.user = user;
        erp.password = password;
        return this;
    }

    /** Where {@link #deliver} sends Jira's webhooks, and the admin webhook's secret it signs them with. */
    public Simulator webhooksTo(String hubWebhookUrl, String secret) {
        return webhooksTo(hubWebhookUrl == null ? null : () -> hubWebhookUrl, secret);
    }

    /** As {@link #webhooksTo(String, String)}, the address asked at each delivery (a hub whose port is known late). */
    public Simulator webhooksTo(java.util.function.Supplier<String> hubWebhookUrl, String secret) {
        this.webhookUrl = hubWebhookUrl;
        this.webhookSecret = secret;
        return this;
    }

    /** Jira's search is eventually consistent: issues created less than this ago are not found yet. */
    /** The requests' Reopen transition leads to this status (Reopened until {@link #reset()}). */
    public Simulator reopenInto(String status) {
        if (!JiraSim.STATUSES.containsKey(status)) {
            throw new IllegalArgumentException("no status " + status + " (" + JiraSim.STATUSES.keySet() + ")");
        }
        jira.reopenInto = status;
        return this;
    }

    public Simulator searchLag(Duration lag) {
        jira.searchLag = lag;
        return this;
    }

    public Simulator erpTokenLifetime(Duration d) {
        synchronized (lock) {
            erp.tokenLifetime = d;
        }
        return this;
    }

    /** Every ERP token given so far is refused from now on (401), as after the platform restarted. */
    public void expireErpTokens() {
        synchronized (lock) {
            erp.tokens.clear();
        }
    }

    /** Another customer of the ERP. */
    public void addErpCustomer(String code, String name, boolean maintained, boolean onCall, boolean hosted,
            List<String> accessCodes, List<String> domains, List<String> emails) {
        synchronized (lock) {
            erp.customers.put(code, new ErpSim.Customer(code, name, maintained, onCall, hosted, "",
                    java.util.Set.copyOf(accessCodes), java.util.Set.copyOf(domains), java.util.Set.copyOf(emails),
                    java.util.Set.of()));
        }
    }

    /** The site (and its on-site contact) the ERP gives for a customer: postcode, town; null removes it. */
    public void erpCustomerSite(String code, String address, String postcode, String town, String contactName,
            String contactEmail) {
        synchronized (lock) {
            ErpSim.Customer c = erp.customers.get(code);
            erp.customers.put(code, c.withSite(postcode == null ? null
                    : new ErpSim.Site(address, postcode, town, "FR", contactName, null, contactEmail)));
        }
    }

    /**
     * Issue keys of {@code project} go on after {@code last} (never lower than they are): a simulator started afresh
     * beside a ledger that kept the keys of an earlier run gives no key twice.
     */
    public Simulator keysAfter(String project, long last) {
        synchronized (lock) {
            jira.numbers.computeIfAbsent(project, p -> new java.util.concurrent.atomic.AtomicLong())
                    .accumulateAndGet(last, Math::max);
        }
        return this;
    }

    public Faults faults() {
        return faults;
    }

    /**
     * Forgets everything: issues, customers, links, records, tokens, the journal, faults and contract violations
     * (the ERP's customers are those of mocks/README.md again). Keys keep counting: a key is never given twice.
     */
    public void reset() {
        synchronized (lock) {
            jira.reset();
            erp.reset();
            oauth.reset();
            faults.clear();
            journal.clear();
            violations.clear();
        }
    }

    // --- HTTP ----------------------------------------------------------------------------------------------------

    private Reply handle(Request r) {
        if (r.path().startsWith("/__sim/")) {
            return Reply.of(control(r));
        }
        if (OAuthSim.isTokenPath(r.path())) {
            Faults.Rule rule = faults.fire(r.method(), r.path(), "", false);
            if (rule != null && rule.kind() == Faults.Kind.STATUS) {
                return seen(r, Reply.of(Response.json(rule.statusCode(), "{\"error\":\"temporarily_unavailable\"}")),
                        rule.kind().name());
            }
            // the journal keeps no token request's body: it holds a secret or a signed assertion
            journal.add(new Seen(clock.instant(), r.method(), r.target(), "", 0, null));
            return Reply.of(oauth.handle(r));
        }
        if (r.path().equals("/_edge/tenant_info") && r.method().equals("GET")) {
            // a Jira Cloud site tells its cloud id to anyone
            return seen(r, Reply.of(Response.json(200, "{\"cloudId\":\"" + CLOUD_ID + "\"}")), null);
        }
        boolean gateway = false;
        if (r.path().startsWith(GATEWAY)) {
            String rest = r.path().substring(GATEWAY.length());
            String id = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            if (!id.equals(CLOUD_ID)) {
                return seen(r, Reply.of(Response.json(404, "{\"code\":404,\"message\":\"Not Found\"}")), null);
            }
            String prefix = GATEWAY + id;
            r = new Request(r.method(), r.target().substring(prefix.length()), r.path().substring(prefix.length()),
                    r.query(), r.headers(), r.body());
            gateway = true;
        }
        boolean isJira = r.path().startsWith("/rest/");
        boolean isErp = r.path().startsWith("/api/v1/");
        if (isJira) {
            (gateway ? gatewayCalls : siteCalls).incrementAndGet();
            String refusal = serviceAccountRefusal(r, gateway);
            if (refusal != null) {
                return seen(r, Reply.of(Response.json(401, "{\"code\":401,\"message\":\"" + refusal + "\"}")),
                        null);
            }
            boolean known;
            synchronized (lock) {
                known = jira.caller(r) != null;
            }
            if (!known) { // Jira authenticates before it reads the request
                return seen(r, Reply.of(JiraSim.error(401, "You are not authenticated. Authentication required to"
                        + " perform this operation.")), null);
            }
        }
        if (isJira) {
            List<String> v = check.violations(r.method(), r.target(), r.headers(), r.body());
            if (!v.isEmpty()) {
                violations.addAll(v);
                return seen(r, Reply.of(JiraSim.error(400, "contract: " + String.join("; ", v))), "contract");
            }
        }
        boolean write;
        synchronized (lock) {
            write = isJira ? JiraSim.write(r) : isErp && erp.write(r);
        }
        Faults.Rule rule = faults.fire(r.method(), r.path(), r.text(), write);
        Faults.Kind kind = rule == null ? null : rule.kind();
        if (kind == Faults.Kind.SLOW) {
            SimHttp.sleep(rule.duration());
        }
        if (kind == Faults.Kind.STATUS) {
            return seen(r, Reply.of(isErp ? Response.json(rule.statusCode(), "{\"error\":" + rule.statusCode()
                    + ",\"txterr\":\"Service indisponible\",\"result\":\"\"}")
                    : JiraSim.error(rule.statusCode(), "simulated failure " + rule.statusCode())), kind.name());
        }
        if (kind == Faults.Kind.TOO_MANY) {
            Instant reset = clock.instant().plusSeconds(rule.retryAfter());
            return seen(r, Reply.of(JiraSim.error(429, "Rate limit exceeded.")
                    .with("Retry-After", String.valueOf(rule.retryAfter()))
                    .with("X-RateLimit-Reset", reset.toString().substring(0, 16) + "Z")
                    .with("X-RateLimit-Limit", "100").with("X-RateLimit-Remaining", "0")
                    .with("RateLimit-Reason", "jira-burst-based")), kind.name());
        }
        if (kind == Faults.Kind.RESPOND) {
            return seen(r, Reply.of(Response.json(rule.statusCode(), rule.body() == null ? "" : rule.body())), kind.name());
        }
        if (isJira && creation(r) && !faults.creations().isZero()) {
            SimHttp.sleep(faults.creations());
        }
        Response response;
        synchronized (lock) {
            response = isJira ? jira.handle(r) : isErp ? erp.handle(r) : null;
        }
        if (response == null) {
            response = isJira ? JiraSim.error(404, "No such resource: " + r.method() + " " + r.path())
                    : Response.json(404, "{\"error\":404,\"txterr\":\"Ressource inconnue\",\"result\":\"\"}");
        }
        if (kind == Faults.Kind.TIMEOUT_AFTER_COMMIT) {
            return seen(r, new Reply(response, Delivery.HOLD, rule.duration()), kind.name());
        }
        if (kind == Faults.Kind.DROP_AFTER_COMMIT) {
            return seen(r, new Reply(response, Delivery.DROP, Duration.ZERO), kind.name());
        }
        if (kind == Faults.Kind.RESET_AFTER_ANSWER) {
            return seen(r, new Reply(response, Delivery.RESET, Duration.ZERO), kind.name());
        }
        return seen(r, Reply.of(response), kind == null ? null : kind.name());
    }

    /**
     * Jira Cloud's rules for a service account: its OAuth 2.0 token (and a scoped API token) is taken only through the
     * gateway, and only for the calls its scopes allow (else 401 "scope does not match"). Null: nothing to refuse.
     */
    private String serviceAccountRefusal(Request r, boolean gateway) {
        String auth = r.header("Authorization");
        if (auth == null) {
            return null;
        }
        if (auth.startsWith("Basic ") && scopedTokens && !gateway) {
            return "Client must be authenticated to access this resource.";
        }
        if (!auth.startsWith("Bearer ")) {
            return null;
        }
        OAuthSim.Issued token = oauth.valid(auth.substring(7).strip(), null);
        if (token == null) {
            return null; // not a service account's token: Jira's own check decides
        }
        if (!gateway) {
            return "Unauthorized; the token is valid only through api.atlassian.com";
        }
        String needed = scopeFor(r);
        return token.scopes().contains(needed) ? null : "Unauthorized; scope does not match";
    }

    /** The classic scope a Jira call needs. */
    static String scopeFor(Request r) {
        String p = r.path();
        boolean read = r.method().equals("GET") || p.endsWith("/search/jql") || p.endsWith("/search");
        if (p.startsWith("/rest/servicedeskapi/")) {
            if (p.equals("/rest/servicedeskapi/customer") || p.matches("/rest/servicedeskapi/servicedesk/[^/]+/customer")
                    || p.matches("/rest/servicedeskapi/request/[^/]+/participant")) {
                return "manage:servicedesk-customer";
            }
            return read ? "read:servicedesk-request" : "write:servicedesk-request";
        }
        if (p.startsWith("/rest/api/") && p.contains("/user")) {
            return "read:jira-user";
        }
        return read ? "read:jira-work" : "write:jira-work";
    }

    private static boolean creation(Request r) {
        if (!r.method().equals("POST")) {
            return false;
        }
        String p = r.path();
        return p.equals("/rest/servicedeskapi/request") || p.equals("/rest/api/3/issue")
                || p.equals("/rest/servicedeskapi/customer") || p.endsWith("/comment");
    }

    private Reply seen(Request r, Reply reply, String fault) {
        journal.add(new Seen(clock.instant(), r.method(), r.target(), r.text(), reply.response().status(), fault));
        return reply;
    }

    /** Called by the Jira part when it created something. */
    void created(String what, String key) {
        // the journal has it; a hook for later (a staff console, events)
    }

    // --- state, for tests ------------------------------------------------------------------------------------------

    /** JSM requests in creation order. */
    public List<JsmRequest> requests() {
        synchronized (lock) {
            return jira.issues.values().stream().filter(i -> i.customerRequest).map(this::request).toList();
        }
    }

    public JsmRequest request(String key) {
        synchronized (lock) {
            return request(jira.issue(key));
        }
    }

    private JsmRequest request(JiraSim.Issue i) {
        Map<String, String> custom = new TreeMap<>();
        i.custom.forEach((k, v) -> custom.put(k, v.isTextual() ? v.asText() : v.toString()));
        return new JsmRequest(i.key, String.valueOf(i.id), i.summary, i.description, i.requestTypeId,
                i.reporter.accountId, i.reporter.email, i.priority, List.copyOf(i.labels), i.status.name(), i.resolution,
                custom, i.attachments.stream().map(JiraSim.Attachment::filename).toList(), i.createdAt);
    }

    /** The JSM requests' keys by the hub number in their summary ({@code [SUP-…]}): more than one is a duplicate. */
    public Map<String, List<String>> requestsByHubNumber() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (JsmRequest r : requests()) {
            Matcher m = HUB_NUMBER.matcher(r.summary());
            if (m.find()) {
                out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(r.key());
            }
        }
        return out;
    }

    /** The JSM requests whose summary carries this hub number. */
    public List<JsmRequest> requestsOf(String hubNumber) {
        return requests().stream().filter(r -> r.summary().contains("[" + hubNumber + "]")).toList();
    }

    public List<JiraComment> comments(String key) {
        synchronized (lock) {
            JiraSim.Issue i = jira.issue(key);
            return i.comments.stream().map(c -> new JiraComment(String.valueOf(c.id), i.key, c.body, c.isPublic,
                    c.author.email, c.created)).toList();
        }
    }

    /** The addresses of a JSM request's participants, in the order they were added. */
    public List<String> participants(String key) {
        synchronized (lock) {
            return jira.issue(key).participants.stream().map(a -> a.email).toList();
        }
    }

    public JiraIssue issue(String key) {
        synchronized (lock) {
            JiraSim.Issue i = jira.issue(key);
            return new JiraIssue(i.key, i.project, i.issueType, i.summary, i.description, List.copyOf(i.labels),
                    i.status.name(), i.resolution, i.fixVersions.stream().map(JiraSim.Version::name).toList(), i.createdAt);
        }
    }

    /** The R&D project's issues, in creation order. */
    public List<JiraIssue> bugs() {
        synchronized (lock) {
            return jira.issues.values().stream().filter(i -> i.project.equals(jira.rdProject)).map(i -> issue(i.key)).toList();
        }
    }

    public List<IssueLink> links() {
        synchronized (lock) {
            return jira.links.stream().map(l -> new IssueLink(l.type(), l.inward(), l.outward())).toList();
        }
    }

    /** The ERP's activity records, in the order of their first arrival. */
    public List<ErpRecord> records() {
        synchronized (lock) {
            return erp.records.values().stream().map(r -> new ErpRecord(r.key, r.action, r.param, r.received, r.firstAt))
                    .toList();
        }
    }

    /** The records of one ticket (their {@code ticket} field), in the order of their first arrival. */
    public List<ErpRecord> records(String ticket) {
        return records().stream().filter(r -> ticket.equals(r.param().path("ticket").asText(null))).toList();
    }

    /** How many times a record with this key reached the ERP (0: never). */
    public int receivedCount(String key) {
        synchronized (lock) {
            ErpSim.Rec r = erp.records.get(key);
            return r == null ? 0 : r.received;
        }
    }

    /** Records that reached the ERP more than once (stored once, thanks to their key). */
    public List<ErpRecord> duplicates() {
        return records().stream().filter(r -> r.received() > 1).toList();
    }

    /** Every arrival of a record at the ERP, duplicates included: the keys in arrival order. */
    public List<String> erpArrivals() {
        synchronized (lock) {
            return List.copyOf(erp.arrivals);
        }
    }

    public List<Seen> journal() {
        synchronized (journal) {
            return List.copyOf(journal);
        }
    }

    /** How many requests with this method and a path matching the pattern ({@code *}: one segment) were received. */
    public long received(String method, String pathPattern) {
        Pattern p = Pattern.compile(Pattern.quote(pathPattern).replace("*", "\\E[^/?]+\\Q") + "(\\?.*)?");
        return journal().stream().filter(s -> s.method().equals(method) && p.matcher(s.path()).matches()).count();
    }

    /** Jira requests that broke Atlassian's contracts (each was answered 400). */
    public List<String> contractViolations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    // --- staff's side ------------------------------------------------------------------------------------------

    /** A staff comment on a JSM request (public: the customer sees it) or on an R&D bug. */
    public Webhook staffComment(String key, String text, boolean isPublic) {
        synchronized (lock) {
            JiraSim.Issue i = jira.issue(key);
            JiraSim.Comment c = jira.addComment(i, jira.staff, text, isPublic);
            ObjectNode e = event("comment_created");
            ObjectNode comment = e.putObject("comment").put("id", String.valueOf(c.id))
                    .put("self", url() + "/rest/api/2/issue/" + i.id + "/comment/" + c.id).put("body", c.body)
                    .put("created", JiraSim.JIRA_TIME.format(c.created)).put("updated", JiraSim.JIRA_TIME.format(c.created))
                    .put("jsdPublic", c.isPublic);
            comment.set("author", c.author.json());
            comment.set("updateAuthor", c.author.json());
            e.set("issue", webhookIssue(i));
            return webhook("comment_created", e, i.key);
        }
    }

    /**
     * The customer comments on their own request on the JSM portal (a public comment by the request's reporter): the
     * customer's words, not staff's.
     */
    public Webhook customerComment(String key, String text) {
        synchronized (lock) {
            JiraSim.Issue i = jira.issue(key);
            JiraSim.Comment c = jira.addComment(i, i.reporter, text, true);
            ObjectNode e = event("comment_created");
            ObjectNode comment = e.putObject("comment").put("id", String.valueOf(c.id))
                    .put("self", url() + "/rest/api/2/issue/" + i.id + "/comment/" + c.id).put("body", c.body)
                    .put("created", JiraSim.JIRA_TIME.format(c.created)).put("updated", JiraSim.JIRA_TIME.format(c.created))
                    .put("jsdPublic", true);
            comment.set("author", c.author.json());
            comment.set("updateAuthor", c.author.json());
            e.set("issue", webhookIssue(i));
            return webhook("comment_created", e, i.key);
        }
    }

    /** Staff add a participant to a JSM request (Jira sends no webhook for it; the issue's update time moves). */
    public void addParticipant(String key, String address) {
        synchronized (lock) {
            jira.addParticipant(jira.issue(key), address);
        }
    }

    /** Staff move the issue to this status (through the workflow's transition to it, or directly). */
    public Webhook moveStatus(String key, String status) {
        synchronized (lock) {
            JiraSim.Issue i = jira.issue(key);
            JiraSim.Status to = JiraSim.STATUSES.get(status);
            if (to == null) {
                throw new IllegalArgumentException("no status " + status + " (" + JiraSim.STATUSES.keySet() + ")");
            }
            JiraSim.Status from = i.status;
            jira.move(i, to, null);
            return updated(i, "issue_generic", change("status", from.id(), from.name(), to.id(), to.name()));
        }
    }

    /** Staff resolve the issue (Resolved on a request, Done on a bug) with this resolution. */
    public Webhook resolve(String key, String resolution) {
        synchronized (lock) {
            JiraSim.Issue i = jira.issue(key);
            JiraSim.Status from = i.status;
            JiraSim.Status to = JiraSim.STATUSES.get(i.project.equals(jira.sdProject) ? "Resolved" : "Done");
            i.resolution = null;
            jira.move(i, to, resolution);
            return updated(i, "issue_resolved", change("status", from.id(), from.name(), to.id(), to.name()),
                    change("resolution", null, null, "1", resolution));
        }
    }

    public Webhook addLabel(String key, String label) {
        synchronized (lock) {
            JiraSim.Issue i = jira.issue(key);
            String before = String.join(" ", i.labels);
            i.labels.add(label);
            i.touch();
            return updated(i, "issue_updated", change("labels", null, before, null, String.join(" ", i.labels)));
        }
    }

    /** Staff log time on the issue. */
    public Webhook logWork(String key, Duration spent, String authorName) {
        synchronized (lock) {
            JiraSim.Issue i = jira.issue(key);
            JiraSim.Account a = new JiraSim.Account("5b-" + Integer.toHexString(authorName.hashCode()),
                    authorName.toLowerCase().replace(' ', '.') + "@esii.example", authorName);
            i.worklogs.add(new JiraSim.Worklog(jira.otherIds.incrementAndGet(), a, spent.toSeconds(), clock.instant()));
            i.touch();
            return updated(i, "issue_work_logged", change("timespent", null, null, null, String.valueOf(spent.toSeconds())));
        }
    }

    /** R&D set a fix version (unreleased until {@link #releaseVersion}) on a bug. */
    public Webhook setFixVersion(String key, String version) {
        synchronized (lock) {
            JiraSim.Issue i = jira.issue(key);
            JiraSim.Version v = jira.version(i.project, version, jira.versions.containsKey(i.project + "/" + version)
                    && jira.versions.get(i.project + "/" + version).released());
            if (i.fixVersions.stream().noneMatch(f -> f.name().equals(version))) {
                i.fixVersions.add(v);
            }
            i.touch();
            return updated(i, "issue_updated", change("Fix Version", null, null, String.valueOf(v.id()), version));
        }
    }

    /** R&D release a version of their project: {@code jira:version_released}. */
    public Webhook releaseVersion(String project, String version) {
        synchronized (lock) {
            JiraSim.Version v = jira.version(project, version, true);
            ObjectNode e = event("jira:version_released");
            e.putObject("version").put("self", url() + "/rest/api/2/version/" + v.id()).put("id", String.valueOf(v.id()))
                    .put("name", version).put("archived", false).put("released", true)
                    .put("releaseDate", clock.instant().toString().substring(0, 10))
                    .put("projectId", project.equals(jira.sdProject) ? 10000 : 10001);
            return webhook("jira:version_released", e, null);
        }
    }

    /** A customer opens a request on the JSM portal (their account is created if needed). */
    public Webhook openPortalRequest(String email, String name, String summary, String description) {
        synchronized (lock) {
            JiraSim.Account a = jira.customersByEmail.get(email.toLowerCase());
            if (a == null) {
                a = new JiraSim.Account("qm:" + UUID.randomUUID(), email, name);
                jira.accountsById.put(a.accountId, a);
                jira.customersByEmail.put(email.toLowerCase(), a);
                jira.deskCustomers.add(a.accountId);
            }
            JiraSim.Issue i = jira.new Issue(jira.sdProject, "Service Request", true, clock.instant());
            i.summary = summary;
            i.description = description;
            i.requestTypeId = "10";
            i.reporter = a;
            jira.issues.put(i.key, i);
            ObjectNode e = event("jira:issue_created");
            e.put("issue_event_type_name", "issue_created");
            e.set("user", a.json());
            e.set("issue", webhookIssue(i));
            return webhook("jira:issue_created", e, i.key);
        }
    }

    private Webhook updated(JiraSim.Issue i, String type, ObjectNode... items) {
        ObjectNode e = event("jira:issue_updated");
        e.put("issue_event_type_name", type);
        e.set("user", jira.staff.json());
        e.set("issue", webhookIssue(i));
        ArrayNode a = e.putObject("changelog").put("id", String.valueOf(jira.otherIds.incrementAndGet())).putArray("items");
        for (ObjectNode item : items) {
            a.add(item);
        }
        return webhook("jira:issue_updated", e, i.key);
    }

    private static ObjectNode change(String field, String from, String fromString, String to, String toString) {
        return Json.F.objectNode().put("field", field).put("fieldtype", "jira").put("fieldId", field)
                .put("from", from).put("fromString", fromString).put("to", to).put("toString", toString);
    }

    private ObjectNode event(String type) {
        return Json.F.objectNode().put("timestamp", clock.millis()).put("webhookEvent", type);
    }

    private ObjectNode webhookIssue(JiraSim.Issue i) {
        ObjectNode n = jira.issueJson(i, java.util.Set.of("summary", "status", "project", "labels", "issuetype",
                "updated", "created", "priority", "resolution"));
        n.put("self", url() + "/rest/api/2/issue/" + i.id);
        return n;
    }

    private Webhook webhook(String type, ObjectNode body, String key) {
        return new Webhook(type, UUID.randomUUID().toString(), Json.write(body), key);
    }

    /** Sends the webhook to the hub as Jira does, signed with the configured secret; returns the hub's status. */
    public int deliver(Webhook w) {
        return deliver(w, webhookSecret);
    }

    /** Sends it signed with another secret (null: unsigned), to see the hub refuse it. */
    public int deliver(Webhook w, String secret) {
        if (webhookUrl == null) {
            throw new IllegalStateException("no hub webhook URL: call webhooksTo(url, secret) first");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(webhookUrl.get())).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("X-Atlassian-Webhook-Identifier", w.identifier())
                .header("X-Atlassian-Webhook-Flow", "Primary").header("X-Atlassian-Webhook-Retry", "0")
                .header("User-Agent", "Atlassian Webhook HTTP Client")
                .POST(HttpRequest.BodyPublishers.ofString(w.body(), StandardCharsets.UTF_8));
        if (secret != null) {
            b.header("X-Hub-Signature", sign(w.body(), secret));
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha256=<hex HMAC-SHA256 of the raw body>}, as Jira signs admin webhooks with a secret. */
    public static String sign(String body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- control API (standalone) --------------------------------------------------------------------------------

    private Response control(Request r) {
        try {
            String p = r.path();
            if (p.equals("/__sim/state") && r.method().equals("GET")) {
                ObjectNode n = Json.F.objectNode();
                n.set("requests", Json.M.valueToTree(requests()));
                n.set("requestsByHubNumber", Json.M.valueToTree(requestsByHubNumber()));
                n.set("bugs", Json.M.valueToTree(bugs()));
                n.set("links", Json.M.valueToTree(links()));
                n.set("records", Json.M.valueToTree(records().stream().map(x -> Map.of("key", x.key(), "action", x.action(),
                        "param", x.param(), "received", x.received())).toList()));
                n.set("duplicates", Json.M.valueToTree(duplicates().stream().map(ErpRecord::key).toList()));
                n.set("contractViolations", Json.M.valueToTree(contractViolations()));
                n.put("requestsReceived", journal.size());
                return Response.json(200, Json.write(n));
            }
            if (p.equals("/__sim/reset") && r.method().equals("POST")) {
                reset();
                return Response.empty(204);
            }
            if (p.equals("/__sim/faults") && r.method().equals("DELETE")) {
                faults.clear();
                return Response.empty(204);
            }
            if (p.equals("/__sim/faults") && r.method().equals("POST")) {
                JsonNode b = Json.read(r.text());
                if (b.has("creationsMillis")) {
                    faults.creationsTake(Duration.ofMillis(b.get("creationsMillis").asLong()));
                    return Response.empty(204);
                }
                Faults.Rule rule = b.path("writes").asBoolean(false) ? faults.onWrites()
                        : faults.on(b.path("method").asText("*"), b.path("path").asText("/**"));
                if (b.has("body")) {
                    rule.withBody(b.get("body").asText());
                }
                if (b.has("times")) {
                    rule.times(b.get("times").asInt());
                }
                if (b.has("fraction")) {
                    rule.fraction(b.get("fraction").asDouble(), b.path("seed").asLong(1));
                }
                Duration d = Duration.ofMillis(b.path("millis").asLong(3000));
                switch (b.path("kind").asText("")) {
                    case "status" -> rule.status(b.path("status").asInt(503));
                    case "tooMany" -> rule.tooMany(b.path("retryAfter").asInt(1));
                    case "timeoutAfterCommit" -> rule.timeoutAfterCommit(d);
                    case "dropAfterCommit" -> rule.dropAfterCommit();
                    case "resetAfterAnswer" -> rule.resetAfterAnswer();
                    case "slow" -> rule.slow(d);
                    case "respond" -> rule.respond(b.path("status").asInt(200), b.path("responseBody").asText(""));
                    default -> throw new IllegalArgumentException("kind: status, tooMany, timeoutAfterCommit,"
                            + " dropAfterCommit, resetAfterAnswer, slow or respond");
                }
                return Response.empty(204);
            }
            if (p.equals("/__sim/console") && r.method().equals("GET")) {
                return Response.html(200, console.page(r.query().get("done")));
            }
            if (p.equals("/__sim/staff") && r.method().equals("POST")) {
                return staff(r);
            }
            return Response.json(404, "{\"error\":\"no such control\"}");
        } catch (RuntimeException e) {
            return Response.json(400, "{\"error\":\"" + Json.escape(String.valueOf(e.getMessage())) + "\"}");
        }
    }

    /**
     * {@code POST /__sim/staff}: a staff action, as JSON (the control API) or as an HTML form (the console, answered
     * with a 303 back to it). The webhooks it makes are delivered to the hub at once when {@link #webhooksTo} is set.
     */
    private Response staff(Request r) {
        String type = r.header("Content-Type");
        boolean form = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        JsonNode b = form ? Json.M.valueToTree(Console.form(r.text())) : Json.read(r.text());
        String key = b.path("key").asText(null);
        String action = b.path("action").asText("");
        List<Webhook> made;
        try {
            made = switch (action) {
                case "comment" -> List.of(staffComment(key, b.path("text").asText(), b.path("public").asBoolean(true)));
                case "status" -> List.of(moveStatus(key, b.path("status").asText()));
                case "label" -> List.of(addLabel(key, b.path("label").asText()));
                // staff decide an on-site intervention (the hub's default step label) and accept the hub's proposal
                // (its comment command, internal); "onsite-choose" picks a worker and a time instead
                case "onsite" -> List.of(addLabel(key, b.path("label").asText("on-site")));
                case "onsite-accept" -> List.of(staffComment(key, "/onsite accept", false));
                case "onsite-choose" -> List.of(staffComment(key, "/onsite " + b.path("worker").asText() + " "
                        + b.path("at").asText(), false));
                case "resolve" -> List.of(resolve(key, b.path("resolution").asText("Done")));
                case "worklog" -> List.of(logWork(key, Duration.ofMinutes(b.path("minutes").asLong(30)),
                        b.path("author").asText("Marie Agent")));
                case "fixVersion" -> List.of(setFixVersion(key, b.path("version").asText()));
                case "release" -> List.of(releaseVersion(b.path("project").asText("DEV"), b.path("version").asText()));
                case "releaseFix" -> List.of(setFixVersion(key, b.path("version").asText()),
                        releaseVersion(issue(key).project(), b.path("version").asText()));
                case "portal" -> List.of(openPortalRequest(b.path("email").asText(), b.path("name").asText(""),
                        b.path("summary").asText(), b.path("description").asText("")));
                default -> throw new IllegalArgumentException("action: comment, status, label, onsite, onsite-accept,"
                        + " onsite-choose, resolve, worklog, fixVersion, release, releaseFix or portal");
            };
        } catch (RuntimeException e) {
            if (form) {
                return Response.seeOther(Console.back("Refused: " + e.getMessage(), key));
            }
            throw e;
        }
        ArrayNode delivered = Json.F.arrayNode();
        List<String> told = new ArrayList<>();
        for (Webhook w : made) {
            ObjectNode n = delivered.addObject().put("event", w.event()).put("identifier", w.identifier())
                    .put("key", w.issueKey());
            if (webhookUrl != null) {
                int status;
                try {
                    status = deliver(w);
                } catch (RuntimeException e) {
                    status = 0;
                }
                n.put("hubStatus", status);
                told.add(w.event() + (status == 0 ? ": the hub could not be reached"
                        : ": the hub answered " + status + (status == 401 ? " (refused: wrong or no webhook secret)" : "")));
            } else {
                told.add(w.event() + ": not sent (no hub webhook set)");
            }
        }
        if (form) {
            String what = made.get(made.size() - 1).issueKey();
            return Response.seeOther(Console.back((what == null ? key == null ? "" : key + ": " : what + ": ") + action
                    + "; " + String.join("; ", told), what == null ? key : what));
        }
        ObjectNode n = ((ObjectNode) delivered.get(delivered.size() - 1)).deepCopy();
        n.set("webhooks", delivered);
        return Response.json(200, Json.write(n));
    }

    /** The escalation label the console's "Escalate to R&D" button adds (the hub's {@code hub.jira.escalation-label}). */
    public Simulator consoleEscalationLabel(String label) {
        console.escalationLabel(label);
        return this;
    }

    /**
     * Standalone: {@code --port 8089 --webhook http://localhost:8080/webhooks/jira --secret …
     * [--jira-email … --jira-token …] [--erp-user … --erp-password …] [--bind 0.0.0.0] [--no-contracts]}
     * (the contracts are read from src/test/resources/contracts by the test classes' {@code JiraContracts}, so run it from the
     * project's folder with the test class path; {@code --no-contracts} needs neither).
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
                a.put(args[i].substring(2), flag ? "true" : args[++i]);
            }
        }
        Simulator s = start(a.getOrDefault("bind", "127.0.0.1"), Integer.parseInt(a.getOrDefault("port", "8089")),
                a.containsKey("no-contracts") ? RequestCheck.NONE : contracts());
        if (a.containsKey("jira-email")) {
            s.jiraCredentials(a.get("jira-email"), a.get("jira-token"));
        }
        if (a.containsKey("erp-user")) {
            s.erpCredentials(a.get("erp-user"), a.get("erp-password"));
        }
        if (a.containsKey("webhook")) {
            s.webhooksTo(a.get("webhook"), a.get("secret"));
        }
        System.out.println("Jira/JSM/ERP simulator on " + s.url() + " (control API: " + s.url() + "/__sim/state,"
                + " staff console: " + s.url() + "/__sim/console)"
                + (a.containsKey("webhook") ? ", webhooks to " + a.get("webhook") : ""));
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        Thread.currentThread().join();
    }

    /** Atlassian's contracts, from the test classes ({@code testing/JiraContracts}), which must be on the class path. */
    private static RequestCheck contracts() {
        try {
            return (RequestCheck) Class.forName("com.esii.support.hub.testing.JiraContracts")
                    .getMethod("simulatorCheck").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("The contracts' check (testing/JiraContracts) is in the test classes: put"
                    + " target/test-classes and the test class path on the class path, or pass --no-contracts", e);
        }
    }
}
