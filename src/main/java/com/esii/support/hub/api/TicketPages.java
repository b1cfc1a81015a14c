package com.esii.support.hub.api;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.OutboxStatus;
import com.esii.support.hub.security.AdminFrame;
import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.security.AdminPages;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.ticket.TicketStatus;

import io.quarkus.qute.TemplateData;

/**
 * The tickets' pages, for a browser: {@code GET /admin/tickets?number=&customer=&status=&page=}, the tickets newest
 * first, filtered by part of the number, part of the customer (address, name, company or ERP code) and status;
 * {@code GET /admin/tickets/{number}} (where other clients get {@link TicketAdmin}'s JSON), the ticket as staff see
 * it: triage, deadlines, history, every message (the customer's, staff's public and internal ones, the hub's own
 * mails) and its outbox rows, a dead one linking to its replay or skip.
 */
@Path("/admin/tickets")
@RolesAllowed(AdminIdentityProvider.ROLE)
public class TicketPages {

    /** Outbox rows shown on a ticket's page, the latest. */
    static final int OUTBOX_ROWS = 200;

    @TemplateData
    public record Option(String value, String text, boolean selected) {
    }

    @TemplateData
    public record Row(String number, String href, OffsetDateTime created, String subject, String customer,
            String company, String status, String criticality, String channel) {
    }

    @TemplateData
    public record ListView(String number, String customer, List<Option> statuses, List<Row> rows,
            AdminFrame.Pager pager, boolean filtered) {
    }

    /** A fact of the ticket: its label and value. */
    @TemplateData
    public record Fact(String id, String label, String value) {
    }

    @TemplateData
    public record Message(String heading, OffsetDateTime at, String body, List<String> files, String kind) {
    }

    @TemplateData
    public record OutboxLine(long id, String type, String state, String stateText, int attempts, OffsetDateTime created,
            String lastError, String replayHref, String skipHref) {
    }

    @TemplateData
    public record TicketPage(String number, String subject, String description, List<Fact> facts,
            List<TicketLedger.Event> history, List<Message> messages, List<OutboxLine> outbox) {
    }

    private final AdminPages pages;
    private final TicketLedger ledger;
    private final Outbox outbox;

    public TicketPages(AdminPages pages, TicketLedger ledger, Outbox outbox) {
        this.pages = pages;
        this.ledger = ledger;
        this.outbox = outbox;
    }

    @GET
    @Produces(AdminPages.PAGE)
    public Response list(@RestQuery String number, @RestQuery String customer, @RestQuery String status,
            @RestQuery String page, @RestQuery String lang, @Context UriInfo uri) {
        AdminFrame frame = pages.frame("tickets", lang, uri);
        TicketStatus s = status(status).orElse(null);
        TicketLedger.Search q = new TicketLedger.Search(blankToNull(number), blankToNull(customer), s);
        int n = AdminPages.pageNumber(page);
        List<Ticket> found = ledger.search(q, (n - 1) * AdminPages.PAGE_SIZE, AdminPages.PAGE_SIZE + 1);
        boolean more = found.size() > AdminPages.PAGE_SIZE;
        List<Row> rows = (more ? found.subList(0, AdminPages.PAGE_SIZE) : found).stream()
                .map(t -> row(frame, t)).toList();
        List<Option> statuses = new ArrayList<>();
        statuses.add(new Option("", frame.text("admin.tickets.any-status"), s == null));
        for (TicketStatus ts : TicketStatus.values()) {
            statuses.add(new Option(code(ts), frame.text("admin.tickets.status." + code(ts)), ts == s));
        }
        return AdminPages.page(Templates.tickets(frame, new ListView(nz(number), nz(customer), statuses, rows,
                AdminPages.pager(uri, n, more), q.number() != null || q.customer() != null || s != null)));
    }

