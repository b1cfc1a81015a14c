package com.esii.support.hub.credentials;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;

/**
 * The OAuth 2.0 client-credentials grant (RFC 6749 4.4), as Microsoft Entra ID and Atlassian take it: the
 * application's id and secret (sent in the form body) and a scope, at the token endpoint. Nimbus' OAuth 2.0 SDK makes
 * the request and reads the answer, the provider's error code and description included. The secret is read at each
 * request, so a rotated secret file is used from the next token on.
 */
public final class ClientCredentials implements TokenGrant {

    private final URI tokenUrl;
    private final String clientId;
    private final SecretSource secret;
    private final String scope;
    private final Duration timeout;
    private final String settings;
    private final Clock clock;

    /** {@code settings}: the prefix of the settings an operator checks when the provider says no. */
    public ClientCredentials(URI tokenUrl, String clientId, SecretSource secret, String scope, Duration timeout,
            String settings, Clock clock) {
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.secret = secret;
        this.scope = scope;
        this.timeout = timeout;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public AccessToken request() {
        String value;
        try {
            value = secret.text();
        } catch (RuntimeException e) {
            throw new TokenRefused("unreadable_secret", e.getMessage(), secret.setting(), true, e);
        }
        TokenRequest request = new TokenRequest(tokenUrl, new ClientSecretPost(new ClientID(clientId),
                new Secret(value)), new ClientCredentialsGrant(), scope == null || scope.isBlank() ? null
                        : Scope.parse(scope));
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout((int) timeout.toMillis());
        http.setReadTimeout((int) timeout.toMillis());
        Instant asked = clock.instant();
        HTTPResponse response;
        try {
            response = http.send();
        } catch (IOException e) {
            throw new TokenRefused("unreachable", tokenUrl + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), settings + ".token-url", false, e);
        }
        TokenResponse parsed;
        try {
            parsed = TokenResponse.parse(response);
        } catch (ParseException e) {
            boolean down = response.getStatusCode() >= 500 || response.getStatusCode() == 429;
            throw new TokenRefused(down ? "unreachable" : "invalid_response", tokenUrl + " answered "
                    + response.getStatusCode() + " without a token", settings + ".token-url", !down, e);
        }
        if (!parsed.indicatesSuccess()) {
            ErrorObject error = parsed.toErrorResponse().getErrorObject();
            String code = error.getCode() == null ? "http_" + response.getStatusCode() : error.getCode();
            boolean down = response.getStatusCode() >= 500 || response.getStatusCode() == 429;
            throw new TokenRefused(down ? "unreachable" : code, error.getDescription(),
                    Checks.forError(settings, code, error.getDescription()), !down, null);
        }
        AccessTokenResponse ok = parsed.toSuccessResponse();
        var token = ok.getTokens().getAccessToken();
        long lifetime = token.getLifetime() > 0 ? token.getLifetime() : 3600;
        return new AccessToken(token.getValue(), asked, asked.plusSeconds(lifetime));
    }

    @Override
    public String version() {
        return secret.version();
    }

    @Override
    public String describe() {
        return "client credentials of " + clientId + " at " + tokenUrl;
    }
}
