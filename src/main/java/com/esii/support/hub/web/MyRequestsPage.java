package com.esii.support.hub.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.ticket.CustomerTexts;
import com.esii.support.hub.ticket.Dates;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.RequestLists;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketStatus;
import com.esii.support.hub.ticket.TicketValidator;

import io.quarkus.qute.TemplateData;

/**
 * "My requests" (issue 26.10): a customer gives their address and receives, at that address only, a link to the
 * list of its requests, open and closed, newest first; the answer is the same whether or not the address has any,
 * and the mails an address may be sent this way are counted with "lost your link?" ({@link LinkRequestLimit}: 3 at
 * once, then one a minute, across replicas). The link's token is exchanged, as a request's link is, for a session
 * cookie valid on {@code /my-requests} only (HttpOnly, SameSite=Strict), and the browser goes on to the list without
 * the token; nothing of the customer's is in an address but the token.
 *
 * <p>From the list, a request opens without asking again: the list's session stands for the address, so it opens a
 * session on the request's page for a request of that address (never another's), as following the request's own link
 * would. No new link is made for it: a request's links live for months ({@code hub.status-page.link-retention}), a
 * page session for hours, and the list's link only for {@code hub.status-page.list-link-ttl}.
 */
@Path("/my-requests")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class MyRequestsPage {

    /** The list's session cookie; its path is the list's pages. */
    static final String SESSION_COOKIE = "hub_requests";
    static final String PATH = "/my-requests";

    /** A request as the list shows it. */
    @TemplateData
    public record Row(String number, String href, String subject, String state, String created, String createdIso) {
    }

    private final RequestLists lists;
    private final TicketIntake intake;
    private final CustomerTexts i18n;
    private final TicketConfig config;
    private final WebConfig webConfig;
    private final LinkRequestLimit perAddress;

    public MyRequestsPage(RequestLists lists, TicketIntake intake, CustomerTexts i18n, TicketConfig config,
            WebConfig webConfig, LinkRequestLimit perAddress) {
        this.lists = lists;
        this.intake = intake;
        this.i18n = i18n;
        this.config = config;
        this.webConfig = webConfig;
        this.perAddress = perAddress;
    }

    /** The form: the address to send the list's link to. */
    @GET
    @Operation(hidden = true)
    public Response form(@RestQuery String lang, @RestCookie("lang") String cookie,
            @RestHeader(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        Language l = PageLanguage.of(lang, cookie, acceptLanguage, config);
        return noStore(Response.ok(Templates.myRequests(i18n.texts(l), l.code(), "", "", false, false))).build();
    }

    /** Mails the link to the address's list, to that address only; the answer never tells whether it has requests. */
    @POST
    @Consumes({ MediaType.MULTIPART_FORM_DATA, MediaType.APPLICATION_FORM_URLENCODED })
    @Operation(hidden = true)
    public Response send(@RestForm String email, @RestForm String lang) {
        Language l = Language.fromCode(lang).orElse(config.language());
        String address = email == null ? "" : email.strip();
        if (!TicketValidator.isValidEmail(address)) {
            return noStore(Response.status(400).entity(Templates.myRequests(i18n.texts(l), l.code(), address,
                    i18n.text(l, "err_email"), false, false))).build();
        }
        if (perAddress.acquire(address)) {
            lists.mailLink(address, l, webConfig.statusPage().listLinkTtl());
        }
        return noStore(Response.ok(Templates.myRequests(i18n.texts(l), l.code(), address, "", true, false))).build();
    }

    /**
     * With the link's token: a session on the list, then on to the list without the token (by a page that refreshes
     * itself, so that the SameSite=Strict cookie goes with it even from a webmail). Without: the list, for the
     * browser holding a session. An unknown, altered or expired token or session: the form again, saying so.
     */
    @GET
    @Path("list")
    @Operation(hidden = true)
    public Response list(@RestQuery String token, @RestQuery String lang, @RestCookie(SESSION_COOKIE) String session,
            @RestHeader(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage, @Context UriInfo uri) {
        Optional<Language> asked = Language.fromCode(lang);
        if (token != null) {
            Optional<RequestLists.Access> a = lists.withLink(token);
            if (a.isEmpty()) {
                return invalid(PageLanguage.of(lang, null, acceptLanguage, config));
            }
            Language l = asked.orElse(a.get().language());
            String target = PATH + "/list" + (asked.isPresent() ? "?lang=" + l.code() : "");
            String opened = lists.openSession(a.get(), webConfig.statusPage().sessionTtl());
            return noStore(Response.ok(Templates.opening(i18n.texts(l), l.code(), target)))
                    .cookie(RequestPage.sessionCookie(SESSION_COOKIE, opened, PATH, uri, config)).build();
        }
        Optional<RequestLists.Access> a = lists.withSession(session);
        if (a.isEmpty()) {
            return invalid(PageLanguage.of(lang, null, acceptLanguage, config));
        }
        Language l = asked.orElse(a.get().language());
        Map<String, String> m = i18n.texts(l);
        List<Ticket> tickets = lists.requests(a.get());
        List<Row> rows = tickets.stream().map(t -> new Row(t.number(), PATH + "/list/" + t.number(), t.subject(),
                state(t.status(), m), Dates.written(t.createdAt(), l), Dates.iso(t.createdAt()))).toList();
        String more = tickets.size() < RequestLists.MAX ? ""
                : m.get("my_requests_more").replace("{max}", String.valueOf(RequestLists.MAX));
        return noStore(Response.ok(Templates.myRequestsList(m, l.code(),
                m.get("my_requests_of").replace("{address}", a.get().address()), rows, more))).build();
    }

    /**
     * A request of the list: with the list's session and a request of its address, a session on the request's page
     * and on to it; otherwise the form again, saying the list is not open.
     */
    @GET
    @Path("list/{number}")
    @Operation(hidden = true)
    public Response request(@RestPath String number, @RestQuery String lang,
            @RestCookie(SESSION_COOKIE) String session, @RestHeader(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage,
            @Context UriInfo uri) {
        Optional<Ticket> t = lists.withSession(session).flatMap(a -> lists.request(a, number));
        if (t.isEmpty()) {
            return invalid(PageLanguage.of(lang, null, acceptLanguage, config));
        }
        Ticket ticket = t.get();
        Optional<Language> asked = Language.fromCode(lang);
        Language l = asked.orElse(ticket.language());
        String target = RequestPage.pagePath(ticket.number()) + (asked.isPresent() ? "?lang=" + l.code() : "");
        String opened = intake.openSession(ticket, webConfig.statusPage().sessionTtl());
        return noStore(Response.ok(Templates.opening(i18n.texts(l), l.code(), target)))
                .cookie(RequestPage.sessionCookie(RequestPage.SESSION_COOKIE, opened,
                        RequestPage.pagePath(ticket.number()), uri, config))
                .build();
    }

    private Response invalid(Language l) {
        return noStore(Response.status(404).entity(Templates.myRequests(i18n.texts(l), l.code(), "", "", false, true)))
                .build();
    }

    private static String state(TicketStatus s, Map<String, String> m) {
        return switch (s) {
            case NEW -> m.get("status_new");
            case IN_PROGRESS -> m.get("status_in_progress");
            case WAITING_ON_CUSTOMER -> m.get("status_waiting_on_customer");
            case RESOLVED -> m.get("status_resolved");
            case CLOSED -> m.get("status_closed");
        };
    }

    /** No copy kept by the browser or on the way (Referrer-Policy: no-referrer is on every response already). */
    private static Response.ResponseBuilder noStore(Response.ResponseBuilder r) {
        return r.header("Cache-Control", "no-store");
    }


}
