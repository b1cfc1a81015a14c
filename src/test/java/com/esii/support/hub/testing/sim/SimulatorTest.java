package com.esii.support.hub.testing.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.JiraContracts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/** The simulator itself, spoken to over HTTP as the hub does: state, search, contracts, faults, webhooks. */
class SimulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String EMAIL = "hub-bot@example.com";
    static final String TOKEN = "sim-test-token";
    static Simulator sim;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        sim = Simulator.start(JiraContracts.simulatorCheck()).jiraCredentials(EMAIL, TOKEN).erpCredentials("erp-user", "erp-pass");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void fresh() {
        sim.reset();
    }

    @AfterEach
    void noViolationUnlessExpected() {
        // each test asserts its own; nothing to do
    }

    // --- a client as the hub's ------------------------------------------------------------------------------------

    record Answer(int status, JsonNode json, HttpResponse<String> raw) {
    }

    static Answer call(String method, String path, Object body) throws Exception {
        return call(method, path, body, Duration.ofSeconds(10), true);
    }

    static Answer call(String method, String path, Object body, Duration timeout, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url() + path)).timeout(timeout)
                .header("Accept", "application/json");
        if (auth) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((EMAIL + ":" + TOKEN)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        return new Answer(r.statusCode(), json, r);
    }

    static String newRequest(String number, String subject) throws Exception {
        Answer a = call("POST", "/rest/servicedeskapi/request", Map.of("serviceDeskId", "1", "requestTypeId", "10",
                "requestFieldValues", Map.of("summary", "[" + number + "] " + subject, "description", "Texte du client",
                        "priority", Map.of("name", "High"))));
        assertEquals(201, a.status(), a.raw().body());
        return a.json().path("issueKey").asText();
    }

    static Answer search(String jql, int max, String token) throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("jql", jql);
        body.put("maxResults", max);
        body.put("fields", List.of("summary", "updated"));
        if (token != null) {
            body.put("nextPageToken", token);
        }
        return call("POST", "/rest/api/3/search/jql", body);
    }

    static Answer erp(String action, Object param, String token) throws Exception {
        return call("POST", "/api/v1/WebService/Execute", Map.of("action", action, "param",
                param instanceof String s ? s : JSON.writeValueAsString(param), "access_token", token));
    }

    static String erpToken() throws Exception {
        Answer a = call("POST", "/api/v1/Authent/Auth", Map.of("user", "erp-user", "password", "erp-pass", "infos", ""));
        assertEquals(200, a.status());
        return a.json().path("access_token").asText();
    }

    // --- JSM ------------------------------------------------------------------------------------------------------

    @Test
    void jsmRemembersCustomersRequestsCommentsAttachmentsAndStatuses() throws Exception {
        assertEquals(200, call("GET", "/rest/servicedeskapi/info", null).status());
        Answer customer = call("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
                Map.of("email", "jo@customer.example", "displayName", "Jo"));
        assertEquals(201, customer.status());
        String account = customer.json().path("accountId").asText();
        assertEquals(409, call("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
                Map.of("email", "jo@customer.example", "displayName", "Jo")).status(), "one account per address");
        // not on the service desk yet: JSM's list of the desk's customers does not show it
        assertEquals(0, call("GET", "/rest/servicedeskapi/servicedesk/1/customer?query=jo%40customer.example", null)
                .json().path("values").size());
        assertEquals(204, call("POST", "/rest/servicedeskapi/servicedesk/1/customer", Map.of("accountIds", List.of(account))).status());
        assertEquals(account, call("GET", "/rest/servicedeskapi/servicedesk/1/customer?query=jo%40customer.example", null)
                .json().path("values").get(0).path("accountId").asText());

        Answer created = call("POST", "/rest/servicedeskapi/request", Map.of("serviceDeskId", "1", "requestTypeId", "10",
                "raiseOnBehalfOf", account, "requestFieldValues", Map.of("summary", "[SUP-2026-000001] Imprimante",
                        "description", "Plus rien", "priority", Map.of("name", "Highest"))));
        assertEquals(201, created.status());
        String key = created.json().path("issueKey").asText();
        assertTrue(key.matches("SD-\\d+"), key);
        Simulator.JsmRequest r = sim.request(key);
        assertEquals("Highest", r.priority());
        assertEquals("jo@customer.example", r.reporterEmail());
        assertEquals(Map.of("SUP-2026-000001", List.of(key)), sim.requestsByHubNumber());
        assertEquals("jo@customer.example", call("GET", "/rest/servicedeskapi/request/" + key, null).json()
                .path("reporter").path("emailAddress").asText());

        // comments: public and internal, listed 2 by 2 as JSM pages them
        for (int i = 0; i < 3; i++) {
            assertEquals(201, call("POST", "/rest/servicedeskapi/request/" + key + "/comment",
                    Map.of("body", "note " + i, "public", i != 1)).status());
        }
        Answer page1 = call("GET", "/rest/servicedeskapi/request/" + key + "/comment?start=0&limit=2", null);
        assertEquals(2, page1.json().path("values").size());
        assertFalse(page1.json().path("isLastPage").asBoolean());
        Answer page2 = call("GET", "/rest/servicedeskapi/request/" + key + "/comment?start=2&limit=2", null);
        assertEquals(1, page2.json().path("values").size());
        assertTrue(page2.json().path("isLastPage").asBoolean());
        assertEquals(2, call("GET", "/rest/servicedeskapi/request/" + key + "/comment?internal=false", null)
                .json().path("values").size());
        assertEquals(List.of(true, false, true), sim.comments(key).stream().map(Simulator.JiraComment::isPublic).toList());
        assertEquals(EMAIL, sim.comments(key).get(0).authorEmail(), "written by the hub's account");

        // participants: named by accountId (Cloud) or by username (Data Center); one added twice is there once
        String paul = call("POST", "/rest/servicedeskapi/customer?strictConflictStatusCode=true",
                Map.of("email", "paul@customer.example", "displayName", "Paul")).json().path("accountId").asText();
        String participants = "/rest/servicedeskapi/request/" + key + "/participant";
        assertEquals(200, call("POST", participants, Map.of("accountIds", List.of(paul))).status());
        assertEquals(200, call("POST", participants, Map.of("accountIds", List.of(paul))).status());
        assertEquals(200, call("POST", participants, Map.of("usernames", List.of("jo@customer.example"))).status());
        assertEquals(List.of("paul@customer.example", "jo@customer.example"), sim.participants(key));
        assertEquals(2, call("GET", participants, null).json().path("values").size());
        assertEquals(400, call("POST", participants, Map.of("usernames", List.of("nobody@customer.example"))).status());

        // attachments in two steps
        String boundary = "b0undary";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"log.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n--" + boundary + "--\r\n";
        HttpResponse<String> temp = http.send(HttpRequest.newBuilder(URI.create(sim.url()
                + "/rest/servicedeskapi/servicedesk/1/attachTemporaryFile"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((EMAIL + ":" + TOKEN).getBytes()))
                .header("X-Atlassian-Token", "no-check").header("X-ExperimentalApi", "opt-in")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, temp.statusCode(), temp.body());
        String tempId = JSON.readTree(temp.body()).path("temporaryAttachments").get(0).path("temporaryAttachmentId").asText();
        assertEquals(201, call("POST", "/rest/servicedeskapi/request/" + key + "/attachment",
                Map.of("temporaryAttachmentIds", List.of(tempId), "public", true)).status());
        assertEquals(400, call("POST", "/rest/servicedeskapi/request/" + key + "/attachment",
                Map.of("temporaryAttachmentIds", List.of(tempId), "public", true)).status(), "a temporary file is used once");
        assertEquals(List.of("log.txt"), sim.request(key).attachments());

        // the platform's view: fields asked for, transitions, edits
        JsonNode issue = call("GET", "/rest/api/3/issue/" + key + "?fields=summary,status,comment", null).json();
        assertEquals("[SUP-2026-000001] Imprimante", issue.path("fields").path("summary").asText());
        assertEquals("new", issue.path("fields").path("status").path("statusCategory").path("key").asText());
        assertEquals(3, issue.path("fields").path("comment").path("comments").size());
        assertTrue(issue.path("fields").path("labels").isMissingNode(), "only the fields asked for");
        assertTrue(issue.path("fields").path("comment").path("comments").get(0).path("body").path("type").asText().equals("doc"));
        JsonNode transitions = call("GET", "/rest/api/3/issue/" + key + "/transitions", null).json().path("transitions");
        List<String> names = new ArrayList<>();
        transitions.forEach(t -> names.add(t.path("name").asText()));
        assertTrue(names.contains("Resolve") && !names.contains("Reopen"), names.toString());
        assertEquals(204, call("POST", "/rest/api/3/issue/" + key + "/transitions", Map.of("transition", Map.of("id", "21"))).status());
        assertEquals("Resolved", sim.request(key).status());
        assertEquals("Done", sim.request(key).resolution());
        assertEquals(400, call("POST", "/rest/api/3/issue/" + key + "/transitions", Map.of("transition", Map.of("id", "21"))).status(),
                "Resolve is not available on a resolved request");
        assertEquals(204, call("POST", "/rest/api/3/issue/" + key + "/transitions", Map.of("transition", Map.of("id", "31"))).status());
        assertEquals("Reopened", sim.request(key).status());
        assertNull(sim.request(key).resolution());
        assertEquals(204, call("PUT", "/rest/api/3/issue/" + key, Map.of("fields", Map.of("summary", "[SUP-2026-000001] Imprimante HS"))).status());
        assertEquals("[SUP-2026-000001] Imprimante HS", sim.request(key).summary());
        assertEquals(404, call("GET", "/rest/api/3/issue/SD-999999", null).status());
        assertEquals(List.of(), sim.contractViolations());
    }

    @Test
    void rdBugsLinksAndVersions() throws Exception {
        String key = newRequest("SUP-2026-000002", "Crash");
        Map<String, Object> adf = Map.of("type", "doc", "version", 1, "content", List.of(Map.of("type", "paragraph",
                "content", List.of(Map.of("type", "text", "text", "Steps")))));
        Answer bug = call("POST", "/rest/api/3/issue", Map.of("fields", Map.of("project", Map.of("key", "DEV"),
                "issuetype", Map.of("name", "Bug"), "summary", "[SUP-2026-000002] Crash", "description", adf,
                "labels", List.of("from-support", "SUP-2026-000002"))));
        assertEquals(201, bug.status());
        String bugKey = bug.json().path("key").asText();
        assertTrue(bugKey.startsWith("DEV-"));
        Map<String, Object> link = Map.of("type", Map.of("name", "Relates"), "inwardIssue", Map.of("key", key),
                "outwardIssue", Map.of("key", bugKey));
        assertEquals(201, call("POST", "/rest/api/3/issueLink", link).status());
        assertEquals(201, call("POST", "/rest/api/3/issueLink", link).status(), "a duplicate link still succeeds");
        assertEquals(List.of(new Simulator.IssueLink("Relates", key, bugKey)), sim.links());
        assertEquals(404, call("POST", "/rest/api/3/issueLink", Map.of("type", Map.of("name", "Nope"),
                "inwardIssue", Map.of("key", key), "outwardIssue", Map.of("key", bugKey))).status());
        assertEquals(bugKey, call("GET", "/rest/api/3/issue/" + key + "?fields=issuelinks", null).json()
                .path("fields").path("issuelinks").get(0).path("outwardIssue").path("key").asText());
        assertEquals(List.of(bugKey), keys(search("project = \"DEV\" AND labels = \"SUP-2026-000002\"", 1, null)));

        sim.setFixVersion(bugKey, "4.2.1");
        Simulator.Webhook released = sim.releaseVersion("DEV", "4.2.1");
        String versionId = JSON.readTree(released.body()).path("version").path("id").asText();
        assertEquals(List.of(bugKey), keys(search("project = \"DEV\" AND fixVersion = " + versionId, 500, null)));
        assertTrue(call("GET", "/rest/api/3/issue/" + bugKey + "?fields=fixVersions", null).json().path("fields")
                .path("fixVersions").get(0).path("released").asBoolean());
        assertEquals(1, sim.bugs().size());
        assertEquals(List.of(), sim.contractViolations());
    }

    static List<String> keys(Answer a) {
        List<String> out = new ArrayList<>();
        a.json().path("issues").forEach(i -> out.add(i.path("key").asText()));
        return out;
    }

    @Test
    void searchAnswersTheHubsQueriesFromTheStateAndPagesByToken() throws Exception {
        List<String> created = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            created.add(newRequest("SUP-2026-00001" + i, "Sujet " + i));
        }
        // the hub's look-up of a request by its number (JsmRequests.find)
        assertEquals(List.of(created.get(2)), keys(search("project = \"SD\" AND summary ~ \"\\\"SUP-2026-000013\\\"\"", 10, null)));
        assertEquals(List.of(), keys(search("project = \"SD\" AND summary ~ \"\\\"SUP-2026-000019\\\"\"", 10, null)));
        assertEquals(List.of(), keys(search("project = \"DEV\" AND summary ~ \"\\\"SUP-2026-000013\\\"\"", 10, null)));
        // the reconciliation (JiraReconciler), two by two
        String jql = "project in (\"SD\", \"DEV\") AND updated >= -5m ORDER BY updated ASC";
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Answer page = search(jql, 2, token);
            assertEquals(200, page.status(), page.raw().body());
            seen.addAll(keys(page));
            token = page.json().path("nextPageToken").asText(null);
            assertEquals(token == null, page.json().path("isLast").asBoolean());
            pages++;
        } while (token != null);
        assertEquals(created, seen, "every issue once, oldest change first");
        assertEquals(3, pages);
        assertTrue(search(jql, 2, null).json().path("issues").get(0).path("fields").has("updated"));
        // a comment makes an issue the most recently updated
        Thread.sleep(5);
        call("POST", "/rest/servicedeskapi/request/" + created.get(0) + "/comment", Map.of("body", "x", "public", true));
        List<String> all = keys(search(jql, 100, null));
        assertEquals(created.get(0), all.get(all.size() - 1));
        assertEquals(List.of(), keys(search("project = \"SD\" AND updated >= \"2999-01-01\"", 10, null)));

        // what the simulator does not understand, and the removed search, are refused as Jira refuses them
        assertEquals(400, search("assignee = currentUser()", 10, null).status());
        assertEquals(400, search("project = SD", 10, "bm90LWEtdG9rZW4").status());
        // the eventual consistency of Jira's search
        sim.searchLag(Duration.ofSeconds(30));
        String fresh = newRequest("SUP-2026-000099", "Tout neuf");
        assertEquals(List.of(), keys(search("project = \"SD\" AND summary ~ \"\\\"SUP-2026-000099\\\"\"", 10, null)));
        sim.searchLag(Duration.ZERO);
        assertEquals(List.of(fresh), keys(search("project = \"SD\" AND summary ~ \"\\\"SUP-2026-000099\\\"\"", 10, null)));
    }

    @Test
    void requestsThatBreakTheContractsOrLackCredentialsAreRefused() throws Exception {
        Answer bad = call("POST", "/rest/servicedeskapi/request", Map.of("serviceDeskId", "1", "requestTypeId", "10",
                "unknownProperty", true, "requestFieldValues", Map.of("summary", "x")));
        assertEquals(400, bad.status());
        assertEquals(1, sim.contractViolations().size(), sim.contractViolations().toString());
        assertTrue(sim.requests().isEmpty(), "nothing created");
        assertEquals(400, call("POST", "/rest/api/3/search", Map.of("jql", "project = SD")).status(), "deprecated");
        assertEquals(2, sim.contractViolations().size());
        assertEquals(401, call("GET", "/rest/servicedeskapi/info", null, Duration.ofSeconds(5), false).status(),
                "no credentials: the contract says so, and Jira too");
        sim.reset();
        assertEquals(List.of(), sim.contractViolations());
    }

    // --- ERP ------------------------------------------------------------------------------------------------------

    @Test
    void theErpGivesTokensFindsCustomersAndKeepsEachRecordOnceButCountsArrivals() throws Exception {
        assertEquals(401, call("POST", "/api/v1/Authent/Auth", Map.of("user", "erp-user", "password", "wrong")).status());
        String token = erpToken();
        assertEquals(401, erp("HUB_CONTRAT_SUPPORT", Map.of("by", "domain", "value", "atelier-martin.fr"), "nope").status());
        JsonNode c1 = JSON.readTree(erp("HUB_CONTRAT_SUPPORT", Map.of("by", "access-code", "value", "4711-2026"), token)
                .json().path("result").asText());
        assertEquals("C0001", c1.path("customer").asText());
        assertTrue(c1.path("onCall").asBoolean());
        assertEquals("C0002", JSON.readTree(erp("HUB_CONTRAT_SUPPORT", Map.of("by", "phone", "value", "+33 4 99 00 00 01"),
                token).json().path("result").asText()).path("customer").asText());
        assertFalse(JSON.readTree(erp("HUB_CONTRAT_SUPPORT", Map.of("by", "domain", "value", "gmail.com"), token)
                .json().path("result").asText()).path("found").asBoolean());

        Map<String, Object> record = Map.of("key", "SUP-2026-000001/opened/1", "activity", "opened", "ticket", "SUP-2026-000001");
        assertEquals(0, erp("HUB_ACTIVITE_SUPPORT", record, token).json().path("error").asInt());
        JsonNode again = JSON.readTree(erp("HUB_ACTIVITE_SUPPORT", record, token).json().path("result").asText());
        assertTrue(again.path("duplicate").asBoolean());
        assertEquals(1, sim.records().size());
        assertEquals(2, sim.receivedCount("SUP-2026-000001/opened/1"));
        assertEquals(1, sim.duplicates().size());
        assertEquals("opened", sim.records("SUP-2026-000001").get(0).activity());
        JsonNode found = JSON.readTree(erp("HUB_ACTIVITE_LIRE", Map.of("key", "SUP-2026-000001/opened/1"), token)
                .json().path("result").asText());
        assertTrue(found.path("found").asBoolean());
        assertEquals("opened", found.path("activity").asText());
        assertFalse(JSON.readTree(erp("HUB_ACTIVITE_LIRE", Map.of("key", "nope"), token).json().path("result").asText())
                .path("found").asBoolean());
        assertEquals(11, erp("HUB_ACTIVITE_SUPPORT", Map.of("activity", "opened"), token).json().path("error").asInt(),
                "a record without key is refused");
        assertEquals(3, erp("HUB_NOPE", Map.of(), token).json().path("error").asInt());
        sim.expireErpTokens();
        assertEquals(401, erp("HUB_ACTIVITE_LIRE", Map.of("key", "x"), token).status());
    }

    // --- faults ---------------------------------------------------------------------------------------------------

    @Test
    void aTimeoutAfterCommitStoresTheWriteButTheClientGetsNoAnswerInTime() throws Exception {
        sim.faults().on("POST", "/rest/servicedeskapi/request").timeoutAfterCommit(Duration.ofSeconds(2)).once();
        assertThrows(HttpTimeoutException.class, () -> call("POST", "/rest/servicedeskapi/request",
                Map.of("serviceDeskId", "1", "requestTypeId", "10", "requestFieldValues", Map.of("summary", "[SUP-2026-000005] a")),
                Duration.ofMillis(500), true));
        assertEquals(1, sim.requests().size(), "Jira did create it");
        newRequest("SUP-2026-000006", "b"); // once only
        assertEquals(2, sim.requests().size());
    }

    @Test
    void aDropAfterCommitAndAResetAfterTheAnswerLeaveTheClientWithAnIoErrorAndTheWriteDone() throws Exception {
        String key = newRequest("SUP-2026-000007", "c");
        sim.faults().on("POST", "/rest/servicedeskapi/request/*/comment").dropAfterCommit().once();
        assertThrows(IOException.class, () -> call("POST", "/rest/servicedeskapi/request/" + key + "/comment",
                Map.of("body", "one", "public", true)));
        sim.faults().on("POST", "/rest/servicedeskapi/request/*/comment").resetAfterAnswer().once();
        assertThrows(IOException.class, () -> call("POST", "/rest/servicedeskapi/request/" + key + "/comment",
                Map.of("body", "two", "public", true)));
        assertEquals(List.of("one", "two"), sim.comments(key).stream().map(Simulator.JiraComment::body).toList());
        assertEquals(201, call("POST", "/rest/servicedeskapi/request/" + key + "/comment", Map.of("body", "three", "public", true)).status());
    }

    @Test
    void statusTooManyAndSlowAnswersStoreNothingOrTakeTheirTime() throws Exception {
        sim.faults().on("POST", "/rest/servicedeskapi/request").status(503).once();
        assertEquals(503, call("POST", "/rest/servicedeskapi/request", Map.of("serviceDeskId", "1", "requestTypeId", "10",
                "requestFieldValues", Map.of("summary", "x"))).status());
        assertTrue(sim.requests().isEmpty());
        sim.faults().on("*", "/rest/**").tooMany(7).once();
        Answer busy = call("GET", "/rest/servicedeskapi/info", null);
        assertEquals(429, busy.status());
        assertEquals("7", busy.raw().headers().firstValue("Retry-After").orElse(null));
        assertEquals("jira-burst-based", busy.raw().headers().firstValue("RateLimit-Reason").orElse(null));
        sim.faults().on("POST", "/api/v1/Authent/Auth").slow(Duration.ofMillis(600)).once();
        long t0 = System.nanoTime();
        erpToken();
        assertTrue(System.nanoTime() - t0 >= 590_000_000L);
        sim.faults().creationsTake(Duration.ofMillis(700));
        t0 = System.nanoTime();
        newRequest("SUP-2026-000008", "slow");
        assertTrue(System.nanoTime() - t0 >= 690_000_000L, "Jira answers creations slowly");
        sim.faults().on("POST", "/api/v1/WebService/Execute").withBody("HUB_ACTIVITE_SUPPORT")
                .respond(200, "{\"error\":12,\"txterr\":\"Article inconnu\",\"result\":\"\"}");
        String token = erpToken();
        assertEquals("Article inconnu", erp("HUB_ACTIVITE_SUPPORT", Map.of("key", "k"), token).json().path("txterr").asText());
        assertEquals(0, erp("HUB_CONTRAT_SUPPORT", Map.of("by", "domain", "value", "x.fr"), token).json().path("error").asInt(),
                "only the matching requests");
        assertTrue(sim.records().isEmpty());
    }

    @Test
    void aFractionOfWritesFailsTheSameWayForTheSameSeed() throws Exception {
        List<Integer> first = failures(42);
        List<Integer> second = failures(42);
        assertEquals(first, second, "reproducible");
        long failed = first.stream().filter(s -> s == 500).count();
        assertTrue(failed > 5 && failed < 35, "about 20 of 100: " + failed);
        assertEquals(100 - failed, sim.requests().size(), "a failed write stored nothing");
    }

    private List<Integer> failures(long seed) throws Exception {
        sim.reset();
        sim.faults().onWrites().fraction(0.2, seed).status(500);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            out.add(call("POST", "/rest/servicedeskapi/request", Map.of("serviceDeskId", "1", "requestTypeId", "10",
                    "requestFieldValues", Map.of("summary", "[SUP-2026-1" + i + "] x"))).status());
            assertEquals(200, call("GET", "/rest/servicedeskapi/info", null).status(), "reads are not writes");
        }
        return out;
    }

    // --- staff and webhooks ---------------------------------------------------------------------------------------

    @Test
    void staffActionsChangeTheStateAndTheirWebhooksAreSignedAsJiraSignsThem() throws Exception {
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        HttpServer hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/webhooks/jira", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(Map.of("body", body, "signature", String.valueOf(ex.getRequestHeaders().getFirst("X-Hub-Signature")),
                    "id", String.valueOf(ex.getRequestHeaders().getFirst("X-Atlassian-Webhook-Identifier"))));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hub.start();
        try {
            sim.webhooksTo("http://127.0.0.1:" + hub.getAddress().getPort() + "/webhooks/jira", "s3cret");
            String key = newRequest("SUP-2026-000009", "Webhook");
            Simulator.Webhook comment = sim.staffComment(key, "Nous regardons.", true);
            assertEquals(204, sim.deliver(comment));
            Map<String, String> got = received.get(0);
            assertEquals(Simulator.sign(got.get("body"), "s3cret"), got.get("signature"));
            assertTrue(got.get("signature").matches("sha256=[0-9a-f]{64}"));
            assertEquals(comment.identifier(), got.get("id"));
            JsonNode event = JSON.readTree(got.get("body"));
            assertEquals("comment_created", event.path("webhookEvent").asText());
            assertEquals(key, event.path("issue").path("key").asText());
            assertTrue(event.path("comment").path("self").asText().contains("/issue/" + sim.request(key).id() + "/comment/"));
            assertEquals("marie.agent@esii.example", sim.comments(key).get(0).authorEmail());

            sim.deliver(sim.moveStatus(key, "In Progress"));
            assertEquals("In Progress", sim.request(key).status());
            assertEquals("status", JSON.readTree(received.get(1).get("body")).path("changelog").path("items").get(0)
                    .path("field").asText());
            sim.addLabel(key, "escalate-n2");
            assertEquals(List.of("escalate-n2"), sim.request(key).labels());
            sim.logWork(key, Duration.ofMinutes(90), "Luc Tech");
            assertEquals(5400, call("GET", "/rest/api/3/issue/" + key + "/worklog", null).json().path("worklogs").get(0)
                    .path("timeSpentSeconds").asInt());
            sim.resolve(key, "Fixed");
            assertEquals("Fixed", sim.request(key).resolution());
            Simulator.Webhook portal = sim.openPortalRequest("ines@customer.example", "Inès", "Écran noir", "Rien");
            assertEquals("jira:issue_created", portal.event());
            assertEquals("ines@customer.example", sim.request(portal.issueKey()).reporterEmail());
            sim.deliver(portal, "wrong");
            assertTrue(!Simulator.sign(received.get(2).get("body"), "s3cret").equals(received.get(2).get("signature")));
        } finally {
            hub.stop(0);
        }
        assertNotNull(sim.journal());
    }

    // --- the demo's staff console ---------------------------------------------------------------------------------

    static HttpResponse<String> form(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.url() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String console() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.url() + "/__sim/console")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        return r.body();
    }

    @Test
    void theStaffConsoleShowsWhatJiraHoldsAndItsFormsSendTheSignedWebhooks() throws Exception {
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        HttpServer hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/webhooks/jira", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(Map.of("body", body, "signature", String.valueOf(ex.getRequestHeaders().getFirst("X-Hub-Signature"))));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hub.start();
        try {
            sim.webhooksTo("http://127.0.0.1:" + hub.getAddress().getPort() + "/webhooks/jira", "s3cret");
            String key = newRequest("SUP-2026-000031", "Imprimante <HS>");
            assertTrue(console().contains("[SUP-2026-000031] Imprimante &lt;HS&gt;"), "listed, escaped");

            // A public reply posted by the console's form: stored, signed webhook sent, 303 back to the console.
            HttpResponse<String> r = form("/__sim/staff", "action=comment&key=" + key
                    + "&text=Pouvez-vous+red%C3%A9marrer+%3F&public=true");
            assertEquals(303, r.statusCode());
            String location = r.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith("/__sim/console?done=") && location.endsWith("#" + key), location);
            assertTrue(java.net.URLDecoder.decode(location, StandardCharsets.UTF_8).contains("the hub answered 204"), location);
            assertEquals(1, received.size());
            assertEquals(Simulator.sign(received.get(0).get("body"), "s3cret"), received.get(0).get("signature"));
            assertEquals("comment_created", JSON.readTree(received.get(0).get("body")).path("webhookEvent").asText());
            Simulator.JiraComment c = sim.comments(key).get(0);
            assertEquals("Pouvez-vous redémarrer ?", c.body());
            assertTrue(c.isPublic());

            // An internal note, the status, the escalation label: each changes the request and tells the hub.
            assertEquals(303, form("/__sim/staff", "action=comment&key=" + key + "&text=Voir+le+pilote&public=false").statusCode());
            assertFalse(sim.comments(key).get(1).isPublic());
            assertEquals(303, form("/__sim/staff", "action=status&key=" + key + "&status=Waiting+for+customer").statusCode());
            assertEquals("Waiting for customer", sim.request(key).status());
            assertEquals(303, form("/__sim/staff", "action=label&key=" + key + "&label=escalate-n2").statusCode());
            assertEquals(List.of("escalate-n2"), sim.request(key).labels());
            assertEquals(4, received.size());

            // On a bug: the fix version set and released in one go (two webhooks).
            Answer bug = call("POST", "/rest/api/3/issue", Map.of("fields", Map.of("project", Map.of("key", "DEV"),
                    "issuetype", Map.of("name", "Bug"), "summary", "[SUP-2026-000031] Imprimante")));
            assertEquals(201, bug.status(), bug.raw().body());
            String dev = bug.json().path("key").asText();
            assertEquals(303, form("/__sim/staff", "action=releaseFix&key=" + dev + "&version=2.4.1").statusCode());
            assertEquals(List.of("2.4.1"), sim.issue(dev).fixVersions());
            assertEquals("jira:version_released", JSON.readTree(received.get(5).get("body")).path("webhookEvent").asText());

            String page = console();
            assertTrue(page.contains("Waiting for customer") && page.contains("Voir le pilote") && page.contains("internal")
                    && page.contains(dev) && page.contains("2.4.1"), page);
            assertFalse(page.contains("<script"), "no script");

            // A mistake is said on the console, not thrown at the browser.
            r = form("/__sim/staff", "action=status&key=" + key + "&status=Nowhere");
            assertEquals(303, r.statusCode());
            assertTrue(java.net.URLDecoder.decode(r.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8)
                    .contains("Refused: no status Nowhere"));
            // The JSON control API is the same action; it answers with the hub's status.
            HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(sim.url() + "/__sim/staff"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"action\":\"resolve\",\"key\":\"" + key + "\",\"resolution\":\"Fixed\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, json.statusCode(), json.body());
            assertEquals(204, JSON.readTree(json.body()).path("hubStatus").asInt());
            assertEquals("Resolved", sim.request(key).status());
        } finally {
            sim.webhooksTo((String) null, null);
            hub.stop(0);
        }
    }

    @Test
    void theRequestCheckIsPluggableAndTheDemoRunsWithout() throws Exception {
        try (Simulator demo = Simulator.start(RequestCheck.NONE)) {
            // a request the contracts refuse (a member they do not know) is taken by the demo's simulator
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(demo.url() + "/rest/servicedeskapi/request"))
                    .header("Content-Type", "application/json").header("Authorization", "Basic "
                            + Base64.getEncoder().encodeToString("any:thing".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"serviceDeskId\":\"1\",\"requestTypeId\":\"10\","
                            + "\"requestFieldValues\":{\"summary\":\"x\"},\"notInTheContract\":true}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
            assertEquals(List.of(), demo.contractViolations());
        }
        // ...which this class's simulator, checked against the contracts, refuses.
        Answer refused = call("POST", "/rest/servicedeskapi/request", "{\"serviceDeskId\":\"1\",\"requestTypeId\":\"10\","
                + "\"requestFieldValues\":{\"summary\":\"x\"},\"notInTheContract\":true}");
        assertEquals(400, refused.status(), refused.raw().body());
        assertEquals(1, sim.contractViolations().size(), sim.contractViolations().toString());
    }
}
