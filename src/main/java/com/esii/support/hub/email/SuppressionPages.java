package com.esii.support.hub.email;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.mailkit.Suppressions;
import com.esii.support.hub.security.AdminFrame;
import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.security.AdminPages;
import com.esii.support.hub.ticket.Language;

import io.quarkus.qute.TemplateData;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The suppressions' pages, for a browser (where other clients get {@link SuppressionAdmin}'s JSON):
 * {@code GET /admin/mail/suppressions?page=}, the suppressed addresses the latest first;
 * {@code GET /admin/mail/suppressions/{address}}, one and the form that lifts it, which posts to
 * {@code POST /admin/mail/suppressions/{address}/lift} (a form cannot send the JSON API's DELETE): the same lifting,
 * logged with the admin's name, then back to the list with the result ({@code done=lifted} or {@code failed=lift},
 * and {@code address}).
 */
@Path("/admin/mail/suppressions")
@RolesAllowed(AdminIdentityProvider.ROLE)
public class SuppressionPages {

    @TemplateData
    public record Row(String address, String href, String reason, OffsetDateTime since) {
    }

    @TemplateData
    public record ListView(List<Row> rows, AdminFrame.Pager pager, String result, String failure) {
    }

    private final AdminPages pages;
    private final Suppressions suppressions;
    private final SecurityIdentity identity;

    public SuppressionPages(AdminPages pages, Suppressions suppressions, SecurityIdentity identity) {
        this.pages = pages;
        this.suppressions = suppressions;
        this.identity = identity;
    }

    @GET
    @Produces(AdminPages.PAGE)
    public Response list(@RestQuery String page, @RestQuery String done, @RestQuery String failed,
            @RestQuery String address, @RestQuery String lang, @Context UriInfo uri) {
        AdminFrame frame = pages.frame("suppressions", lang, uri);
        int n = AdminPages.pageNumber(page);
        List<Suppressions.Suppression> found = suppressions.list(AdminPages.PAGE_SIZE + 1,
                (n - 1) * AdminPages.PAGE_SIZE);
        boolean more = found.size() > AdminPages.PAGE_SIZE;
        List<Row> rows = (more ? found.subList(0, AdminPages.PAGE_SIZE) : found).stream()
                .map(s -> row(frame, s)).toList();
        String result = address != null && "lifted".equals(done)
                ? frame.text("admin.suppressions.lifted", "address", address) : null;
        String failure = address != null && "lift".equals(failed)
                ? frame.text("admin.suppressions.not-suppressed", "address", address) : null;
        return AdminPages.page(AdminTemplates.suppressions(frame, new ListView(rows, AdminPages.pager(uri, n, more),
                result, failure)));
    }

    @GET
    @Path("{address}")
    @Produces(AdminPages.PAGE)
    public Response one(@RestPath String address, @RestQuery String lang, @Context UriInfo uri) {
        AdminFrame frame = pages.frame("suppressions", lang, uri);
        Optional<Suppressions.Suppression> s = suppressions.find(address);
        if (s.isEmpty()) {
            return AdminPages.missing(frame, frame.text("admin.suppressions.missing.title"),
                    frame.text("admin.suppressions.not-suppressed", "address", address),
                    frame.href("/admin/mail/suppressions"));
        }
        Row row = row(frame, s.get());
        return AdminPages.page(AdminTemplates.suppression(frame, row, "/admin/mail/suppressions/"
                + AdminPages.segment(s.get().address()) + "/lift" + (frame.explicit() ? "?lang=" + frame.lang() : "")));
    }

    /** Lifts the suppression (the form of {@link #one}); the browser goes back to the list, told what happened. */
    @POST
    @Path("{address}/lift")
    public Response lift(@RestPath String address, @RestQuery String lang) {
        Optional<Suppressions.Suppression> lifted = suppressions.lift(address);
        lifted.ifPresent(s -> SuppressionAdmin.logLifted(s, identity.getPrincipal().getName()));
        return AdminPages.seeOther("/admin/mail/suppressions?" + (lifted.isPresent() ? "done=lifted" : "failed=lift")
                + "&address=" + AdminPages.encode(lifted.map(Suppressions.Suppression::address).orElse(address))
                + Language.fromCode(lang).map(l -> "&lang=" + l.code()).orElse(""));
    }

    private static Row row(AdminFrame frame, Suppressions.Suppression s) {
        return new Row(s.address(), frame.href("/admin/mail/suppressions/" + AdminPages.segment(s.address())),
                s.reason(), s.since());
    }
}
