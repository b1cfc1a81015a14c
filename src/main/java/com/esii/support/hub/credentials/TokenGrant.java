package com.esii.support.hub.credentials;

/** A way to obtain an access token from a provider: one request to its token endpoint per call. */
public interface TokenGrant {

    /** A new token; {@link TokenRefused} when the provider says no or cannot be reached. */
    AccessToken request();

    /** Changes when the credentials the grant reads (a secret or key file) change on disk. */
    String version();

    /** For logs and health: the token endpoint, never a secret. */
    String describe();
}
