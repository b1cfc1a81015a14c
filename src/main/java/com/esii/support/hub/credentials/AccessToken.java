package com.esii.support.hub.credentials;

import java.time.Instant;

/** An OAuth2 access token and when it expires. {@link #toString()} never shows the token. */
public record AccessToken(String value, Instant issuedAt, Instant expiresAt) {

    @Override
    public String toString() {
        return "AccessToken[expires " + expiresAt + "]";
    }
}
