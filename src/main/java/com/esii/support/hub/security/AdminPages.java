package com.esii.support.hub.security;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.esii.support.hub.sla.Calendars;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.StaffTexts;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.Router;

/**
 * What every admin page shares, whichever edge serves it: the language (the desk's, {@code hub.desk.language}, unless
 * {@code ?lang=} asks for another), staff's texts in it ({@code i18n/staff_xx.properties}, keys {@code admin.*}), the
 * menu, the same page in the other languages, pages of long lists, and how a page is answered. Each page is a
 * checked template of its own edge inside {@code templates/admin/layout.html}, which takes the {@link AdminFrame}.
 *
 * <p>A page answers the same address as the edge's JSON, for a browser: {@link #PAGE} ranks below JSON, so a
 * client that asks for anything ({@code Accept: *}{@code /*}) or says nothing still gets the JSON, and a browser,
 * which asks for {@code text/html} first, gets the page. The forms post to the JSON API's own actions, which answer
 * a browser ({@link #wantsPage}) with a redirect to the page and the result ({@link #seeOther}); the cross-site guard
 * lets them through because the browser shows they come from the hub's own page ({@link AdminCrossSiteGuard}).
 */
@ApplicationScoped
public class AdminPages {

    /** For {@code @Produces} of a page: below JSON for a client that accepts anything. */
    public static final String PAGE = "text/html;qs=0.5";
    public static final String HTML = "text/html;charset=UTF-8";
    /** Before the login throttle and the cross-site guard, whose answers are no pages. */
    static final int ORDER = -260;
    /** Rows of a long list per page. */
    public static final int PAGE_SIZE = 50;

    private static final Map<Language, String> NAMES = Map.of(Language.FR, "Français", Language.EN, "English",
            Language.ES, "Español");

    /** The menu: a section's id, its address and its text's key. */
    private static final List<String[]> MENU = List.of(
            new String[] { "home", "/admin", "admin.menu.home" },
            new String[] { "dashboard", "/admin/dashboard", "admin.menu.dashboard" },
            new String[] { "tickets", "/admin/tickets", "admin.menu.tickets" },
            new String[] { "outbox", "/admin/outbox", "admin.menu.outbox" },
            new String[] { "verdicts", "/admin/mail/verdicts", "admin.menu.verdicts" },
            new String[] { "suppressions", "/admin/mail/suppressions", "admin.menu.suppressions" },
            new String[] { "oncall", "/admin/oncall", "admin.menu.oncall" },
            new String[] { "calls", "/admin/phone/calls", "admin.menu.calls" },
            new String[] { "field-team", "/admin/field-team", "admin.menu.field-team" });

    private final Language desk;
    private final ZoneId zone;

    public AdminPages(StaffTexts staff, Calendars calendars) {
        this.desk = staff.language();
        this.zone = calendars.desk().zone();
    }

    /**
     * The frame of a page of {@code section} (a menu id), for the request {@code uri}: in the language {@code lang}
     * asks for (fr, en, es), else the desk's.
     */
    public AdminFrame frame(String section, String lang, UriInfo uri) {
        Language asked = Language.fromCode(lang).orElse(null);
        Language l = asked == null ? desk : asked;
        List<AdminFrame.Link> menu = new ArrayList<>();
        for (String[] m : MENU) {
            menu.add(new AdminFrame.Link(m[0], AdminFrame.href(asked, m[1]), StaffTexts.texts(l).get(m[2]),
                    m[0].equals(section)));
        }
        List<AdminFrame.Link> languages = new ArrayList<>();
        for (Language other : Language.values()) {
            languages.add(new AdminFrame.Link(other.code(), withQuery(uri, "lang", other.code()), NAMES.get(other),
                    other == l));
        }
        return new AdminFrame(section, l, asked != null, zone, List.copyOf(menu), List.copyOf(languages));
    }

    /**
     * The page {@code number} (from 1) of a list, knowing whether there are rows after it: the addresses of the pages
     * before and after are the request's with {@code page} changed.
     */
    public static AdminFrame.Pager pager(UriInfo uri, int number, boolean more) {
        return new AdminFrame.Pager(number, number > 1 ? withQuery(uri, "page", String.valueOf(number - 1)) : null,
                more ? withQuery(uri, "page", String.valueOf(number + 1)) : null);
    }

    /** The page number asked ({@code ?page=}, from 1; anything else is the first). */
    public static int pageNumber(String page) {
        try {
            return page == null ? 1 : Math.max(1, Math.min(100_000, Integer.parseInt(page.strip())));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The request's address (path and query) with one query parameter set, the others kept in their order. */
    static String withQuery(UriInfo uri, String name, String value) {
        StringBuilder q = new StringBuilder();
        uri.getQueryParameters().forEach((k, values) -> {
            if (!k.equals(name)) {
                for (String v : values) {
                    q.append(q.length() == 0 ? "" : "&").append(encode(k)).append('=').append(encode(v));
                }
            }
        });
        q.append(q.length() == 0 ? "" : "&").append(encode(name)).append('=').append(encode(value));
        return uri.getRequestUri().getRawPath() + "?" + q;
    }

    /** A value put in a query string. */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A value put in a path segment (an address: {@code a+b@example.com}). */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Whether the request is a browser's (a form of the admin pages): it asks for {@code text/html} before JSON and
     * before anything at all. {@code curl} ({@code *}{@code /*}) and JSON clients are not.
     */
    public static boolean wantsPage(HttpHeaders headers) {
        for (MediaType m : headers.getAcceptableMediaTypes()) {
            if (m.isWildcardType() || m.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (m.getType().equals("text") && m.getSubtype().equals("html")) {
                return true;
            }
        }
        return false;
    }

    /** A page: never cached (it shows the state of now). */
    public static Response page(int status, TemplateInstance page) {
        return Response.status(status).type(HTML).header("Cache-Control", "no-store").entity(page.render()).build();
    }

    /**
     * The admin pages' referrer policy is {@code same-origin}, in place of the hub's {@code no-referrer}: with
     * {@code no-referrer} a browser sends {@code Origin: null} with a form's POST (as from another site's sandboxed
     * page), and the cross-site guard must see the page's own origin. A referrer still never leaves the hub. Set when
     * the headers are written, over the one every answer gets ({@code quarkus.http.header}), for the pages (HTML)
     * under {@code /admin} only.
     */
    void install(@Observes Router router) {
        router.route().order(ORDER).handler(rc -> {
            if (AdminCrossSiteGuard.admin(rc.normalizedPath())) {
                rc.addHeadersEndHandler(v -> {
                    String type = rc.response().headers().get("Content-Type");
                    if (type != null && type.startsWith("text/html")) {
                        rc.response().headers().set("Referrer-Policy", "same-origin");
                    }
                });
            }
            rc.next();
        });
    }

    public static Response page(TemplateInstance page) {
        return page(200, page);
    }

    /** After a form's action: on to the page that shows its result (303: the browser asks for it with a GET). */
    public static Response seeOther(String location) {
        return Response.seeOther(URI.create(location)).header("Cache-Control", "no-store").build();
    }

    /** A page that says what was asked for is not there (404), with the way back. */
    public static Response missing(AdminFrame frame, String title, String text, String back) {
        return page(404, Templates.missing(frame, title, text, back));
    }

    /** {@code templates/admin/missing.html}. */
    @CheckedTemplate(basePath = "admin")
    static final class Templates {

        private Templates() {
        }

        static native TemplateInstance missing(AdminFrame frame, String title, String text, String back);
    }
}
