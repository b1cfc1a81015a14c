package com.esii.support.hub.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Throttles failed admin logins per client address: {@code hub.admin.failed-logins} failures at once, then one more
 * attempt per {@code failed-login-window / failed-logins}. While a client has none left, every request of it that
 * carries credentials (HTTP Basic, the admin's) is answered 429 with {@code Retry-After} before its password is
 * even checked, the right password included. The client address is the connection's, or the forwarded one when
 * {@code quarkus.http.proxy.*} trusts the proxy in front (so a client cannot escape by sending X-Forwarded-For
 * itself). Per replica, like the public endpoints' throttling.
 */
@ApplicationScoped
public class AdminLoginThrottle {

    private static final Logger LOG = Logger.getLogger(AdminLoginThrottle.class);
    /** Quarkus authenticates in a route filter of order -200 (its AUTHENTICATION priority): this comes first. */
    static final int ORDER = -250;

    private final RateLimiter failures;
    private final Counter failed;
    private final Counter refused;

    public AdminLoginThrottle(SecurityConfig config, MeterRegistry metrics) {
        this.failures = RateLimiter.perPeriod(config.admin().failedLogins(), config.admin().failedLoginWindow(),
                System::nanoTime);
        this.failed = metrics.counter("hub.admin.logins.failed");
        this.refused = metrics.counter("hub.admin.logins.throttled");
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::filter);
    }

    void filter(RoutingContext rc) {
        String authorization = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            rc.next();
            return;
        }
        long wait = failures.waitFor(client(rc));
        if (wait == 0) {
            rc.next();
            return;
        }
        refused.increment();
        rc.response().setStatusCode(429)
                .putHeader("Retry-After", String.valueOf(wait))
                .putHeader("Content-Type", "application/problem+json")
                .putHeader("Cache-Control", "no-store")
                .end("{\"type\":\"urn:support-hub:problem:too-many-failed-logins\",\"title\":\"Too many failed logins\","
                        + "\"status\":429,\"detail\":\"Too many failed logins from this address. Please wait " + wait
                        + " s before trying again.\"}");
    }

    /** A login of this request's client failed (called by {@link AdminIdentityProvider}). */
    void failed(RoutingContext rc) {
        String client = client(rc);
        failed.increment();
        long wait = failures.acquire(client);
        long next = failures.waitFor(client);
        if (wait == 0 && next == 0) {
            LOG.warnf("Admin login failed from %s", client);
        } else {
            LOG.warnf("Admin login failed from %s: too many failed logins, its requests with credentials are refused"
                    + " (429) for %d s", client, Math.max(wait, next));
        }
    }

    static String client(RoutingContext rc) {
        if (rc == null || rc.request().remoteAddress() == null) {
            return "unknown";
        }
        return rc.request().remoteAddress().hostAddress();
    }
}
