package com.esii.support.hub.erp;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
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
import com.esii.support.hub.security.AdminIdentityProvider;

/** The ERP activity records by state (sent, pending, dead), and replay of a dead one. HTTP Basic, role admin. */
@Path("/admin/erp/records")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminIdentityProvider.ROLE)
public class ErpAdmin {

    private final ErpRecords records;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final Clock clock;

    public ErpAdmin(ErpRecords records, Outbox outbox, OutboxRelay relay, Clock clock) {
        this.records = records;
        this.outbox = outbox;
        this.relay = relay;
        this.clock = clock;
    }

    @GET
    public Response list(@RestQuery String state, @RestQuery Integer limit) {
        List<ErpRecords.Row> rows;
        try {
            rows = records.list(state == null ? "dead" : state, limit == null ? 100 : Math.max(1, Math.min(limit, 1000)));
        } catch (IllegalArgumentException e) {
            return Response.status(400).type("application/problem+json")
                    .entity(Map.of("title", "Unknown state", "status", 400, "detail", e.getMessage())).build();
        }
        return Response.ok(Map.of("records", rows)).build();
    }

    @POST
    @Path("{id}/replay")
    public Response replay(@RestPath long id) {
        ErpRecords.Row r = records.find(id).orElse(null);
        if (r == null || !"dead".equals(r.state()) || r.outboxId() == null
                || !outbox.replay(r.outboxId(), OffsetDateTime.now(clock))) {
            return Response.status(404).type("application/problem+json")
                    .entity(Map.of("title", "No dead record with this id", "status", 404)).build();
        }
        relay.wake();
        return Response.accepted(Map.of("id", id, "state", "pending")).build();
    }
}
