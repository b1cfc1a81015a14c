package com.esii.support.hub.admin;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.OutboxStatus;
import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.security.AdminPages;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.TicketLedger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Operators' view of the outbox: rows by state, and what to do with a dead row (which holds the later rows of its
 * lane): replay it, or skip it. Both are written in the ticket's history with the operator's name. HTTP Basic,
 * role admin. A browser gets the pages of {@link OutboxPages} at the same addresses.
 */
@Path("/admin/outbox")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminIdentityProvider.ROLE)
public class OutboxAdmin {

    private final Outbox outbox;
    private final OutboxRelay relay;
    private final Clock clock;

    private final TicketLedger ledger;
    private final SecurityIdentity identity;

    public OutboxAdmin(Outbox outbox, OutboxRelay relay, Clock clock, TicketLedger ledger, SecurityIdentity identity) {
        this.outbox = outbox;
        this.relay = relay;
        this.clock = clock;
        this.ledger = ledger;
        this.identity = identity;
    }

    @GET
    public Response list(@RestQuery String state, @RestQuery Integer limit) {
        OutboxStatus status;
        try {
            status = OutboxStatus.valueOf((state == null ? "dead" : state).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Response.status(400).type("application/problem+json")
                    .entity(Map.of("title", "Unknown state", "status", 400,
                            "detail", "state must be one of pending, done, dead, skipped"))
                    .build();
        }
        int n = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
        List<OutboxRow> rows = outbox.list(status, n);
        return Response.ok(Map.of("counts", outbox.countByStatus(), "rows", rows)).build();
    }

    /**
     * Puts a dead row back in the queue. A browser (the form of {@link OutboxPages}) is sent back to the list with the
     * result; other clients get JSON.
     */
    @POST
    @Path("{id}/replay")
    public Response replay(@RestPath long id, @RestQuery String lang, @Context HttpHeaders headers) {
        if (!decide(id, "replayed", () -> outbox.replay(id, OffsetDateTime.now(clock)))) {
            return AdminPages.wantsPage(headers) ? backToList(id, "failed=replay", lang) : noDeadRow();
        }
        relay.wake();
        return AdminPages.wantsPage(headers) ? backToList(id, "done=replayed", lang)
                : Response.accepted(Map.of("id", id, "status", "pending")).build();
    }

    /** Gives up on a dead row for good: the rows behind it in its lane go on. A browser is sent back to the list. */
    @POST
    @Path("{id}/skip")
    public Response skip(@RestPath long id, @RestQuery String lang, @Context HttpHeaders headers) {
        if (!decide(id, "skipped", () -> outbox.skip(id, OffsetDateTime.now(clock)))) {
            return AdminPages.wantsPage(headers) ? backToList(id, "failed=skip", lang) : noDeadRow();
        }
        relay.wake();
        return AdminPages.wantsPage(headers) ? backToList(id, "done=skipped", lang)
                : Response.ok(Map.of("id", id, "status", "skipped")).build();
    }

    /** The dead rows' page, saying what became of the row (in the page's language, when the form said it). */
    private static Response backToList(long id, String result, String lang) {
        return AdminPages.seeOther("/admin/outbox?state=dead&" + result + "&row=" + id
                + Language.fromCode(lang).map(l -> "&lang=" + l.code()).orElse(""));
    }

    /** Applies the operator's decision and writes it in the ticket's history, in one transaction. */
    private boolean decide(long id, String what, java.util.function.BooleanSupplier change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<OutboxRow> row = outbox.find(id);
            if (row.isEmpty() || row.get().status() != OutboxStatus.DEAD || !change.getAsBoolean()) {
                return false;
            }
            OutboxRow r = row.get();
            if (r.ticketId() != null) {
                ledger.insertEvent(r.ticketId(), new TicketLedger.Event("outbox-" + what,
                        r.type() + " #" + r.id() + " " + what + " by the operator (" + nz(r.lastError()) + ")",
                        identity.getPrincipal().getName(), OffsetDateTime.now(clock)));
            }
            return true;
        });
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static Response noDeadRow() {
        return Response.status(404).type("application/problem+json")
                .entity(Map.of("title", "No dead row with this id", "status", 404)).build();
    }
}
