package com.esii.support.hub.erp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.esii.support.hub.erp.dto.Answer;
import com.esii.support.hub.erp.dto.Execute;
import com.esii.support.hub.erp.dto.Login;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Divalto Infinity's REST API: a token from {@code Authent/Auth} (kept for its lifetime less a minute, renewed on
 * a 401), then {@code WebService/Execute} of a Diva action. The HTTP client never retries by itself: callers (the
 * outbox) own retrying. After a failure the ERP is not asked again for {@code hub.erp.pause-after-failure}, so that
 * intake never queues behind a dead ERP.
 */
@ApplicationScoped
public class ErpClient {

    private static final Logger LOG = Logger.getLogger(ErpClient.class);

    private final ErpConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpClient http;

    private volatile String token;
    private volatile Instant tokenExpires = Instant.MIN;
    // Hand-made, not SmallRye's @CircuitBreaker/TypedGuard: its breaker shows no reopening time (ContractRetriage
    // waits for pausedUntil) and needs CDI (TypedGuard.create outside CDI, 6.9.3: "Could not find implementation of
    // io.smallrye.faulttolerance.api.Spi"): ErpClientTest (4 tests, 5 s, movable clock) would sleep through real pauses.
    private volatile Instant pausedUntil = Instant.MIN;
    private volatile String lastFailure;

