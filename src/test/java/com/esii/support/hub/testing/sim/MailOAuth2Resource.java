package com.esii.support.hub.testing.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.esii.support.hub.testing.CuttingRelay;
import com.esii.support.hub.testing.GreenMailResource;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserImpl;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The support mailbox as Microsoft 365 or Google Workspace serve it: GreenMail's IMAP and SMTP take only SASL XOAUTH2
 * with a token the {@link Simulator}'s Entra-shaped ({@code provider=microsoft}) or Google-shaped
 * ({@code provider=google}) endpoint gave and that is still valid (no password is accepted, none is configured), behind
 * {@link CuttingRelay}s that end the sessions on demand. Tokens live {@link #LIFETIME}, so a test run sees them renewed
 * several times. The application's secret (Microsoft) or the service account's key (Google) is a file the test can
 * rotate. Starts after {@link GreenMailResource} and {@link SimulatorResource}.
 */
public class MailOAuth2Resource implements QuarkusTestResourceLifecycleManager {

    public static final Duration LIFETIME = Duration.ofSeconds(4);
    public static final String TENANT = "contoso.onmicrosoft.com";
    public static final String CLIENT_ID = "6731de76-14a6-49ae-97bc-6eba6914391e";
    public static final String SMTP_USER = "hub-sender@example.com";
    public static final String GOOGLE_ACCOUNT = "support-hub@hub-test.iam.gserviceaccount.com";
    public static final String EXCHANGE_SCOPE = "https://outlook.office365.com/.default";
    public static final String GOOGLE_SCOPE = "https://mail.google.com/";

    private static volatile CuttingRelay imap;
    private static volatile CuttingRelay smtp;
    private static volatile Path secretFile;
    private static volatile String provider;
    private static volatile java.security.PublicKey googleKey;
    /** The tokens the mail server accepted, per login (IMAP mailbox or SMTP sender), in order. */
    public static final List<String> MAILBOX_LOGINS = new CopyOnWriteArrayList<>();
    public static final List<String> SENDER_LOGINS = new CopyOnWriteArrayList<>();
    public static final List<String> REFUSED_LOGINS = new CopyOnWriteArrayList<>();

    @Override
    public void init(Map<String, String> args) {
        provider = args.getOrDefault("provider", "microsoft");
    }

    @Override
    public int order() {
        return 10; // after GreenMail and the simulator
    }

    public static CuttingRelay imap() {
        return imap;
    }

    public static CuttingRelay smtp() {
        return smtp;
    }

    /** Ends every IMAP and SMTP session at once, as the provider does. */
    public static void cutSessions() {
        imap.cutAll();
        smtp.cutAll();
    }

    @Override
    public Map<String, String> start() {
        Simulator sim = SimulatorResource.simulator();
        sim.tokenLifetime(LIFETIME);
        imap = new CuttingRelay(GreenMailResource.mail().getImap().getPort());
        smtp = new CuttingRelay(GreenMailResource.mail().getSmtp().getPort());
        boolean google = provider.equals("google");
        String scope = google ? GOOGLE_SCOPE : EXCHANGE_SCOPE;
        tokensOnly(GreenMailResource.SUPPORT, scope, google, MAILBOX_LOGINS);
        try {
            secretFile = Files.createTempFile("hub-mail-oauth2-", google ? ".json" : ".secret");
            secretFile.toFile().deleteOnExit();
            Map<String, String> common = Map.of(
                    // what the hub logs about tokens, in full, for the log scan of the tests
                    "quarkus.log.category.\"com.esii.support.hub.credentials\".level", "DEBUG",
                    "hub.mail.auth", "oauth2",
                    "hub.mail.imap.password", "",
                    "hub.mail.imap.port", String.valueOf(imap.port()),
                    "hub.mail.smtp.port", String.valueOf(smtp.port()));
            if (google) {
                rotateGoogleKey();
                return merge(common, Map.of("hub.mail.oauth2.service-account-file", secretFile.toString()));
            }
            tokensOnly(SMTP_USER, scope, false, SENDER_LOGINS);
            rotateEntraSecret("first-secret-" + System.nanoTime());
            return merge(common, Map.of(
                    "hub.mail.smtp.username", SMTP_USER,
                    "hub.mail.oauth2.tenant", TENANT,
                    "hub.mail.oauth2.token-url", sim.entraTokenUrl(TENANT),
                    "hub.mail.oauth2.client-id", CLIENT_ID,
                    "hub.mail.oauth2.client-secret-file", secretFile.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mailbox's user accepts only valid tokens (for Google: given for that mailbox). */
    private static void tokensOnly(String login, String scope, boolean bySubject, List<String> record) {
        GreenMailUser user = GreenMailResource.mail().getUserManager().getUser(login);
        if (user == null) {
            user = GreenMailResource.mail().setUser(login, login, "no password is accepted: tokens only");
        }
        ((UserImpl) user).setTokenValidator(token -> {
            Simulator sim = SimulatorResource.simulator();
            boolean ok = !mailboxDenied && (bySubject ? sim.validToken(token, scope, login)
                    : sim.validToken(token, scope));
            (ok ? record : REFUSED_LOGINS).add(token);
            return ok;
        });
    }

    /** Entra: the application's secret changes there, then in the mounted file (as an operator rotates it). */
    private static volatile boolean mailboxDenied;

    /**
     * The mail server refuses every token, valid or not, as Exchange does when the application lacks
     * {@code IMAP.AccessAsApp} or the mailbox permission (the provider still gives tokens).
     */
    public static void denyMailboxAccess(boolean denied) {
        mailboxDenied = denied;
    }

    /** Every secret the tests gave the provider (the log must hold none of them). */
    public static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    public static void rotateEntraSecret(String secret) throws IOException {
        SECRETS.add(secret);
        SimulatorResource.simulator().entraApp(TENANT, CLIENT_ID, secret);
        Files.writeString(secretFile, secret + "\n", StandardCharsets.UTF_8);
    }

    /** Entra: the application's secret changes there only (the file still holds the old one). */
    public static void changeEntraSecretAtProviderOnly(String secret) {
        SECRETS.add(secret);
        SimulatorResource.simulator().entraApp(TENANT, CLIENT_ID, secret);
    }

    public static void writeSecretFile(String secret) throws IOException {
        Files.writeString(secretFile, secret + "\n", StandardCharsets.UTF_8);
    }

    /** Google: a new key for the service account (the old one is deleted there), written to the key file. */
    public static void rotateGoogleKey() throws IOException {
        KeyPair pair;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            pair = g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        googleKey = pair.getPublic();
        SimulatorResource.simulator().googleServiceAccount(GOOGLE_ACCOUNT, pair.getPublic(), Set.of(GOOGLE_SCOPE));
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> key = Map.of(
                "type", "service_account",
                "project_id", "hub-test",
                "private_key_id", Long.toHexString(System.nanoTime()),
                "private_key", pem,
                "client_email", GOOGLE_ACCOUNT,
                "client_id", "104729301847561209384",
                "token_uri", SimulatorResource.simulator().googleTokenUri());
        Files.writeString(secretFile, new ObjectMapper().writeValueAsString(key), StandardCharsets.UTF_8);
    }

    /** The public half of the service account's current key. */
    public static java.security.PublicKey googlePublicKey() {
        return googleKey;
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }

    @Override
    public void stop() {
        if (imap != null) {
            imap.close();
        }
        if (smtp != null) {
            smtp.close();
        }
    }
}
