package com.esii.support.hub.testing.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.esii.support.hub.testing.sim.SimHttp.Request;
import com.esii.support.hub.testing.sim.SimHttp.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The token endpoints a support department's services use, shaped as their vendors' are:
 * <ul>
 * <li>Microsoft Entra ID, {@code POST /<tenant>/oauth2/v2.0/token}: the client-credentials grant (client id and
 * secret, a {@code .default} scope), refusals with Entra's {@code AADSTS} codes;</li>
 * <li>Google, {@code POST /google/token} (a service account key's {@code token_uri}): the JWT-bearer grant, the
 * assertion's RS256 signature checked against the account's public key, its {@code iss}, {@code aud} (always
 * {@code https://oauth2.googleapis.com/token}, as Google wants it), {@code exp},
 * {@code sub} and {@code scope};</li>
 * <li>Atlassian, {@code POST /oauth/token}: the client-credentials grant of a service account, tokens carrying the
 * account's scopes (Jira refuses a call whose scope the token lacks).</li>
 * </ul>
 * Tokens are random, live {@link #tokenLifetime} (short on demand), and are valid until then; the mail server of the
 * tests asks {@link #valid} whether a token it is given may open the mailbox. Thread-safe (one lock).
 */
final class OAuthSim {

    static final Pattern ENTRA = Pattern.compile("^/([^/]+)/oauth2/v2\\.0/token$");
    static final String GOOGLE = "/google/token";
    static final String ATLASSIAN = "/oauth/token";

    /** A token given: to whom, for which scopes, until when. */
    record Issued(String token, String provider, String client, String subject, Set<String> scopes, Instant expires) {
    }

    record Client(String provider, String id, String secret, Set<String> scopes, String tenant, String email) {
    }

    private final Clock clock;
    private final Map<String, Client> clients = new LinkedHashMap<>();
    private final Map<String, PublicKey> googleKeys = new LinkedHashMap<>();
    private final Map<String, Set<String>> delegations = new LinkedHashMap<>();
    private final Map<String, Issued> tokens = new LinkedHashMap<>();
    private final List<String> answers = new ArrayList<>();
    private Duration tokenLifetime = Duration.ofHours(1);
    /** Every request is refused with this error and description (a revoked consent...), until cleared. */
    private String[] refusal;

    OAuthSim(Clock clock) {
        this.clock = clock;
    }

    synchronized void entraApp(String tenant, String clientId, String secret) {
        clients.put(clientId, new Client("entra", clientId, secret, Set.of(), tenant, null));
    }

    synchronized void atlassianClient(String clientId, String secret, String accountEmail, Set<String> scopes) {
        clients.put(clientId, new Client("atlassian", clientId, secret, Set.copyOf(scopes), null, accountEmail));
    }

    /** A Google service account and the scopes its domain-wide delegation grants. */
    synchronized void googleAccount(String clientEmail, PublicKey key, Set<String> delegatedScopes) {
        googleKeys.put(clientEmail, key);
        delegations.put(clientEmail, Set.copyOf(delegatedScopes));
    }

    synchronized String secret(String clientId) {
        Client c = clients.get(clientId);
        return c == null ? null : c.secret();
    }

    /** The tokens a provider gave are refused from now on (revoked, or expired early). */
    synchronized void expire(String provider) {
        tokens.values().removeIf(i -> i.provider().equals(provider));
    }

    synchronized void tokenLifetime(Duration d) {
        tokenLifetime = d;
    }

    synchronized void refuse(String error, String description) {
        refusal = error == null ? null : new String[] {error, description};
    }

    /** The token exists, has not expired, and carries {@code scope} (null: any). */
    synchronized Issued valid(String token, String scope) {
        Issued i = token == null ? null : tokens.get(token);
        if (i == null || !clock.instant().isBefore(i.expires())) {
            return null;
        }
        return scope == null || i.scopes().contains(scope) ? i : null;
    }

    /** Every token given so far (for the tests that look for them where they must not be). */
    synchronized List<String> tokens() {
        return List.copyOf(tokens.keySet());
    }

    /** Tokens given so far, per provider. */
    synchronized long issued(String provider) {
        return answers.stream().filter(a -> a.equals(provider)).count();
    }

    /** Refusals and token lifetimes back to normal; clients, and the tokens given, are kept. */
    synchronized void reset() {
        refusal = null;
        tokenLifetime = Duration.ofHours(1);
    }

    static boolean isTokenPath(String path) {
        return ENTRA.matcher(path).matches() || path.equals(GOOGLE) || path.equals(ATLASSIAN);
    }

    private long requests;

    /** Token requests received so far, answered or refused. */
    synchronized long requests() {
        return requests;
    }

    synchronized Response handle(Request r) {
        requests++;
        if (!r.method().equals("POST")) {
            return Response.json(405, "{\"error\":\"invalid_request\"}");
        }
        Map<String, String> form = form(r);
        Matcher entra = ENTRA.matcher(r.path());
        if (entra.matches()) {
            return entra(entra.group(1), form);
        }
        if (r.path().equals(GOOGLE)) {
            return google(form);
        }
        return atlassian(form);
    }

    private Response entra(String tenant, Map<String, String> f) {
        if (refusal != null) {
            return entraError(400, refusal[0], refusal[1]);
        }
        if (!"client_credentials".equals(f.get("grant_type"))) {
            return entraError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
        }
        Client c = clients.get(f.get("client_id"));
        if (c == null || !c.provider().equals("entra")) {
            return entraError(400, "unauthorized_client", "AADSTS700016: Application with identifier '"
                    + f.get("client_id") + "' was not found in the directory '" + tenant + "'.");
        }
        if (!c.tenant().equals(tenant)) {
            return entraError(400, "invalid_request", "AADSTS90002: Tenant '" + tenant + "' not found.");
        }
        if (!c.secret().equals(f.get("client_secret"))) {
            return entraError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the"
                    + " secret being sent in the request is the client secret value, not the client secret ID.");
        }
        String scope = f.getOrDefault("scope", "");
        if (!scope.endsWith("/.default")) {
            return entraError(400, "invalid_scope", "AADSTS1002012: The provided value for scope " + scope
                    + " is not valid. Client credential flows must have a scope value with /.default suffixed.");
        }
        Issued i = issue("entra", c.id(), null, Set.of(scope));
        ObjectNode n = Json.F.objectNode().put("token_type", "Bearer").put("expires_in", tokenLifetime.toSeconds())
                .put("ext_expires_in", tokenLifetime.toSeconds()).put("access_token", i.token());
        return Response.json(200, Json.write(n));
    }

    private static Response entraError(int status, String error, String description) {
        ObjectNode n = Json.F.objectNode().put("error", error).put("error_description", description
                + "\r\nTrace ID: " + UUID.randomUUID() + "\r\nCorrelation ID: " + UUID.randomUUID());
        Matcher m = Pattern.compile("AADSTS(\\d+)").matcher(description);
        if (m.find()) {
            n.putArray("error_codes").add(Long.parseLong(m.group(1)));
        }
        return Response.json(status, Json.write(n));
    }

    private Response google(Map<String, String> f) {
        if (refusal != null) {
            return googleError(400, refusal[0], refusal[1]);
        }
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(f.get("grant_type"))) {
            return googleError(400, "unsupported_grant_type", "Invalid grant_type: " + f.get("grant_type"));
        }
        String[] parts = String.valueOf(f.get("assertion")).split("\\.");
        if (parts.length != 3) {
            return googleError(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes)"
                    + " and in a reasonable timeframe.");
        }
        JsonNode header = Json.read(decode(parts[0]));
        JsonNode claims = Json.read(decode(parts[1]));
        String iss = claims.path("iss").asText();
        PublicKey key = googleKeys.get(iss);
        if (key == null || !"RS256".equals(header.path("alg").asText())) {
            return googleError(400, "invalid_grant", "Invalid grant: account not found");
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return googleError(400, "invalid_grant", "Invalid JWT Signature.");
            }
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            return googleError(400, "invalid_grant", "Invalid JWT Signature.");
        }
        long now = clock.instant().getEpochSecond();
        if (claims.path("exp").asLong() < now || claims.path("iat").asLong() > now + 300
                || claims.path("exp").asLong() - claims.path("iat").asLong() > 3600) {
            return googleError(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes)"
                    + " and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
        }
        // Google's documented audience, whatever address the token endpoint was reached at
        if (!claims.path("aud").asText().equals("https://oauth2.googleapis.com/token")) {
            return googleError(400, "invalid_grant", "Invalid JWT: the audience is not the token endpoint.");
        }
        Set<String> scopes = Set.of(claims.path("scope").asText().split(" "));
        if (!delegations.getOrDefault(iss, Set.of()).containsAll(scopes)) {
            return googleError(401, "unauthorized_client", "Client is unauthorized to retrieve access tokens using"
                    + " this method, or client not authorized for any of the scopes requested.");
        }
        String sub = claims.path("sub").asText(null);
        Issued i = issue("google", iss, sub, scopes);
        ObjectNode n = Json.F.objectNode().put("access_token", i.token()).put("expires_in", tokenLifetime.toSeconds())
                .put("token_type", "Bearer");
        return Response.json(200, Json.write(n));
    }

    private static Response googleError(int status, String error, String description) {
        return Response.json(status, Json.write(Json.F.objectNode().put("error", error)
                .put("error_description", description)));
    }

    private Response atlassian(Map<String, String> f) {
        if (refusal != null) {
            return Response.json(401, Json.write(Json.F.objectNode().put("error", refusal[0])
                    .put("error_description", refusal[1])));
        }
        Client c = clients.get(f.get("client_id"));
        if (!"client_credentials".equals(f.get("grant_type")) || c == null || !c.provider().equals("atlassian")
                || !c.secret().equals(f.get("client_secret"))) {
            return Response.json(401, Json.write(Json.F.objectNode().put("error", "access_denied")
                    .put("error_description", "Unauthorized")));
        }
        Issued i = issue("atlassian", c.id(), c.email(), c.scopes());
        ObjectNode n = Json.F.objectNode().put("access_token", i.token()).put("expires_in", tokenLifetime.toSeconds())
                .put("token_type", "Bearer").put("scope", String.join(" ", c.scopes()));
        return Response.json(200, Json.write(n));
    }

    private Issued issue(String provider, String client, String subject, Set<String> scopes) {
        String token = provider + "." + UUID.randomUUID() + UUID.randomUUID();
        Issued i = new Issued(token, provider, client, subject, scopes, clock.instant().plus(tokenLifetime));
        tokens.put(token, i);
        answers.add(provider);
        return i;
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    /** A form body (or, as Atlassian also takes it, a JSON one). */
    private static Map<String, String> form(Request r) {
        Map<String, String> out = new LinkedHashMap<>();
        String text = r.text().strip();
        if (text.startsWith("{")) {
            Json.read(text).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
