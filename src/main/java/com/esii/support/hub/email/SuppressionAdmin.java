package com.esii.support.hub.email;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.mailkit.Suppressions;
import com.esii.support.hub.security.AdminIdentityProvider;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The addresses that get no more automatic mail because a delivery report said mail to them failed for good: listed,
 * and lifted by an admin (then mail goes to the address again; the log names the admin). HTTP Basic, role admin.
 * The DELETE takes no body; a JSON client may send {@code Content-Type: application/json} with one, it is ignored.
 * A browser gets the pages of {@link SuppressionPages} at the same addresses.
 */
@Path("/admin/mail/suppressions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminIdentityProvider.ROLE)
public class SuppressionAdmin {

    private static final Logger LOG = Logger.getLogger(SuppressionAdmin.class);

    private final Suppressions suppressions;
    private final SecurityIdentity identity;

    public SuppressionAdmin(Suppressions suppressions, SecurityIdentity identity) {
        this.suppressions = suppressions;
        this.identity = identity;
    }

    /** The suppressed addresses, the latest first: address, reason, since. */
    @GET
    public Response list(@RestQuery Integer limit) {
        int n = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
        return Response.ok(suppressions.list(n)).build();
    }

    @GET
    @Path("{address}")
    public Response one(@RestPath String address) {
        return suppressions.find(address).map(s -> Response.ok(s).build()).orElse(notSuppressed(address));
    }

    /** Lifts the suppression: automatic mail goes to the address again. */
    @DELETE
    @Path("{address}")
    public Response lift(@RestPath String address) {
        String admin = identity.getPrincipal().getName();
        return suppressions.lift(address).map(s -> {
            logLifted(s, admin);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("address", s.address());
            body.put("lifted", true);
            body.put("liftedBy", admin);
            body.put("reason", s.reason());
            body.put("since", s.since());
            return Response.ok(body).build();
        }).orElse(notSuppressed(address));
    }

    /** The log line of a lifted suppression, naming the admin (here and from {@link SuppressionPages}). */
    static void logLifted(Suppressions.Suppression s, String admin) {
        LOG.infof("Suppression of %s lifted by %s (it said: %s, since %s)", s.address(), admin, s.reason(), s.since());
    }

    private static Response notSuppressed(String address) {
        return Response.status(404).type("application/problem+json")
                .entity(Map.of("title", "Address not suppressed", "status", 404, "detail",
                        "no suppression for " + address))
                .build();
    }
}
