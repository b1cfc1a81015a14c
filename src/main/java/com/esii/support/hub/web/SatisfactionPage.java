package com.esii.support.hub.web;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.ticket.CustomerTexts;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.Satisfaction;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.ticket.TicketIntake;

import io.quarkus.qute.TemplateInstance;

/**
 * "How did we do?" ({@link Satisfaction}). The closing mail's links ({@code /status/{number}/rate/{rating}?token=…})
 * record nothing: mail scanners and link previewers follow links. Like the request page's link, one is exchanged for
 * the session cookie of the ticket's page (SameSite=Strict), and the browser goes on to the rating page with that
 * rating chosen; the customer confirms with one button, a POST that carries the session cookie, which a form of
 * another site cannot send (the hub's other forms are guarded the same way). The request page of a resolved ticket
 * offers the same form. An answer is recorded once: a second is refused (409), the first stands.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class SatisfactionPage {

    private final Satisfaction satisfaction;
    private final TicketIntake intake;
    private final CustomerTexts i18n;
    private final TicketConfig config;
    private final WebConfig webConfig;

    public SatisfactionPage(Satisfaction satisfaction, TicketIntake intake, CustomerTexts i18n, TicketConfig config,
            WebConfig webConfig) {
        this.satisfaction = satisfaction;
        this.intake = intake;
        this.i18n = i18n;
        this.config = config;
        this.webConfig = webConfig;
    }

    /**
     * A rating link of the closing mail: a session on the ticket, then on to the rating page with the rating chosen
     * (none for a rating out of 1 to 5). A token that is not one of the ticket's rating links, or has expired, gets
     * the same "not found" as a wrong request link.
     */
    @GET
    @Path("status/{number}/rate/{rating}")
    @Operation(hidden = true)
    public Response link(@RestPath String number, @RestPath String rating, @RestQuery String token,
            @RestQuery String lang, @Context UriInfo uri) {
        Optional<Ticket> t = satisfaction.findWithLink(number, token);
        if (t.isEmpty()) {
            return notFound(Language.fromCode(lang).orElse(config.language()));
        }
        Ticket ticket = t.get();
        Language l = Language.fromCode(lang).orElse(ticket.language());
        Integer chosen = rating(rating);
        String target = RequestPage.pagePath(ticket.number()) + "/satisfaction"
                + query(chosen, Language.fromCode(lang).isPresent() ? l : null);
        return noStore(Response.ok(Templates.opening(i18n.texts(l), l.code(), target)))
                .cookie(RequestPage.sessionCookie(ticket, intake.openSession(ticket,
                        webConfig.statusPage().sessionTtl()), uri, config))
                .build();
    }

    /** The rating page, for the browser holding the ticket's session; {@code rating} the one to show chosen. */
    @GET
    @Path("status/{number}/satisfaction")
    @Operation(hidden = true)
    public Response page(@RestPath String number, @RestQuery String rating, @RestQuery String lang,
            @RestCookie(RequestPage.SESSION_COOKIE) String session) {
        Optional<Ticket> t = intake.findWithSession(number, session);
        Language l = Language.fromCode(lang).orElse(t.map(Ticket::language).orElse(config.language()));
        if (t.isEmpty()) {
            return notFound(l);
        }
        return noStore(Response.ok(view(t.get(), l, rating(rating), "", "", "", ""))).build();
    }

    /**
     * The answer: a rating of 1 to 5 and an optional comment. Refused with the page and what is wrong (400: nothing
     * recorded), refused when the ticket is rated already or not resolved (409), else recorded and the browser sent
     * to the request page, which thanks the customer and shows the rating.
     */
    @POST
    @Path("status/{number}/satisfaction")
    @Consumes({ MediaType.MULTIPART_FORM_DATA, MediaType.APPLICATION_FORM_URLENCODED })
    @Operation(hidden = true)
    public Response answer(@RestPath String number, @RestForm String rating, @RestForm String comment,
            @RestForm String lang, @RestCookie(RequestPage.SESSION_COOKIE) String session) {
        Optional<Ticket> t = intake.findWithSession(number, session);
        Language l = Language.fromCode(lang).orElse(t.map(Ticket::language).orElse(config.language()));
        if (t.isEmpty()) {
            return notFound(l);
        }
        Map<String, String> m = i18n.texts(l);
        Integer chosen = rating(rating);
        String typed = comment == null ? "" : comment.strip();
        // what is given back is bounded: a comment far over the cap is not echoed whole
        typed = typed.length() > 10 * satisfaction.commentMaxLength() ? typed.substring(0,
                10 * satisfaction.commentMaxLength()) : typed;
        String ratingError = chosen == null ? m.get("err_rating") : "";
        String commentError = satisfaction.commentFits(comment) ? "" : m.get("err_comment_long").replace("{max}",
                SatisfactionForm.written(satisfaction.commentMaxLength(), l));
        if (!ratingError.isEmpty() || !commentError.isEmpty()) {
            return noStore(Response.status(400).entity(view(t.get(), l, chosen, typed, ratingError, commentError,
                    ""))).build();
        }
        Satisfaction.Answer a = satisfaction.give(t.get().number(), chosen, comment);
        return switch (a.outcome()) {
            case RECORDED -> Response.seeOther(URI.create(RequestPage.pagePath(t.get().number()) + "?lang=" + l.code()
                    + "&done=rated#satisfaction")).header("Cache-Control", "no-store").build();
            case ALREADY_RATED -> noStore(Response.status(409).entity(view(t.get(), l, null, "", "", "",
                    m.get("satisfaction_already")))).build();
            case NOT_RESOLVED -> noStore(Response.status(409).entity(view(t.get(), l, null, "", "", "", ""))).build();
        };
    }

    private TemplateInstance view(Ticket t, Language l, Integer chosen, String typed, String ratingError,
            String commentError, String notice) {
        Map<String, String> m = i18n.texts(l);
        SatisfactionForm rate = SatisfactionForm.of(satisfaction, t, l, m, chosen, typed, ratingError, commentError);
        boolean hasErrors = !ratingError.isEmpty() || !commentError.isEmpty();
        return Templates.satisfaction(m, l.code(), t, RequestPage.pagePath(t.number()), rate,
                chosen == null ? "" : "rating=" + chosen + "&", hasErrors, notice);
    }

    /** A rating of 1 to 5 as sent, or null. */
    static Integer rating(String s) {
        if (s == null || s.isBlank() || s.strip().length() > 2) {
            return null;
        }
        try {
            int r = Integer.parseInt(s.strip());
            return Satisfaction.valid(r) ? r : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String query(Integer chosen, Language l) {
        String q = (chosen == null ? "" : "&rating=" + chosen) + (l == null ? "" : "&lang=" + l.code());
        return q.isEmpty() ? "" : "?" + q.substring(1);
    }

    private Response notFound(Language l) {
        return noStore(Response.status(404).entity(Templates.notFound(i18n.texts(l), l.code()))).build();
    }

    private static Response.ResponseBuilder noStore(Response.ResponseBuilder r) {
        return r.header("Cache-Control", "no-store");
    }

}
