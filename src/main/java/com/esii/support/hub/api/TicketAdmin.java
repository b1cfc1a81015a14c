package com.esii.support.hub.api;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.ticket.Step;
import com.esii.support.hub.ticket.StepRefusedException;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.ticket.TicketProgress;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Staff's view of a ticket (triage, customer, deadlines and history) and the steps of support's work on it, until
 * Jira reports them. HTTP Basic, role admin.
 */
@Path("/admin/tickets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminIdentityProvider.ROLE)
public class TicketAdmin {

    private final TicketLedger ledger;
    private final TicketProgress progress;

    public TicketAdmin(TicketLedger ledger, TicketProgress progress) {
        this.ledger = ledger;
        this.progress = progress;
    }

    /** The ticket as staff see it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StaffView(TicketView ticket, String customerEmail, String customerCode, Boolean onCall,
            Boolean hosted, String calendar, List<TicketLedger.Event> history) {
    }

    /** A step: {@code type} (taken-in-charge, waiting-on-customer, resumed, on-site-decided, quote-accepted,
     * on-site-done, resolved), optional {@code at} (ISO-8601, default now), {@code onSite} and {@code detail}. */
    public record StepRequest(String type, String at, String onSite, String detail) {
    }

    @GET
    @Path("{number}")
    public Response get(@RestPath String number) {
        return ledger.findByNumber(number).map(t -> Response.ok(view(t)).build())
                .orElseGet(() -> problem(404, "No such ticket", number + " is not a ticket of this hub"));
    }

    @POST
    @Path("{number}/steps")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response step(@RestPath String number, StepRequest request) {
        if (request == null || request.type() == null) {
            return problem(400, "Missing step", "type is required: " + List.of(Step.values()));
        }
        Step step = Step.fromCode(request.type()).orElse(null);
        if (step == null) {
            return problem(400, "Unknown step", "type must be one of taken-in-charge, waiting-on-customer, resumed,"
                    + " on-site-decided, quote-accepted, on-site-done, resolved");
        }
        OffsetDateTime at;
        try {
            at = request.at() == null || request.at().isBlank() ? null : OffsetDateTime.parse(request.at().strip());
        } catch (DateTimeParseException e) {
            return problem(400, "Bad time", "at must be an ISO-8601 date-time with offset: " + request.at());
        }
        try {
            return progress.apply(number, step, at, request.onSite(), request.detail(), "admin")
                    .map(t -> Response.ok(view(t)).build())
                    .orElseGet(() -> problem(404, "No such ticket", number + " is not a ticket of this hub"));
        } catch (StepRefusedException e) {
            return problem(409, "Step refused", e.getMessage());
        }
    }

    private StaffView view(Ticket t) {
        Ticket.Triage tr = t.triage() == null ? Ticket.Triage.NONE : t.triage();
        return new StaffView(TicketView.of(t, null, null), t.customerEmail(), tr.customerCode(), tr.onCall(),
                tr.hosted(), tr.calendar(), ledger.events(t.id()));
    }

    private static Response problem(int status, String title, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(Map.of("title", title, "status", status, "detail", detail)).build();
    }
}
