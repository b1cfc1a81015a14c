package com.esii.support.hub.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.HttpMethod;

/**
 * Which requests the per-client throttling counts: those that open, add to or look up requests, ask for links, or
 * try a token (a request page's, a list of requests'); not the pages that only show a form.
 */
class PublicEndpointGuardTest {

    @Test
    void theRequestsABotOrATokenGuesserWouldFloodAreCounted() {
        for (String path : new String[] { "/", "/api/tickets", "/lost-link", "/my-requests",
                "/status/SUP-2026-000001/reply" }) {
            assertTrue(PublicEndpointGuard.limited(HttpMethod.POST, path), "POST " + path);
        }
        for (String path : new String[] { "/api/tickets/SUP-2026-000001", "/status/SUP-2026-000001",
                "/my-requests/list", "/my-requests/list/SUP-2026-000001" }) {
            assertTrue(PublicEndpointGuard.limited(HttpMethod.GET, path), "GET " + path);
        }
        for (String path : new String[] { "/", "/lost-link", "/my-requests", "/assets/hub.css", "/q/health" }) {
            assertFalse(PublicEndpointGuard.limited(HttpMethod.GET, path), "GET " + path);
        }
    }
}
