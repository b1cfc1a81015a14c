package com.esii.support.hub.oncall;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.ticket.StaffTexts;

/**
 * The acknowledgement link of a page. Opening it shows a button; only the POST acknowledges, so that a mail
 * scanner following links does not acknowledge a page nobody read. A wrong signature gets the same 404 as a page
 * that does not exist.
 */
@Path("/oncall/ack/{number}")
@Produces(MediaType.TEXT_HTML)
public class PageAckResource {

    private final AckLinks links;
    private final Paging paging;
    private final StaffTexts texts;

    public PageAckResource(AckLinks links, Paging paging, StaffTexts texts) {
        this.links = links;
        this.paging = paging;
        this.texts = texts;
    }

    @GET
    public Response confirm(@RestPath String number, @RestQuery Integer page, @RestQuery String sig) {
        if (page == null || !links.valid(number, page, sig)) {
            return notFound();
        }
        return page(200, texts.text("ack.title", "page", page, "ticket", number),
                new Confirm(page, sig, texts.text("ack.button"), texts.text("ack.hint")), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response acknowledge(@RestPath String number, @RestForm Integer page, @RestForm String sig) {
        if (page == null || !links.valid(number, page, sig)) {
            return notFound();
        }
        return switch (paging.acknowledge(number, page, null)) {
            case ACKNOWLEDGED -> page(200, texts.text("ack.done.title"), null,
                    texts.text("ack.done", "ticket", number));
            case ALREADY -> page(200, texts.text("ack.already.title"), null,
                    texts.text("ack.already", "ticket", number));
            case UNKNOWN -> notFound();
        };
    }

    private Response notFound() {
        return page(404, texts.text("ack.unknown.title"), null, texts.text("ack.unknown"));
    }

    /** The form that acknowledges: the page's number and signature sent back, the button and a hint. */
    public record Confirm(int page, String sig, String button, String hint) {
    }

    /**
     * A page in the desk's language (the one who reads it is the technician paged), written by
     * {@code templates/oncall/page-ack.html} ({@link Templates#pageAck}): the form ({@code confirm}), or else
     * {@code message}.
     */
    private Response page(int status, String title, Confirm confirm, String message) {
        return Response.status(status).type("text/html; charset=UTF-8").header("Cache-Control", "no-store")
                .entity(Templates.pageAck(texts.language().code(), title, confirm, message).render()).build();
    }
}
