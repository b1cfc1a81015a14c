package com.esii.support.hub.jira;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.credentials.AccessTokens;
import com.esii.support.hub.credentials.ClientCredentials;
import com.esii.support.hub.credentials.SecretSource;
import com.esii.support.hub.credentials.TokenRefused;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.outbox.RetryLater;
import com.esii.support.hub.outbox.TargetUnavailable;
import com.esii.support.hub.jira.dto.ErrorCollection;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Jira's REST APIs, Cloud or Data Center. The HTTP client never retries by itself: failures become the outbox's
 * signals: 429 and 503 with {@code Retry-After} → {@link RetryLater} (the relay caps the wait; no thread sleeps),
 * 5xx, timeouts and unreachable → {@link TargetUnavailable} (retried with backoff for as long as Jira is down),
 * 401 (the hub's credentials refused: nothing a row can mend) → {@link TargetUnavailable} too, other 4xx →
 * {@link PermanentFailure} carrying Jira's error messages (dead row, visible to operators).
 *
 * <p>Authentication ({@code hub.jira.auth}): Basic email + API token, a Data Center personal access token, or a
 * service account's OAuth 2.0 client credentials (token from {@code hub.jira.oauth2.token-url}, renewed before it
 * expires and once more at once when Jira answers 401). With OAuth 2.0 or {@code hub.jira.gateway} (a scoped API
 * token), calls go to Atlassian's gateway for the site's cloud id; links people read still use {@code hub.jira.url}.
 */
@ApplicationScoped
public class JiraClient {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final JiraConfig config;
    private final ObjectMapper json;
    private final HttpClient http;
    /** How the hub authenticates: basic, bearer or oauth2. */
    private final String auth;
    /** The service account's tokens ({@code oauth2}); null otherwise. */
    private final AccessTokens tokens;
    /** The API's base: the site, or the gateway for the site's cloud id (found once, then kept). */
    private volatile String apiBase;

    public JiraClient(JiraConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json.copy().setSerializationInclusion(JsonInclude.Include.NON_NULL);
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.auth = this.config.auth().map(a -> a.strip().toLowerCase(Locale.ROOT))
                .orElse(cloud() ? "basic" : "bearer");
        if (!List.of("basic", "bearer", "oauth2").contains(auth)) {
            throw new IllegalArgumentException("hub.jira.auth must be basic, bearer or oauth2, not '" + auth + "'");
        }
        this.tokens = auth.equals("oauth2") && configured() ? new AccessTokens("Jira", grant(this.config),
                java.time.Clock.systemUTC()) : null;
    }

