package com.esii.support.hub.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.MultiMap;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A form sent with files larger than a request may be ({@code quarkus.http.limits.max-body-size}) is answered with
 * its page, not with the empty 413 Quarkus gives any such request: the web form or the request page again, status
 * 413, with the limit named in the page's language, what was typed, and the files named to be chosen again (a
 * browser cannot be given them back). A browser sends the form's text fields before its files, so the body is read:
 * the fields kept, the files' bytes thrown away as they come, none written anywhere; then the page is answered once
 * the browser has sent it all (a browser still sending when the connection closes shows its own error page instead).
 * A body larger than {@code hub.web.too-large-read-limit} gets the bare 413 at once, as does one that is not a
 * multipart form (no browser's form with files) or that gives no length.
 */
@ApplicationScoped
public class TooLargeForms {

    private static final Logger LOG = Logger.getLogger(TooLargeForms.class);

    /** After the per-client throttling (-100), before Quarkus's own check of the body's size (-2). */
    static final int ORDER = -50;

    private static final Pattern REPLY = Pattern.compile("/status/([^/]+)/reply");

    private final WebForm form;
    private final RequestPage page;
    private final long maxRequestBytes;
    private final long readLimit;

    public TooLargeForms(WebForm form, RequestPage page, WebConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.form = form;
        this.page = page;
        this.maxRequestBytes = maxBodySize.asLongValue();
        this.readLimit = config.web().tooLargeReadLimit().asLongValue();
    }

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, "/").order(ORDER).handler(this::handle);
        router.routeWithRegex(HttpMethod.POST, REPLY.pattern()).order(ORDER).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        long length = length(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (length <= maxRequestBytes || length > readLimit || type == null
                || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            rc.next();
            return;
        }
        List<String> files = new ArrayList<>();
        request.setExpectMultipart(true);
        request.uploadHandler(upload -> {
            if (upload.filename() != null && !upload.filename().isBlank()) {
                files.add(upload.filename());
            }
            upload.handler(thrownAway -> {
            });
            upload.exceptionHandler(e -> {
            });
        });
        request.exceptionHandler(e -> {
            // a malformed body, or a field larger than quarkus.http.limits.max-form-attribute-size
            LOG.debugf("Form too large on %s, unreadable: %s", rc.normalizedPath(), e.toString());
            if (!rc.response().ended() && !rc.response().headWritten()) {
                rc.response().setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close").end();
            }
        });
        request.endHandler(end -> {
            Map<String, String> typed = new LinkedHashMap<>();
            MultiMap attributes = request.formAttributes();
            for (String name : attributes.names()) {
                typed.put(name, attributes.get(name));
            }
            rc.vertx().executeBlocking(() -> answer(rc, typed, files), false).onComplete(done -> {
                if (done.failed()) {
                    rc.fail(done.cause());
                    return;
                }
                Answer a = done.result();
                rc.response().setStatusCode(a.status())
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                        .end(a.html());
            });
        });
        LOG.infof("Form of %d bytes on %s, more than %d: its files are not kept, the page answers", length,
                rc.normalizedPath(), maxRequestBytes);
        request.resume();
    }

    /** The page to answer with. */
    record Answer(int status, String html) {
    }

    private Answer answer(RoutingContext rc, Map<String, String> typed, List<String> files) {
        HttpServerRequest request = rc.request();
        Matcher reply = REPLY.matcher(rc.normalizedPath());
        Response r = reply.matches()
                ? page.tooLarge(reply.group(1), typed.get("message"), typed.get("lang"), files, maxRequestBytes,
                        cookie(request, RequestPage.SESSION_COOKIE))
                : form.tooLarge(typed, files, maxRequestBytes, cookie(request, "lang"),
                        request.getHeader(HttpHeaders.ACCEPT_LANGUAGE));
        return new Answer(r.getStatus(), ((TemplateInstance) r.getEntity()).render());
    }

    private static String cookie(HttpServerRequest request, String name) {
        Cookie c = request.getCookie(name);
        return c == null ? null : c.getValue();
    }

    private static long length(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
