package com.esii.support.hub.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * One client's access token, kept in memory only: obtained from its {@link TokenGrant} on first use, renewed before it
 * expires (when a quarter of its life remains, or half of it up to five minutes, whichever is more: a 60-minute
 * token is renewed after 45 minutes, a 10-minute one after 5, a 40-second one after 20 s), and at once when a server refuses it ({@link #refused}). When the
 * provider says no or cannot be reached, the grant is not asked again before a backoff (5 s doubling to 5 minutes)
 * unless the secret or key file changed meanwhile; a token still valid is used in between. Never logged.
 */
public final class AccessTokens {

    private static final Logger LOG = Logger.getLogger(AccessTokens.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    static final Duration LONGEST_BACKOFF = Duration.ofMinutes(5);

    private final String name;
    private final TokenGrant grant;
    private final Clock clock;
    private AccessToken token;
    private Instant renewAt;
    private TokenRefused problem;
    private Instant retryAt;
    private Duration backoff;
    private String failedVersion;
    private long obtained;

    /** {@code name}: whose tokens these are, for the log ("mail", "Jira"). */
    public AccessTokens(String name, TokenGrant grant, Clock clock) {
        this.name = name;
        this.grant = grant;
        this.clock = clock;
    }

    /** A token valid now: the one kept, or a new one. {@link TokenRefused} when there is none to give. */
    public synchronized String current() {
        Instant now = clock.instant();
        if (token != null && now.isBefore(renewAt)) {
            return token.value();
        }
        if (problem != null && now.isBefore(retryAt) && grant.version().equals(failedVersion)) {
            if (token != null && now.isBefore(token.expiresAt())) {
                return token.value();
            }
            throw problem;
        }
        try {
            AccessToken t = grant.request();
            if (problem != null) {
                LOG.infof("%s OAuth2: a token was obtained again (%s)", name, grant.describe());
            }
            token = t;
            renewAt = renewal(t);
            problem = null;
            backoff = null;
            obtained++;
            LOG.debugf("%s OAuth2: new token, valid until %s, renewed from %s", name, t.expiresAt(), renewAt);
            return t.value();
        } catch (TokenRefused e) {
            boolean news = problem == null || !problem.getMessage().equals(e.getMessage());
            backoff = backoff == null ? FIRST_BACKOFF : min(backoff.multipliedBy(2), LONGEST_BACKOFF);
            retryAt = now.plus(backoff);
            failedVersion = grant.version();
            problem = e;
            if (news) {
                LOG.warnf("%s OAuth2: no token from %s: %s; asked again in %d s or when the secret changes", name,
                        grant.describe(), e.getMessage(), backoff.toSeconds());
            }
            if (token != null && now.isBefore(token.expiresAt())) {
                return token.value();
            }
            throw e;
        }
    }

    /**
     * A server refused {@code value}: it is not used again, and the next {@link #current()} asks for a new one at
     * once. A token already replaced is left alone (its successor may be fine).
     */
    public synchronized void refused(String value) {
        if (token != null && token.value().equals(value)) {
            token = null;
            if (problem != null) {
                retryAt = clock.instant();
            }
        }
    }

    /** The provider's last refusal (or unreachability), until a token is obtained again. */
    public synchronized Optional<TokenRefused> problem() {
        return Optional.ofNullable(problem);
    }

    /** Tokens obtained since the start. */
    public synchronized long obtained() {
        return obtained;
    }

    public String describe() {
        return grant.describe();
    }

    static Instant renewal(AccessToken t) {
        Duration life = Duration.between(t.issuedAt(), t.expiresAt());
        if (life.isNegative() || life.isZero()) {
            return t.issuedAt();
        }
        Duration half = life.dividedBy(2);
        Duration margin = max(life.dividedBy(4), min(Duration.ofMinutes(5), half));
        return t.expiresAt().minus(margin);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
