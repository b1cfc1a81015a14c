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

import com.esii.support.hub.config.HubConfig;
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
 * other 4xx → {@link PermanentFailure} carrying Jira's error messages (dead row, visible to operators).
 */
@ApplicationScoped
public class JiraClient {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final HubConfig.Jira config;
    private final ObjectMapper json;
    private final HttpClient http;

    public JiraClient(HubConfig config, ObjectMapper json) {
        this.config = config.jira();
        this.json = json.copy().setSerializationInclusion(JsonInclude.Include.NON_NULL);
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
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
        String base = config.url().orElseThrow(() -> new PermanentFailure("no Jira configured (hub.jira.url)"));
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery);
        HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(config.timeout())
                .header("Accept", "application/json").header("Authorization", authorization());
        if (experimental) {
            r.header("X-ExperimentalApi", "opt-in").header("X-Atlassian-Token", "no-check");
        }
        if (body == null) {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            r.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
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
        int status = response.statusCode();
        String what = method + " " + pathOnly(pathAndQuery) + " → " + status;
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
        String token = config.token().orElse("");
        if (cloud()) {
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
