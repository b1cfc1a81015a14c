package com.esii.support.hub.oncall;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.outbox.OutboxHandler;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;

/**
 * A page posted to the configured webhook ({@code hub.oncall.webhook-url}: an SMS gateway, a chat), as the JSON the
 * outbox row holds, with {@code Authorization: Bearer <hub.oncall.webhook-token>} when a token is set. 2xx: done;
 * 408, 429 and 5xx: retried with backoff; any other answer: dead (a wrong URL or token needs a person).
 */
@ApplicationScoped
public class PageWebhook implements OutboxHandler {

    public static final String TYPE = "oncall-webhook";

    private final OnCallConfig config;
    private final HttpClient http;

    public PageWebhook(OnCallConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.webhookTimeout()).build();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void handle(OutboxRow row) throws Exception {
        String url = config.webhookUrl().orElseThrow(() -> new PermanentFailure("hub.oncall.webhook-url is not set"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(config.webhookTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(row.payload()));
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
}
