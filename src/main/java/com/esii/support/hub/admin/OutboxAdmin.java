package com.esii.support.hub.admin;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.OutboxStatus;
import com.esii.support.hub.security.AdminIdentityProvider;

/** Operators' view of the outbox: rows by state, and replay of dead rows. HTTP Basic, role admin. */
@Path("/admin/outbox")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminIdentityProvider.ROLE)
public class OutboxAdmin {

    private final Outbox outbox;
    private final OutboxRelay relay;
    private final Clock clock;

    public OutboxAdmin(Outbox outbox, OutboxRelay relay, Clock clock) {
        this.outbox = outbox;
        this.relay = relay;
        this.clock = clock;
    }

    @GET
    public Response list(@RestQuery String state, @RestQuery Integer limit) {
        OutboxStatus status;
        try {
            status = OutboxStatus.valueOf((state == null ? "dead" : state).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Response.status(400).type("application/problem+json")
                    .entity(Map.of("title", "Unknown state", "status", 400,
                            "detail", "state must be one of pending, done, dead"))
                    .build();
        }
        int n = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
        List<OutboxRow> rows = outbox.list(status, n);
        return Response.ok(Map.of("counts", outbox.countByStatus(), "rows", rows)).build();
    }

    @POST
    @Path("{id}/replay")
    public Response replay(@RestPath long id) {
        if (!outbox.replay(id, OffsetDateTime.now(clock))) {
            return Response.status(404).type("application/problem+json")
                    .entity(Map.of("title", "No dead row with this id", "status", 404)).build();
        }
        relay.wake();
        return Response.accepted(Map.of("id", id, "status", "pending")).build();
    }
}