    public ErpClient(ErpConfig config, ObjectMapper json, Clock clock) {
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Whether an ERP is configured at all. */
    public boolean configured() {
        return config.url().isPresent();
    }

    /** When the ERP may be asked again after a failure (in the past when it may be asked now). */
    public Instant pausedUntil() {
        return pausedUntil;
    }

    /**
     * Runs a Diva web service and returns its {@code result} (a JSON document when the service answers JSON text,
     * else a text node).
     */
    public JsonNode execute(String action, Object param) {
        return result(action, post("/api/v1/WebService/Execute", question(action, param), true));
    }

    /** Runs a Diva web service and reads its {@code result} as {@code type} (a record of {@code erp.dto}). */
    public <T> T execute(String action, Object param, Class<T> type) {
        return as(action, execute(action, param), type);
    }

    /**
     * The start's warm-up's login ({@link ErpWarmUp}), so that the first mail after a start does not wait for it: the
     * login the replica's first look-up would make anyway (a token is taken once per {@code hub.erp.token-lifetime}
     * and kept), taken earlier (a replica that then asks the ERP nothing for that long has logged in once more than
     * it would have); a login is not business traffic and changes nothing in the ERP. It also opens the
     * connection the first look-up then reuses and runs the JDK HTTP client's request path once (about 200 classes
     * loaded at the first request). Bounded by {@code hub.erp.timeout}; a failed login does not pause the ERP as a
     * failed look-up would (the first mails would go without their contract): the first look-up logs in again.
     * Returns whether a token is held.
     */
    boolean warmUpLogin() {
        if (!configured() || clock.instant().isBefore(pausedUntil)) {
            return false;
        }
        try {
            token(false, false);
            return true;
        } catch (ErpUnavailableException | ErpRefusedException | IOException e) {
            LOG.infof("ERP login at the warm-up failed (the first look-up logs in): %s", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The start's warm-up of a service's bodies ({@link ErpWarmUp}): its question written and a sample of the ERP's
     * answer body read as {@link #execute(String, Object, Class)} does, with this client's mapper and types. Nothing
     * is sent.
     */
    <T> T warmUp(String action, Object param, String answer, Class<T> type) throws IOException {
        write(question(action, param).withToken("warm-up"));
        return as(action, result(action, read(answer)), type);
    }

    private Execute question(String action, Object param) {
        return new Execute(action, param instanceof String s ? s : write(param), null);
    }

    private Answer read(String body) throws IOException {
        return json.readValue(body, Answer.class);
    }

    private JsonNode result(String action, Answer answer) {
        JsonNode result = answer.result() == null ? MissingNode.getInstance() : answer.result();
        if (result.isTextual()) {
            String text = result.asText().strip();
            if (text.startsWith("{") || text.startsWith("[")) {
                try {
                    return json.readTree(text);
                } catch (IOException e) {
                    throw new ErpRefusedException("ERP action " + action + " answered malformed JSON: " + e.getMessage());
                }
            }
        }
        return result;
    }

    private <T> T as(String action, JsonNode result, Class<T> type) {
        try {
            return json.treeToValue(result.isMissingNode() ? json.createObjectNode() : result, type);
        } catch (IOException e) {
            throw new ErpRefusedException("ERP action " + action + " answered something unexpected (not a "
                    + type.getSimpleName() + "): " + e.getMessage());
        }
    }

    private Answer post(String path, Object body, boolean authenticated) {
        return post(path, body, authenticated, true);
    }

    /** {@code pauses}: whether a failure pauses the ERP (not for the warm-up's login). */
    private Answer post(String path, Object body, boolean authenticated, boolean pauses) {
        Instant now = clock.instant();
        if (now.isBefore(pausedUntil)) {
            throw new ErpUnavailableException("ERP not asked until " + pausedUntil + " after a failure: " + lastFailure);
        }
        try {
            for (int attempt = 0;; attempt++) {
                String bearer = authenticated ? token(attempt > 0, pauses) : null;
                Object sent = bearer != null && body instanceof Execute e ? e.withToken(bearer) : body;
                HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(config.timeout())
                        .header("Content-Type", "application/json").header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(write(sent)));
                if (bearer != null) {
                    request.header("Authorization", "Bearer " + bearer);
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 401 && authenticated && attempt == 0) {
                    LOG.info("ERP token refused (401): logging in again");
                    token = null;
                    continue;
                }
                if (status >= 500 || status == 429 || status == 408) {
                    throw new ErpUnavailableException("ERP answered HTTP " + status + " on " + path);
                }
                if (status >= 400) {
                    throw new ErpRefusedException("ERP answered HTTP " + status + " on " + path + ": " + shorten(response.body()));
                }
                Answer answer = read(response.body());
                if (answer.failed()) {
                    throw new ErpRefusedException("ERP error " + answer.error() + " on " + path + ": "
                            + (answer.txterr() == null ? "" : answer.txterr()));
                }
                pausedUntil = Instant.MIN;
                return answer;
            }
        } catch (ErpUnavailableException e) {
            pause(pauses, e.getMessage());
            throw e;
        } catch (HttpTimeoutException e) {
            pause(pauses, "no answer within " + config.timeout() + " on " + path);
            throw new ErpUnavailableException("ERP did not answer within " + config.timeout() + " on " + path, e);
        } catch (IOException e) {
            pause(pauses, e.getClass().getSimpleName() + " on " + path);
            throw new ErpUnavailableException("ERP unreachable on " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErpUnavailableException("interrupted while asking the ERP", e);
        }
    }

    private String token(boolean renew, boolean pauses) throws IOException, InterruptedException {
        Instant now = clock.instant();
        String current = token;
        if (!renew && current != null && now.isBefore(tokenExpires)) {
            return current;
        }
        synchronized (this) {
            if (!renew && token != null && clock.instant().isBefore(tokenExpires)) {
                return token;
            }
            Login login = new Login(config.domain().orElse(null), config.user().orElse(""),
                    config.password().orElse(""), config.environment().orElse(null),
                    config.domain().isEmpty() ? "" : null);
            String fresh = post("/api/v1/Authent/Auth", login, false, pauses).accessToken();
            if (fresh == null || fresh.isBlank()) {
                throw new ErpRefusedException("ERP login answered no access_token");
            }
            token = fresh;
            // renewed a minute before it runs out, so that no request carries a token about to expire
            Duration life = config.tokenLifetime().minusMinutes(1);
            tokenExpires = clock.instant().plus(life.isNegative() ? Duration.ZERO : life);
            return fresh;
        }
    }

    private void pause(boolean pauses, String why) {
        if (!pauses) {
            return;
        }
        lastFailure = why;
        pausedUntil = clock.instant().plus(config.pauseAfterFailure());
        LOG.warnf("ERP unavailable (%s): not asked again before %s", why, pausedUntil);
    }

    private URI uri(String path) {
        String base = config.url().orElseThrow(() -> new ErpUnavailableException("no ERP configured (hub.erp.url)"));
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
