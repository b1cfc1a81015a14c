package com.esii.support.hub.web;

import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.esii.support.hub.ticket.CustomerTexts;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.util.DatabaseAway;
import com.esii.support.hub.util.DatabaseException;

/**
 * The hub's pages and endpoints served by Quarkus REST (the request pages, "lost your link?", the admin and on-call
 * APIs, the dashboard) while the database is away (restarted, failed over): 503 with {@code Retry-After}, a short
 * page in the visitor's language for a browser, an {@code application/problem+json} otherwise; never a 500 or a
 * stack trace. The form answers with itself as typed ({@link WebForm}); the ticket API's routes with a problem
 * ({@code api-errors}).
 */
public class DatabaseAwayPages {

    private static final Logger LOG = Logger.getLogger(DatabaseAwayPages.class);

    private final CustomerTexts i18n;
    private final TicketConfig config;

    public DatabaseAwayPages(CustomerTexts i18n, TicketConfig config) {
        this.i18n = i18n;
        this.config = config;
    }

    @ServerExceptionMapper
    public Response away(DatabaseException e, HttpHeaders headers) {
        if (!DatabaseAway.isCause(e)) {
            // what the database refused: an internal error, as without this mapper
            LOG.errorf(e, "Request failed: %s", e.getMessage());
            return Response.serverError().build();
        }
        LOG.warnf("Answered 503: the database is unreachable (%s)", e.getMessage());
        Response.ResponseBuilder r = Response.status(503)
                .header("Retry-After", String.valueOf(DatabaseAway.RETRY_AFTER_SECONDS))
                .header("Cache-Control", "no-store");
        if (wantsPage(headers.getAcceptableMediaTypes())) {
            Language l = Language.fromCode(cookie(headers, "lang"))
                    .or(() -> Language.fromAcceptLanguage(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE)))
                    .or(() -> Language.fromCode(config.defaultLanguage())).orElse(Language.FR);
            return r.type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.unavailable(i18n.texts(l), l.code()).render()).build();
        }
        return r.type("application/problem+json")
                .entity("{\"type\":\"urn:support-hub:problem:unavailable\",\"title\":\"Service briefly unavailable\","
                        + "\"status\":503,\"detail\":\"The database cannot be reached; nothing was changed. Please try"
                        + " again in a few moments.\"}")
                .build();
    }

    private static boolean wantsPage(List<MediaType> accepted) {
        return accepted.stream().anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
    }

    private static String cookie(HttpHeaders headers, String name) {
        var c = headers.getCookies().get(name);
        return c == null ? null : c.getValue();
    }
}
