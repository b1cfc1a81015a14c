package com.esii.support.hub.security;

import jakarta.enterprise.context.ApplicationScoped;

import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Throttles the public form and API per client address (429 with Retry-After). The client address is the
 * connection's, or the forwarded one when {@code quarkus.http.proxy.*} trusts the proxy in front.
 */
@ApplicationScoped
public class PublicEndpointGuard {

    private final RateLimiter limiter;
    private final boolean enabled;

    public PublicEndpointGuard(SecurityConfig config) {
        this.limiter = new RateLimiter(config.rateLimit().perMinute(), config.rateLimit().burst(), System::nanoTime);
        this.enabled = config.rateLimit().enabled();
    }

    void install(@Observes Router router) {
        // Before every other route: Quarkus REST (the form) and Camel platform-http (the API) alike.
        router.route().order(-100).handler(this::filter);
    }

    void filter(RoutingContext rc) {
        if (!enabled || !limited(rc.request().method(), rc.normalizedPath())) {
            rc.next();
            return;
        }
        String client = rc.request().remoteAddress() == null ? "unknown" : rc.request().remoteAddress().hostAddress();
        long wait = limiter.acquire(client);
        if (wait == 0) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(429)
                .putHeader("Retry-After", String.valueOf(Math.max(1, wait)))
                .putHeader("Content-Type", "application/problem+json")
                .putHeader("Cache-Control", "no-store")
                .end("{\"type\":\"urn:support-hub:problem:too-many-requests\",\"title\":\"Too many requests\","
                        + "\"status\":429,\"detail\":\"Please wait " + Math.max(1, wait) + " s before trying again.\"}");
    }

    /**
     * Requests that open tickets, add to them or look them up, requests for lost links or for the list of one's
     * requests, and that list: the ones a bot or a token-guesser would flood.
     */
    static boolean limited(HttpMethod method, String path) {
        if (path == null) {
            return false;
        }
        if (HttpMethod.POST.equals(method)) {
            return path.equals("/") || path.equals("/api/tickets") || path.equals("/lost-link")
                    || path.equals("/my-requests") || path.startsWith("/status/");
        }
        if (HttpMethod.GET.equals(method)) {
            return path.startsWith("/api/tickets/") || path.startsWith("/status/") || path.startsWith("/my-requests/");
        }
        return false;
    }
}
