package com.esii.support.hub.credentials;

/**
 * No token: the provider refused the request ({@code invalid_client}, {@code unauthorized_client},
 * {@code invalid_grant}..., with its description, e.g. Entra's {@code AADSTS7000215: Invalid client secret}), or
 * could not be reached ({@code error} is then {@code unreachable}). The message says which setting to check and
 * never holds a secret or a token.
 */
public class TokenRefused extends RuntimeException {

    private final String error;
    private final String description;
    private final boolean refused;

    public TokenRefused(String error, String description, String check, boolean refused, Throwable cause) {
        super(error + (description == null || description.isBlank() ? "" : ": " + oneLine(description))
                + (check == null ? "" : " (check " + check + ")"), cause);
        this.error = error;
        this.description = description == null ? null : oneLine(description);
        this.refused = refused;
    }

    /** Entra's descriptions hold line breaks (its trace and correlation ids): one line for logs and health. */
    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ").strip();
    }

    /** The provider's error code ({@code invalid_client}...), or {@code unreachable}. */
    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    /** The provider answered no (as opposed to: it could not be reached). */
    public boolean refused() {
        return refused;
    }
}
