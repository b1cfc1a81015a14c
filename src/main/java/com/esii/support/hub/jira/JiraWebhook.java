package com.esii.support.hub.jira;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jboss.logging.Logger;

import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.util.Hashes;
import com.esii.support.hub.jira.dto.WebhookEvent;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * {@code POST /webhooks/jira}: refused with 401 unless {@code X-Hub-Signature} is the HMAC-SHA256 of the raw body
 * with {@code hub.jira.webhook-secret} (compared in constant time, before anything is parsed); a delivery seen
 * before ({@code X-Atlassian-Webhook-Identifier}) is acknowledged and ignored. A valid delivery only says which
 * issues changed: each is brought in by a {@code jira-sync} step in the outbox, which reads the issue as it stands.
 */
@ApplicationScoped
@Named("jiraWebhook")
public class JiraWebhook {

    private static final Logger LOG = Logger.getLogger(JiraWebhook.class);
    private static final Pattern ISSUE_IN_SELF = Pattern.compile("/issue/([^/]+)/comment/");

    private final JiraConfig config;
    private final JiraStore store;
    private final JiraOutbox outbox;
    private final JiraClient jira;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final OutboxRelay relay;

    public JiraWebhook(JiraConfig config, JiraStore store, JiraOutbox outbox, JiraClient jira, ObjectMapper json,
            Clock clock, MeterRegistry metrics, OutboxRelay relay) {
        this.config = config;
        this.store = store;
        this.outbox = outbox;
        this.jira = jira;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.relay = relay;
    }

    public void receive(Exchange ex) throws Exception {
        Message m = ex.getMessage();
        byte[] body = m.getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        String signature = m.getHeader("X-Hub-Signature", String.class);
        String identifier = m.getHeader("X-Atlassian-Webhook-Identifier", String.class);
        m.removeHeaders("*");
        if (!signed(body, signature)) {
            metrics.counter("hub.jira.webhooks", "outcome", "refused").increment();
            LOG.warnf("Jira webhook refused: %s", signature == null ? "no X-Hub-Signature" : "bad signature");
            answer(m, 401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"X-Hub-Signature does not match\"}");
            return;
        }
        WebhookEvent event;
        try {
            event = json.readValue(body, WebhookEvent.class);
        } catch (Exception e) {
            answer(m, 400, "{\"title\":\"Bad payload\",\"status\":400,\"detail\":\"not JSON\"}");
            return;
        }
        String id = identifier == null || identifier.isBlank() ? "sha256:" + Hashes.sha256Hex(body) : identifier.strip();
        String type = event.webhookEvent() == null ? "" : event.webhookEvent();
        Set<String> keys = issues(event);
        boolean fresh = QuarkusTransaction.requiringNew().call(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            if (!store.rememberDelivery(id.length() > 128 ? id.substring(0, 128) : id, type, now)) {
                return false;
            }
            keys.forEach(k -> outbox.sync(k, now));
            return true;
        });
        metrics.counter("hub.jira.webhooks", "outcome", fresh ? "accepted" : "duplicate").increment();
        if (fresh) {
            LOG.infof("Jira webhook %s (%s): %s", type, id, keys);
            relay.wake();
        }
        answer(m, 204, null);
    }

    /** The issues an event is about (for a released version: the R&D bugs it fixes). */
    Set<String> issues(WebhookEvent event) {
        Set<String> keys = new LinkedHashSet<>();
        String key = event.issue() == null ? null : event.issue().key();
        if (key != null) {
            keys.add(key);
        } else if (event.comment() != null) {
            Matcher mm = ISSUE_IN_SELF.matcher(event.comment().self() == null ? "" : event.comment().self());
            if (mm.find()) {
                keys.add(mm.group(1));
            }
        }
        if ("jira:version_released".equals(event.webhookEvent()) && event.version() != null) {
            String version = event.version().id();
            String jql = "project = \"" + config.rdProjectKey() + "\" AND fixVersion = " + version;
            JiraSearch.search(jira, jql, List.of("summary"), 500).forEach(i -> keys.add(i.key()));
        }
        return keys;
    }

    boolean signed(byte[] body, String header) {
        String secret = config.webhookSecret().orElse(null);
        if (secret == null || secret.isBlank() || header == null) {
            return false;
        }
        String expected = "sha256=" + HexFormat.of()
                .formatHex(Hashes.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
        return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                header.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private static void answer(Message m, int status, String problem) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (problem == null) {
            m.setBody(null);
        } else {
            m.setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
            m.setBody(problem);
        }
    }
}
