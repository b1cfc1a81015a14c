package com.esii.support.hub.mailkit;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;

import org.jboss.logging.Logger;

import com.esii.support.hub.credentials.AccessTokens;
import com.esii.support.hub.credentials.ClientCredentials;
import com.esii.support.hub.credentials.GoogleServiceAccount;
import com.esii.support.hub.credentials.SecretSource;
import com.esii.support.hub.credentials.TokenGrant;
import com.esii.support.hub.credentials.TokenRefused;

import io.quarkus.runtime.StartupEvent;

/**
 * How the hub logs in to the support mailbox (IMAP) and the SMTP server: with their passwords
 * ({@code hub.mail.auth=password}), or with SASL XOAUTH2 and an OAuth2 access token ({@code oauth2}): Microsoft
 * Entra ID's client-credentials grant, or a Google service account's JWT-bearer grant for the mailbox. One token
 * serves IMAP and SMTP; it is renewed before it expires and at once when a server refuses it.
 *
 * <p>A server that refuses a fresh token too (a missing {@code IMAP.AccessAsApp} or mailbox permission, a revoked
 * delegation) is not asked again before a backoff (5 s doubling to 5 minutes; IMAP and SMTP each their own), and
 * neither is the token endpoint (see {@link AccessTokens}). A missing setting or a malformed key file stops the start, naming the setting.
 */
@ApplicationScoped
public class MailLogin {

    private static final Logger LOG = Logger.getLogger(MailLogin.class);
    public static final String EXCHANGE_SCOPE = "https://outlook.office365.com/.default";
    public static final String GOOGLE_SCOPE = "https://mail.google.com/";
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    private static final Duration LONGEST_BACKOFF = Duration.ofMinutes(5);

    private final MailConfig config;
    private final Clock clock;
    private final AccessTokens tokens;
    /** Per server (IMAP, SMTP): it refused a fresh token, and is not asked again before a backoff. */
    private final java.util.Map<String, Refusal> refusals = new java.util.concurrent.ConcurrentHashMap<>();

    private static final class Refusal {
        Instant retryAt;
        Duration backoff;
        String problem;
    }

    public MailLogin(MailConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.tokens = oauth2(this.config) ? new AccessTokens("Mail", grant(this.config, clock), clock) : null;
    }

    /** Makes the bean at the start, so that a missing setting or a malformed key stops it with a clear message. */
    void check(@Observes StartupEvent event) {
        if (tokens != null) {
            LOG.infof("Mail: IMAP and SMTP log in with OAuth2 (XOAUTH2) as %s; tokens from %s", imapUser(),
                    tokens.describe());
        }
    }

    static boolean oauth2(MailConfig config) {
        String auth = config.auth().strip().toLowerCase(java.util.Locale.ROOT);
        if (!auth.equals("password") && !auth.equals("oauth2")) {
            throw new IllegalArgumentException("hub.mail.auth must be password or oauth2, not '" + config.auth() + "'");
        }
        return auth.equals("oauth2");
    }

    private static TokenGrant grant(MailConfig config, Clock clock) {
        MailConfig.OAuth2 o = config.oauth2();
        String user = config.imap().username().filter(s -> !s.isBlank()).orElseThrow(() -> missing(
                "hub.mail.imap.username (HUB_MAIL_IMAP_USERNAME): the mailbox the token is for"));
        if (o.serviceAccountFile().filter(s -> !s.isBlank()).isPresent()) {
            SecretSource key = SecretSource.of(Optional.empty(), o.serviceAccountFile(),
                    "hub.mail.oauth2.service-account-file");
            String scope = o.scope().equals(EXCHANGE_SCOPE) ? GOOGLE_SCOPE : o.scope();
            try {
                return new GoogleServiceAccount(key, user, scope, "hub.mail.oauth2", clock).check();
            } catch (java.io.UncheckedIOException e) {
                throw new IllegalStateException(e.getMessage());
            }
        }
        String tokenUrl = o.tokenUrl().filter(s -> !s.isBlank())
                .or(() -> o.tenant().filter(s -> !s.isBlank())
                        .map(t -> "https://login.microsoftonline.com/" + t.strip() + "/oauth2/v2.0/token"))
                .orElseThrow(() -> missing("hub.mail.oauth2.tenant (HUB_MAIL_OAUTH2_TENANT) or"
                        + " hub.mail.oauth2.token-url, or hub.mail.oauth2.service-account-file for Google"));
        String clientId = o.clientId().filter(s -> !s.isBlank())
                .orElseThrow(() -> missing("hub.mail.oauth2.client-id (HUB_MAIL_OAUTH2_CLIENT_ID)"));
        SecretSource secret = SecretSource.of(o.clientSecret(), o.clientSecretFile(),
                "hub.mail.oauth2.client-secret");
        if (!secret.present()) {
            throw missing("hub.mail.oauth2.client-secret (HUB_MAIL_OAUTH2_CLIENT_SECRET) or"
                    + " hub.mail.oauth2.client-secret-file (HUB_MAIL_OAUTH2_CLIENT_SECRET_FILE)");
        }
        URI url;
        try {
            url = URI.create(tokenUrl.strip());
            url.toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new IllegalStateException("hub.mail.oauth2.token-url is not an address");
        }
        return new ClientCredentials(url, clientId, secret, o.scope(), o.timeout(), "hub.mail.oauth2", clock);
    }