    @GET
    @Path("{number}")
    @Produces(AdminPages.PAGE)
    public Response ticket(@RestPath String number, @RestQuery String lang, @Context UriInfo uri) {
        AdminFrame frame = pages.frame("tickets", lang, uri);
        Optional<Ticket> found = ledger.findByNumber(number);
        if (found.isEmpty()) {
            return AdminPages.missing(frame, frame.text("admin.ticket.missing.title"),
                    frame.text("admin.ticket.missing", "number", number), frame.href("/admin/tickets"));
        }
        Ticket t = found.get();
        StaffTexts staff = frame.staff();
        Ticket.Triage tr = t.triage() == null ? Ticket.Triage.NONE : t.triage();
        Ticket.Sla sla = t.sla() == null ? Ticket.Sla.NONE : t.sla();
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("status", frame.text("admin.tickets.status"), frame.text("admin.tickets.status." + code(t.status()))));
        facts.add(new Fact("customer", frame.text("admin.tickets.customer"), nz(t.customerName()) + " <"
                + nz(t.customerEmail()) + ">"));
        facts.add(new Fact("company", frame.text("admin.tickets.company"), nz(t.customerCompany())));
        facts.add(new Fact("customer-code", frame.text("admin.tickets.customer-code"), nz(tr.customerCode())));
        facts.add(new Fact("contract", frame.text("admin.tickets.contract"), staff.contract(tr.contract()) + " ("
                + staff.contractReason(tr.contractReason()) + ")"));
        facts.add(new Fact("channel", frame.text("admin.tickets.channel"), staff.channel(t.channel())));
        facts.add(new Fact("kind", frame.text("admin.tickets.kind"), staff.kind(t.kind())));
        facts.add(new Fact("criticality", frame.text("admin.tickets.criticality"), staff.criticality(t.criticality())));
        facts.add(new Fact("priority", frame.text("admin.tickets.priority"), tr.priority() == null ? "–"
                : String.valueOf(tr.priority())));
        facts.add(new Fact("product", frame.text("admin.tickets.product"), nz(t.product())));
        facts.add(new Fact("language", frame.text("admin.tickets.language"), t.language().code()));
        facts.add(new Fact("created", frame.text("admin.tickets.created"), frame.time(t.createdAt())));
        facts.add(new Fact("take-charge-due", frame.text("admin.tickets.take-charge-due"),
                frame.time(sla.takeChargeDue())));
        facts.add(new Fact("taken-in-charge", frame.text("admin.tickets.taken-in-charge"),
                frame.time(sla.takenInChargeAt())));
        facts.add(new Fact("resolved", frame.text("admin.tickets.resolved"), frame.time(sla.resolvedAt())));
        facts.add(new Fact("jsm", frame.text("admin.tickets.jsm"), nz(t.jsmKey())));

        List<Message> messages = ledger.messages(t.id()).stream().map(m -> new Message(
                frame.text("admin.ticket.message." + messageKind(m), "author", m.author() == null ? "" : m.author(),
                        "channel", staff.channel(m.channel())),
                m.at(), m.body(), m.attachments().stream().map(a -> a.filename() + " (" + a.size() + " B)").toList(),
                m.kind())).toList();
        List<OutboxLine> rows = outbox.ofTicket(t.id(), OUTBOX_ROWS).stream().map(r -> line(frame, r)).toList();
        return AdminPages.page(Templates.ticket(frame, new TicketPage(t.number(), t.subject(), t.description(), facts,
                ledger.events(t.id()), messages, rows)));
    }

    /** Whose message it is: the customer's, staff's public reply or internal note, or the hub's own mail. */
    static String messageKind(TicketLedger.LoggedMessage m) {
        if (m.visibility() == null) {
            return "hub";
        }
        if ("INTERNAL".equals(m.visibility())) {
            return "internal";
        }
        if ("IN".equalsIgnoreCase(m.direction())) {
            return "customer";
        }
        return "staff";
    }

    private static OutboxLine line(AdminFrame frame, OutboxRow r) {
        String code = r.status().name().toLowerCase(Locale.ROOT);
        boolean dead = r.status() == OutboxStatus.DEAD;
        return new OutboxLine(r.id(), r.type(), code, frame.text("admin.outbox.state." + code), r.attempts(),
                r.createdAt(), r.lastError(), dead ? frame.href("/admin/outbox/" + r.id() + "/replay") : null,
                dead ? frame.href("/admin/outbox/" + r.id() + "/skip") : null);
    }

    private static Row row(AdminFrame frame, Ticket t) {
        StaffTexts staff = frame.staff();
        return new Row(t.number(), frame.href("/admin/tickets/" + AdminPages.segment(t.number())), t.createdAt(),
                t.subject(), nz(t.customerName()) + " <" + nz(t.customerEmail()) + ">", nz(t.customerCompany()),
                frame.text("admin.tickets.status." + code(t.status())), staff.criticality(t.criticality()),
                staff.channel(t.channel()));
    }

    private static Optional<TicketStatus> status(String s) {
        try {
            return s == null || s.isBlank() ? Optional.empty()
                    : Optional.of(TicketStatus.valueOf(s.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String code(TicketStatus s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
