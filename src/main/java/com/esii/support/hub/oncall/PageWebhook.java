package com.esii.support.hub.oncall;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A page posted to the configured webhook ({@code hub.oncall.webhook-url}: an SMS gateway, a chat), as the JSON the
 * outbox row holds, with {@code Authorization: Bearer <hub.oncall.webhook-token>} when a token is set. 2xx: done;
 * 408, 429 and 5xx: retried with backoff; any other answer: dead (a wrong URL or token needs a person).
 *
 * <p>A webhook has no read API to ask whether it holds a page already, so every page carries its correlation instead:
 * {@link #dedupKey} (the ticket's number and the outbox row's id), as the {@code Idempotency-Key} header and the body's
 * {@code dedup_key}. A page posted again (its answer lost, a replica killed before recording it) carries the same key,
 * on which the paging service deduplicates.
 */
@ApplicationScoped
@Named("pageWebhook")
public class PageWebhook {

    public static final String TYPE = "oncall-webhook";

    private final OnCallConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    public PageWebhook(OnCallConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.webhookTimeout()).build();
    }

    /** Performs a {@value #TYPE} row (route {@code oncall-webhook}, routes/oncall.yaml). */
    public void send(OutboxRow row) throws Exception {
        String url = config.webhookUrl().orElseThrow(() -> new PermanentFailure("hub.oncall.webhook-url is not set"));
        Map<String, Object> page = json.readValue(row.payload(), new TypeReference<LinkedHashMap<String, Object>>() {
        });
        String key = dedupKey(String.valueOf(page.get("ticket")), row.id());
        page.put("dedup_key", key);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(config.webhookTimeout())
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(page)));
        config.webhookToken().filter(t -> !t.isBlank()).ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new IllegalStateException("Page webhook answered " + status);
        }
        throw new PermanentFailure("Page webhook refused the page: HTTP " + status);
    }

    /** The page's correlation, the same at every attempt: {@code page:<ticket number>/<outbox row id>}. */
    public static String dedupKey(String ticketNumber, long rowId) {
        return "page:" + ticketNumber + "/" + rowId;
    }
}
