package com.esii.support.hub.admin;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxStatus;
import com.esii.support.hub.security.AdminFrame;
import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.security.AdminPages;

import io.quarkus.qute.TemplateData;

/**
 * {@code GET /admin}: the admin home, in the desk's language ({@code ?lang=} for another): every admin page with what
 * it is for, and how many dead outbox rows wait for an operator. HTTP Basic, role admin, like every admin page.
 */
@Path("/admin")
@RolesAllowed(AdminIdentityProvider.ROLE)
public class AdminHome {

    /** A page of the menu and what it is for. */
    @TemplateData
    public record Entry(String id, String href, String title, String text) {
    }

    private final AdminPages pages;
    private final Outbox outbox;

    public AdminHome(AdminPages pages, Outbox outbox) {
        this.pages = pages;
        this.outbox = outbox;
    }

    @GET
    @Produces(AdminPages.PAGE)
    public Response home(@RestQuery String lang, @Context UriInfo uri) {
        AdminFrame frame = pages.frame("home", lang, uri);
        List<Entry> entries = frame.menu().stream().filter(m -> !m.id().equals("home"))
                .map(m -> new Entry(m.id(), m.href(), m.text(), frame.text("admin.home.about." + m.id()))).toList();
        return AdminPages.page(Templates.home(frame, entries, outbox.countByStatus().get(OutboxStatus.DEAD)));
    }
}
