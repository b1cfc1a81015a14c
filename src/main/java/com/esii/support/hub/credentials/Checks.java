package com.esii.support.hub.credentials;

/** Which settings (or which grant on the provider's side) an operator checks for a provider's error code. */
final class Checks {

    private Checks() {
    }

    static String forError(String settings, String code, String description) {
        String d = description == null ? "" : description;
        if (d.startsWith("AADSTS90002") || d.startsWith("AADSTS900023")) {
            return settings + ".tenant";
        }
        if (d.startsWith("AADSTS700016")) {
            return settings + ".client-id and the tenant the application is registered in";
        }
        if (d.startsWith("AADSTS7000215") || d.startsWith("AADSTS7000222")) {
            return settings + ".client-secret (or its file): wrong or expired";
        }
        if (d.startsWith("AADSTS65001") || d.startsWith("AADSTS500011") || d.startsWith("AADSTS7000112")) {
            return "the application's consent and permissions in Entra ID, and " + settings + ".scope";
        }
        return switch (code) {
            case "invalid_client" -> settings + ".client-id and " + settings + ".client-secret (or its file)";
            case "unauthorized_client" -> "the grant on the provider's side (admin consent, application permissions,"
                    + " or the service account's domain-wide delegation for the scope)";
            case "invalid_grant" -> "the mailbox or account the token is asked for, the key (revoked or expired)"
                    + " and the host's clock";
            case "invalid_scope" -> settings + ".scope";
            case "http_401" -> "the service account's domain-wide delegation (Google Admin console: its client id"
                    + " with the scope) and whether the account is enabled";
            default -> settings + ".*";
        };
    }
}
