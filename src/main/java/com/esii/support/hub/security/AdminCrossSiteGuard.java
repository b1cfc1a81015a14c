package com.esii.support.hub.security;

import java.net.URI;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.esii.support.hub.ticket.TicketConfig;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses cross-site requests to the admin API's state-changing endpoints (POST, PUT, PATCH, DELETE under
 * {@code /admin}), whatever the endpoint: a browser that holds the admin's HTTP Basic login sends it along with a
 * form another site makes it post. Such a request must be JSON ({@code Content-Type: application/json}) or carry the
 * header {@code X-Requested-By} (any value): a browser sends neither cross-site without a CORS preflight, which the
 * hub does not grant; or it must be a form of the hub's own admin pages ({@link AdminPages}), which the browser shows
 * by the page's {@code Origin} (and {@code Sec-Fetch-Site: same-origin}, when it sends that header). And whatever it
 * carries, a request a browser marks as coming from another site ({@code Sec-Fetch-Site} other than
 * {@code same-origin} or {@code none}, or an {@code Origin} that is neither the hub's {@code Host} nor
 * {@code hub.public-url}) is refused. 403, logged; nothing is done. HTTP Basic has no session to hang a token on,
 * and a browser sends the login along with any site's form: the origin the browser states is what tells the hub's
 * own forms apart.
 */
@ApplicationScoped
public class AdminCrossSiteGuard {

    private static final Logger LOG = Logger.getLogger(AdminCrossSiteGuard.class);
    /** After the failed-login throttle, before Quarkus authenticates (-200). */
    static final int ORDER = -240;
    public static final String HEADER = "X-Requested-By";

    private final String publicOrigin;

    public AdminCrossSiteGuard(TicketConfig config) {
        this.publicOrigin = origin(config.publicUrl());
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::filter);
    }

    void filter(RoutingContext rc) {
        HttpMethod method = rc.request().method();
        if (!stateChanging(method) || !admin(rc.normalizedPath())) {
            rc.next();
            return;
        }
        String refusal = refusal(rc.request().headers(), rc.request().getHeader("Host"), publicOrigin);
        if (refusal == null) {
            rc.next();
            return;
        }
        LOG.warnf("Admin request refused as cross-site: %s %s from %s (%s)", method, rc.normalizedPath(),
                AdminLoginThrottle.client(rc), refusal);
        rc.response().setStatusCode(403)
                .putHeader("Content-Type", "application/problem+json")
                .putHeader("Cache-Control", "no-store")
                .end("{\"type\":\"urn:support-hub:problem:cross-site-request\",\"title\":\"Cross-site request refused\","
                        + "\"status\":403,\"detail\":\"A request that changes something in the admin API must be JSON"
                        + " (Content-Type: application/json) or carry the header " + HEADER + ", and must not come"
                        + " from another site.\"}");
    }

    static boolean stateChanging(HttpMethod m) {
        return HttpMethod.POST.equals(m) || HttpMethod.PUT.equals(m) || HttpMethod.PATCH.equals(m)
                || HttpMethod.DELETE.equals(m);
    }

    static boolean admin(String path) {
        if (path == null) {
            return false;
        }
        String p = path.toLowerCase(Locale.ROOT);
        return p.equals("/admin") || p.startsWith("/admin/");
    }

    /** Why a state-changing admin request is refused, or null when it is not. */
    static String refusal(MultiMap headers, String host, String publicOrigin) {
        String site = headers.get("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return "Sec-Fetch-Site: " + cut(site);
        }
        String origin = headers.get("Origin");
        if (origin != null && !sameOrigin(origin, host, publicOrigin)) {
            return "Origin: " + cut(origin);
        }
        String requestedBy = headers.get(HEADER);
        if (!json(headers.get("Content-Type")) && (requestedBy == null || requestedBy.isBlank())
                && !ownPage(site, origin)) {
            return "neither JSON nor " + HEADER;
        }
        return null;
    }

    /**
     * A form of the hub's own admin pages, as the browser shows it: it names the page's origin (checked above to be
     * the hub's) and, when it says where the request comes from, says the same origin. A browser sends both with a
     * form's POST (the admin pages ask for it with {@code Referrer-Policy: same-origin}) and never lets a page set
     * them; another site's form says {@code cross-site} and its own origin, and a client without them (curl, a script)
     * still needs JSON or the header.
     */
    static boolean ownPage(String site, String origin) {
        return origin != null && (site == null || site.equalsIgnoreCase("same-origin"));
    }

    static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.equalsIgnoreCase("application/json");
    }

    /** The Origin names the host the request was sent to, or the hub's public address. */
    static boolean sameOrigin(String origin, String host, String publicOrigin) {
        String o = origin(origin);
        if (o == null) {
            return false; // "null" (a sandboxed page, a redirect across sites) or garbage
        }
        if (o.equalsIgnoreCase(publicOrigin)) {
            return true;
        }
        String authority = o.substring(o.indexOf("://") + 3);
        return host != null && authority.equalsIgnoreCase(host.strip());
    }

    /** {@code scheme://host[:port]} of a URL, or null. */
    static String origin(String url) {
        try {
            URI u = URI.create(url.strip());
            if (u.getScheme() == null || u.getHost() == null) {
                return null;
            }
            return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT)
                    + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String cut(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
