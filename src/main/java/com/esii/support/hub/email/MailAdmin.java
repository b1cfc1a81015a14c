package com.esii.support.hub.email;

import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.security.AdminIdentityProvider;

/** Recent mail verdicts with their reasons, and the raw .eml of each. HTTP Basic, role admin. */
@Path("/admin/mail/verdicts")
@RolesAllowed(AdminIdentityProvider.ROLE)
public class MailAdmin {

    private final MailStore store;

    public MailAdmin(MailStore store) {
        this.store = store;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@RestQuery String verdict, @RestQuery Integer limit) {
        String v = null;
        if (verdict != null && !verdict.isBlank()) {
            try {
                v = Verdict.valueOf(verdict.toUpperCase(Locale.ROOT).replace('-', '_')).name();
            } catch (IllegalArgumentException e) {
                return Response.status(400).type("application/problem+json")
                        .entity(Map.of("title", "Unknown verdict", "status", 400)).build();
            }
        }
        int n = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
        return Response.ok(store.receipts(v, n)).build();
    }

    @GET
    @Path("{id}/eml")
    @Produces("message/rfc822")
    public Response raw(@RestPath long id) {
        return store.raw(id).map(b -> Response.ok(b).header("Content-Disposition",
                "attachment; filename=\"mail-" + id + ".eml\"").build())
                .orElse(Response.status(404).build());
    }
}
