package com.esii.support.hub.credentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;

/**
 * A Google service account with domain-wide delegation: Google's auth library reads the JSON key, signs the JWT
 * (RS256, {@code sub} = the mailbox, the scope) and exchanges it at the key's {@code token_uri} (JWT-bearer grant).
 * The key file is read again when it changes (a rotated Secret), from the next token on.
 */
public final class GoogleServiceAccount implements TokenGrant {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretSource keyFile;
    private final String subject;
    private final String scope;
    private final String settings;
    private final Clock clock;
    private String parsedVersion;
    private GoogleCredentials credentials;
    private String tokenUri;

    public GoogleServiceAccount(SecretSource keyFile, String subject, String scope, String settings, Clock clock) {
        this.keyFile = keyFile;
        this.subject = subject;
        this.scope = scope;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Reads the key now: a missing or malformed file is said at once, naming the setting but none of the file's
     * content (the library's own message names the fields it expects).
     */
    public GoogleServiceAccount check() {
        credentials();
        return this;
    }

    private synchronized GoogleCredentials credentials() {
        String version = keyFile.version();
        if (credentials == null || !version.equals(parsedVersion)) {
            byte[] key = keyFile.bytes();
            ServiceAccountCredentials account;
            try {
                account = ServiceAccountCredentials.fromStream(new ByteArrayInputStream(key));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(keyFile.setting() + ": not a Google service account key ("
                        + firstLine(e.getMessage()) + ")");
            }
            credentials = account.createScoped(List.of(scope)).createDelegated(subject);
            tokenUri = String.valueOf(account.getTokenServerUri());
            parsedVersion = version;
        }
        return credentials;
    }

    @Override
    public AccessToken request() {
        GoogleCredentials c;
        try {
            c = credentials();
        } catch (RuntimeException e) {
            throw new TokenRefused("invalid_key", e.getMessage(), keyFile.setting(), true, e);
        }
        Instant asked = clock.instant();
        com.google.auth.oauth2.AccessToken token;
        try {
            token = c.refreshAccessToken();
        } catch (IOException e) {
            HttpResponseException http = httpCause(e);
            if (http == null) {
                throw new TokenRefused("unreachable", tokenUri + ": " + e.getClass().getSimpleName(), settings
                        + ".service-account-file (its token_uri)", false, e);
            }
            String code = "http_" + http.getStatusCode();
            String description = null;
            // the endpoint's JSON answer: the exception's content, or the end of its message (the library puts the
            // answer there when it has read it itself)
            JsonNode body = json(http.getContent());
            if (body == null) {
                body = json(http.getMessage());
            }
            if (body != null) {
                code = body.path("error").asText(code);
                description = body.path("error_description").asText(null);
            } else if (http.getStatusCode() == 401) {
                // The JDK's HTTP client drops the body of a 401 answered to a streamed POST, so Google's reason
                // (unauthorized_client, access_denied or disabled_client, per its error table) is not readable here
                description = "Google refused the service account (401) without a readable reason: the"
                        + " domain-wide delegation of its client id and scope, or the account disabled";
            }
            boolean down = http.getStatusCode() >= 500 || http.getStatusCode() == 429;
            throw new TokenRefused(down ? "unreachable" : code, description, down ? null
                    : Checks.forError(settings, code, description), !down, e);
        }
        Instant expires = token.getExpirationTime() == null ? asked.plusSeconds(3600)
                : token.getExpirationTime().toInstant();
        return new AccessToken(token.getTokenValue(), asked, expires);
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (start < 0 || end < start) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(text.substring(start, end + 1));
            return n.has("error") ? n : null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    private static HttpResponseException httpCause(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof HttpResponseException h) {
                return h;
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public String version() {
        return keyFile.version();
    }

    @Override
    public String describe() {
        return "service account key " + keyFile.file().map(Object::toString).orElse("?") + " for " + subject
                + (tokenUri == null ? "" : " at " + tokenUri);
    }
}