    private static ClientCredentials grant(JiraConfig config) {
        JiraConfig.OAuth2 o = config.oauth2();
        String clientId = o.clientId().filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException(
                "hub.jira.auth=oauth2 needs hub.jira.oauth2.client-id (HUB_JIRA_OAUTH2_CLIENT_ID)"));
        SecretSource secret = SecretSource.of(o.clientSecret(), o.clientSecretFile(), "hub.jira.oauth2.client-secret");
        if (!secret.present()) {
            throw new IllegalStateException("hub.jira.auth=oauth2 needs hub.jira.oauth2.client-secret"
                    + " (HUB_JIRA_OAUTH2_CLIENT_SECRET) or hub.jira.oauth2.client-secret-file");
        }
        return new ClientCredentials(URI.create(o.tokenUrl().strip()), clientId, secret, null, config.timeout(),
                "hub.jira.oauth2", java.time.Clock.systemUTC());
    }

    /** Whether API calls go through Atlassian's gateway (a scoped token, or a service account's OAuth 2.0). */
    public boolean throughGateway() {
        return tokens != null || config.gateway();
    }

    /**
     * The address API calls start with: the site ({@code hub.jira.url}), or the gateway for the site's cloud id. The
     * cloud id, when not set, is read once from the site's {@code /_edge/tenant_info} (no credentials needed).
     */
    String apiBase() {
        String base = apiBase;
        if (base != null) {
            return base;
        }
        String site = trim(config.url().orElseThrow(() -> new PermanentFailure("no Jira configured (hub.jira.url)")));
        if (!throughGateway()) {
            apiBase = site;
            return site;
        }
        String cloudId = config.cloudId().filter(v -> !v.isBlank()).orElseGet(() -> cloudIdOf(site));
        base = trim(config.gatewayUrl()) + "/ex/jira/" + cloudId;
        apiBase = base;
        return base;
    }

    private String cloudIdOf(String site) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(site + "/_edge/tenant_info")).timeout(config.timeout())
                .header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
            String id = response.statusCode() == 200 ? json.readTree(response.body()).path("cloudId").asText("") : "";
            if (id.isBlank()) {
                throw new TargetUnavailable("the site " + site + " did not give its cloud id (/_edge/tenant_info → "
                        + response.statusCode() + "): set hub.jira.cloud-id");
            }
            return id;
        } catch (IOException e) {
            throw new TargetUnavailable("the site " + site + " did not give its cloud id: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetUnavailable("interrupted", e);
        }
    }

    private static String trim(String url) {
        String u = url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }


    public boolean configured() {
        return config.url().isPresent();
    }

    public boolean cloud() {
        return !"datacenter".equalsIgnoreCase(config.flavour().strip());
    }

    /** The platform API's base path: v3 on Cloud, v2 on Data Center. */
    public String api() {
        return cloud() ? "/rest/api/3" : "/rest/api/2";
    }

    /** A rich-text body for the platform API: ADF on Cloud, a plain string on Data Center. */
    public JsonNode richText(String text) {
        if (!cloud()) {
            return F.textNode(text);
        }
        ObjectNode doc = F.objectNode().put("type", "doc").put("version", 1);
        ArrayNode content = doc.putArray("content");
        for (String paragraph : text.split("\\n\\s*\\n")) {
            ObjectNode p = content.addObject().put("type", "paragraph");
            ArrayNode inline = p.putArray("content");
            String[] lines = paragraph.split("\\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    inline.addObject().put("type", "hardBreak");
                }
                if (!lines[i].isEmpty()) {
                    inline.addObject().put("type", "text").put("text", lines[i]);
                }
            }
        }
        return doc;
    }

    /** Plain text of a body that may be ADF (v3) or a string (v2, webhooks, JSM). */
    public static String plainText(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return "";
        }
        if (body.isTextual()) {
            return body.asText();
        }
        StringBuilder b = new StringBuilder();
        adf(body, b);
        return b.toString().strip();
    }

    private static void adf(JsonNode n, StringBuilder b) {
        String type = n.path("type").asText("");
        if ("text".equals(type)) {
            b.append(n.path("text").asText(""));
        } else if ("hardBreak".equals(type)) {
            b.append('\n');
        }
        for (JsonNode c : n.path("content")) {
            adf(c, b);
        }
        if ("paragraph".equals(type) || "heading".equals(type) || "listItem".equals(type)) {
            b.append("\n\n");
        }
    }

    /** A GET whose answer is read as {@code type} (a record of {@code jira.dto}). */
    public <T> T get(String path, Map<String, String> query, Class<T> type) {
        return as(get(path, query), type, "GET " + path);
    }

    /** A POST whose answer is read as {@code type} (a record of {@code jira.dto}). */
    public <T> T post(String path, Object body, Class<T> type) {
        return as(post(path, body), type, "POST " + pathOnly(path));
    }

    public <T> T getExperimental(String path, Map<String, String> query, Class<T> type) {
        return as(getExperimental(path, query), type, "GET " + path);
    }

    public <T> T postFiles(String path, List<FilePart> files, Class<T> type) {
        return as(postFiles(path, files), type, "POST " + path);
    }

    /**
     * The start's warm-up ({@link JiraWarmUp}): a request's body written and a sample of Jira's answer body read as
     * {@link #post(String, Object, Class)} does, with this client's own mapper (a copy: its own serialisers'
     * cache) and the types. Nothing is sent.
     */
    <T> T warmUp(Object body, String answer, Class<T> type) throws IOException {
        write(body);
        return as(json.readTree(answer), type, "warm-up");
    }

    private <T> T as(JsonNode answer, Class<T> type, String what) {
        try {
            return json.treeToValue(answer, type);
        } catch (IOException e) {
            throw new PermanentFailure("Jira answered something unexpected on " + what + " (not a "
                    + type.getSimpleName() + "): " + e.getMessage());
        }
    }

    public JsonNode get(String path, Map<String, String> query) {
        return send("GET", path + query(query), null, null, false);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, write(body), "application/json", false);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, write(body), "application/json", false);
    }

    /** A POST that JSM flags experimental ({@code X-ExperimentalApi: opt-in}). */
    public JsonNode postExperimental(String path, Object body) {
        return send("POST", path, write(body), "application/json", true);
    }

    public JsonNode getExperimental(String path, Map<String, String> query) {
        return send("GET", path + query(query), null, null, true);
    }

    /** Uploads files as multipart/form-data parts named {@code file} (JSM temporary attachments). */
    public JsonNode postFiles(String path, List<FilePart> files) {
        String boundary = "hub-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (FilePart f : files) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                        + f.filename().replace("\"", "'").replaceAll("[\\r\\n]", " ") + "\"\r\nContent-Type: "
                        + f.contentType().replaceAll("[\\r\\n]", "") + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(f.content());
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send("POST", path, out.toByteArray(), "multipart/form-data; boundary=" + boundary, true);
    }

    public record FilePart(String filename, String contentType, byte[] content) {
    }

    private JsonNode send(String method, String pathAndQuery, byte[] body, String contentType, boolean experimental) {
        URI uri = URI.create(apiBase() + pathAndQuery);
        String authorization = authorization();
        HttpResponse<String> response = exchange(method, uri, pathAndQuery, body, contentType, experimental,
                authorization);
        if (response.statusCode() == 401 && tokens != null) {
            // an expired or revoked token: a new one, and the call once more at once
            tokens.refused(authorization.substring("Bearer ".length()));
            response = exchange(method, uri, pathAndQuery, body, contentType, experimental, authorization());
        }
        return answer(method, pathAndQuery, response);
    }

    private HttpResponse<String> exchange(String method, URI uri, String pathAndQuery, byte[] body,
            String contentType, boolean experimental, String authorization) {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(config.timeout())
                .header("Accept", "application/json").header("Authorization", authorization);
        if (experimental) {
            r.header("X-ExperimentalApi", "opt-in").header("X-Atlassian-Token", "no-check");
        }
        if (body == null) {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            r.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        try {
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new TargetUnavailable("Jira did not answer within " + config.timeout() + ": " + method + " "
                    + pathOnly(pathAndQuery), e, lostAnswerWait(method));
        } catch (IOException e) {
            throw new TargetUnavailable("Jira unreachable: " + method + " " + pathOnly(pathAndQuery) + ": " + e, e,
                    lostAnswerWait(method));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetUnavailable("interrupted", e);
        }
    }

    private JsonNode answer(String method, String pathAndQuery, HttpResponse<String> response) {
        int status = response.statusCode();
        String what = method + " " + pathOnly(pathAndQuery) + " → " + status;
        if (status == 401) {
            // the hub's credentials, not this row: it waits (and the outbox alerts) until they are mended
            throw new TargetUnavailable("Jira refused the hub's credentials (" + what + ": "
                    + errors(response.body()) + "): check hub.jira.auth and its "
                    + (tokens != null ? "hub.jira.oauth2.* settings and the service account's scopes"
                            : "hub.jira.email / hub.jira.token"));
        }
        if (status == 429 || status == 503) {
            Duration after = retryAfter(response);
            if (after != null) {
                throw new RetryLater("Jira asked to wait " + after.toSeconds() + " s (" + what + ", "
                        + response.headers().firstValue("RateLimit-Reason").orElse("no reason given") + ")", after);
            }
            throw new TargetUnavailable("Jira busy: " + what);
        }
        if (status >= 500) {
            throw new TargetUnavailable("Jira failed: " + what + ": " + errors(response.body()));
        }
        if (status == 404) {
            throw new NotFound(what + ": " + errors(response.body()));
        }
        if (status >= 400) {
            throw new PermanentFailure("Jira refused " + what + ": " + errors(response.body()));
        }
        String text = response.body();
        if (text == null || text.isBlank()) {
            return F.objectNode();
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new PermanentFailure("Jira answered something that is not JSON on " + what);
        }
    }

    /**
     * A write whose answer was lost may still be under way in Jira, and Jira's search shows a new issue only a moment
     * later: the retry, which first looks the write up, waits {@code hub.jira.lost-answer-wait} so that it finds it.
     * Reads are retried with the usual backoff.
     */
    private Duration lostAnswerWait(String method) {
        return "GET".equals(method) ? null : config.lostAnswerWait();
    }

    /** Jira answered 404: the issue (or comment...) does not exist (or the hub may not see it). */
    public static class NotFound extends PermanentFailure {
        public NotFound(String message) {
            super(message);
        }
    }

    static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(v.strip())));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }

    /** Jira's ErrorCollection ({@code errorMessages}, {@code errors}) as one line. */
    String errors(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            ErrorCollection n = json.readValue(body, ErrorCollection.class);
            StringBuilder b = new StringBuilder();
            if (n.errorMessages() != null) {
                n.errorMessages().forEach(m -> b.append(m).append("; "));
            }
            if (n.errors() != null) {
                n.errors().forEach((k, v) -> b.append(k).append(": ").append(v).append("; "));
            }
            if (n.errorMessage() != null) {
                b.append(n.errorMessage());
            }
            return b.length() == 0 ? shorten(body) : b.toString().replaceAll("; $", "");
        } catch (IOException e) {
            return shorten(body);
        }
    }

    private String authorization() {
        if (tokens != null) {
            try {
                return "Bearer " + tokens.current();
            } catch (TokenRefused e) {
                throw new TargetUnavailable("no token for Jira's service account: " + e.getMessage(), e);
            }
        }
        String token = config.token().orElse("");
        if (auth.equals("basic")) {
            String user = config.email().orElse("");
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        }
        return "Bearer " + token;
    }

    private byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String query(Map<String, String> q) {
        if (q == null || q.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("?");
        q.forEach((k, v) -> {
            if (v != null) {
                if (b.length() > 1) {
                    b.append('&');
                }
                b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        });
        return b.toString();
    }

    private static String pathOnly(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    static String lower(String s) {
        return s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    }
}