    private static IllegalStateException missing(String what) {
        return new IllegalStateException("hub.mail.auth=oauth2 needs " + what);
    }

    public boolean oauth2() {
        return tokens != null;
    }

    public String imapUser() {
        return config.imap().username().orElse(null);
    }

    /** The SMTP login, if the SMTP server is logged in to at all (with OAuth2: always, the IMAP user by default). */
    public Optional<String> smtpUser() {
        Optional<String> smtp = config.smtp().username().filter(s -> !s.isBlank());
        return tokens != null ? smtp.or(config.imap()::username) : smtp;
    }

    /** What a Jakarta Mail session needs to log in this way ({@code prefix}: "mail.imap", "mail.imaps", "mail.smtp"). */
    public void configure(Properties p, String prefix) {
        if (tokens != null) {
            p.put(prefix + ".auth.mechanisms", "XOAUTH2");
            p.put(prefix + ".auth.login.disable", "true");
            p.put(prefix + ".auth.plain.disable", "true");
            p.put(prefix + ".sasl.enable", "false");
        }
    }

    /** A connection's login: the user and the secret (a password or an access token) go to the server. */
    @FunctionalInterface
    public interface Connect {
        void connect(String user, String secret) throws MessagingException;
    }

    /**
     * Logs in with {@code connect}. With OAuth2: a token the server refuses is dropped and the login tried once more
     * at once with a new one; a new one refused too is a refusal (an {@link AuthenticationFailedException} naming
     * what to check), and no login is tried again before a backoff. No token at all: a
     * {@link AuthenticationFailedException} with the provider's error and description.
     */
    public void login(String server, String user, String password, Connect connect) throws MessagingException {
        if (tokens == null) {
            connect.connect(user, password);
            return;
        }
        Refusal refusal = refusals.computeIfAbsent(server, s -> new Refusal());
        synchronized (refusal) {
            if (refusal.retryAt != null && clock.instant().isBefore(refusal.retryAt)) {
                throw new AuthenticationFailedException(refusal.problem + "; tried again after " + refusal.retryAt);
            }
        }
        String token = token();
        try {
            connect.connect(user, token);
        } catch (AuthenticationFailedException refused) {
            tokens.refused(token);
            String fresh = token();
            try {
                connect.connect(user, fresh);
            } catch (AuthenticationFailedException again) {
                synchronized (refusal) {
                    refusal.backoff = refusal.backoff == null ? FIRST_BACKOFF
                            : (refusal.backoff.multipliedBy(2).compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF
                                    : refusal.backoff.multipliedBy(2));
                    refusal.retryAt = clock.instant().plus(refusal.backoff);
                    String problem = "the " + server + " server refused a new OAuth2 token for " + user + " ("
                            + oneLine(again.getMessage()) + "): check the application's permissions on the mailbox"
                            + " (Microsoft: IMAP.AccessAsApp / SMTP.SendAsApp and the service principal's mailbox"
                            + " permission; Google: the domain-wide delegation of " + GOOGLE_SCOPE + ")";
                    if (!problem.equals(refusal.problem)) {
                        LOG.warn(problem);
                    }
                    refusal.problem = problem;
                    throw new AuthenticationFailedException(problem);
                }
            }
        }
        synchronized (refusal) {
            refusal.retryAt = null;
            refusal.backoff = null;
            refusal.problem = null;
        }
    }

    private String token() throws AuthenticationFailedException {
        try {
            return tokens.current();
        } catch (TokenRefused e) {
            throw new AuthenticationFailedException("no OAuth2 token for the mailbox: " + e.getMessage(), e);
        }
    }

    /**
     * Why logging in cannot work now, if it cannot: the provider's refusal (its error code and description) or the
     * mail server's refusal of a new token. Empty with passwords.
     */
    public Optional<String> problem() {
        if (tokens == null) {
            return Optional.empty();
        }
        Optional<String> provider = tokens.problem().map(e -> "token endpoint: " + e.getMessage());
        if (provider.isPresent()) {
            return provider;
        }
        for (Refusal r : refusals.values()) {
            synchronized (r) {
                if (r.problem != null) {
                    return Optional.of(r.problem);
                }
            }
        }
        return Optional.empty();
    }

    /** Tokens obtained since the start (0 with passwords). */
    public long tokensObtained() {
        return tokens == null ? 0 : tokens.obtained();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }
}
