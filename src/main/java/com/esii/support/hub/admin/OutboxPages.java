package com.esii.support.hub.admin;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

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
import com.esii.support.hub.ticket.TicketLedger;

import io.quarkus.qute.TemplateData;

/**
 * The outbox's pages, for a browser (the same addresses give {@link OutboxAdmin}'s JSON to other clients):
 * {@code GET /admin/outbox?state=dead|pending|done|skipped&page=} lists rows by state, the latest first, with each
 * state's count; a dead row links to the confirmation of its replay or skip ({@code GET /admin/outbox/{id}/replay},
 * {@code .../skip}), whose form posts to {@link OutboxAdmin}'s action, which sends the browser back to the list with
 * the result ({@code done=replayed|skipped} or {@code failed=replay|skip}, and {@code row}).
 */
@Path("/admin/outbox")
@RolesAllowed(AdminIdentityProvider.ROLE)
public class OutboxPages {

    /** A state as a tab of the list. */
    @TemplateData
    public record StateTab(String code, String text, long count, String href, boolean current) {
    }

    /** A row as the pages show it; the addresses of its replay and skip (dead rows only). */
    @TemplateData
    public record RowView(long id, String type, String ticket, String ticketHref, String lane, String state,
            String stateText, int attempts, OffsetDateTime next, String lastError, OffsetDateTime created,
            OffsetDateTime done, String replayHref, String skipHref) {

        public boolean dead() {
            return replayHref != null;
        }
    }

    /** The list: which state, the tabs, the rows, the pages, and the result of an action just taken (or null). */
    @TemplateData
    public record ListView(String state, List<StateTab> tabs, List<RowView> rows, AdminFrame.Pager pager,
            String result, String failure) {
    }

    private final AdminPages pages;
    private final Outbox outbox;
    private final TicketLedger ledger;

    public OutboxPages(AdminPages pages, Outbox outbox, TicketLedger ledger) {
        this.pages = pages;
        this.outbox = outbox;
        this.ledger = ledger;
    }

    @GET
    @Produces(AdminPages.PAGE)
    public Response list(@RestQuery String state, @RestQuery String page, @RestQuery String done,
            @RestQuery String failed, @RestQuery Long row, @RestQuery String lang, @Context UriInfo uri) {
        AdminFrame frame = pages.frame("outbox", lang, uri);
        OutboxStatus status = status(state).orElse(OutboxStatus.DEAD);
        int number = AdminPages.pageNumber(page);
        List<OutboxRow> rows = outbox.list(status, AdminPages.PAGE_SIZE + 1, (number - 1) * AdminPages.PAGE_SIZE);
        boolean more = rows.size() > AdminPages.PAGE_SIZE;
        rows = more ? rows.subList(0, AdminPages.PAGE_SIZE) : rows;
        Map<Long, String> numbers = ledger.numbers(rows.stream().map(OutboxRow::ticketId)
                .filter(Objects::nonNull).collect(Collectors.toSet()));
        Map<OutboxStatus, Long> counts = outbox.countByStatus();
        List<StateTab> tabs = new ArrayList<>();
        for (OutboxStatus s : List.of(OutboxStatus.DEAD, OutboxStatus.PENDING, OutboxStatus.DONE, OutboxStatus.SKIPPED)) {
            String code = s.name().toLowerCase(Locale.ROOT);
            tabs.add(new StateTab(code, frame.text("admin.outbox.state." + code), counts.getOrDefault(s, 0L),
                    frame.href("/admin/outbox?state=" + code), s == status));
        }
        String result = null;
        String failure = null;
        if (row != null && ("replayed".equals(done) || "skipped".equals(done))) {
            result = frame.text("admin.outbox.done." + done, "row", row);
        }
        if (row != null && ("replay".equals(failed) || "skip".equals(failed))) {
            failure = frame.text("admin.outbox.failed." + failed, "row", row);
        }
        List<RowView> views = rows.stream().map(r -> view(frame, r, numbers.get(r.ticketId()))).toList();
        return AdminPages.page(Templates.outbox(frame, new ListView(status.name().toLowerCase(Locale.ROOT), tabs,
                views, AdminPages.pager(uri, number, more), result, failure)));
    }

    @GET
    @Path("{id}/replay")
    @Produces(AdminPages.PAGE)
    public Response confirmReplay(@RestPath long id, @RestQuery String lang, @Context UriInfo uri) {
        return confirm(id, "replay", lang, uri);
    }

    @GET
    @Path("{id}/skip")
    @Produces(AdminPages.PAGE)
    public Response confirmSkip(@RestPath long id, @RestQuery String lang, @Context UriInfo uri) {
        return confirm(id, "skip", lang, uri);
    }

    private Response confirm(long id, String action, String lang, UriInfo uri) {
        AdminFrame frame = pages.frame("outbox", lang, uri);
        Optional<OutboxRow> row = outbox.find(id).filter(r -> r.status() == OutboxStatus.DEAD);
        if (row.isEmpty()) {
            return AdminPages.missing(frame, frame.text("admin.outbox.not-dead.title"),
                    frame.text("admin.outbox.not-dead", "row", id), frame.href("/admin/outbox"));
        }
        OutboxRow r = row.get();
        String number = r.ticketId() == null ? null
                : ledger.numbers(List.of(r.ticketId())).get(r.ticketId());
        return AdminPages.page(Templates.outboxConfirm(frame, view(frame, r, number), action,
                frame.text("admin.outbox.confirm." + action, "row", id), frame.text("admin.outbox.explain." + action),
                frame.text("admin.outbox.do." + action, "row", id)));
    }

    private static Optional<OutboxStatus> status(String state) {
        try {
            return state == null ? Optional.empty()
                    : Optional.of(OutboxStatus.valueOf(state.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static RowView view(AdminFrame frame, OutboxRow r, String ticket) {
        String code = r.status().name().toLowerCase(Locale.ROOT);
        boolean dead = r.status() == OutboxStatus.DEAD;
        return new RowView(r.id(), r.type(), ticket,
                ticket == null ? null : frame.href("/admin/tickets/" + AdminPages.segment(ticket)), r.lane(), code,
                frame.text("admin.outbox.state." + code), r.attempts(),
                r.status() == OutboxStatus.PENDING ? r.nextAttemptAt() : null, r.lastError(), r.createdAt(),
                r.doneAt(), dead ? frame.href("/admin/outbox/" + r.id() + "/replay") : null,
                dead ? frame.href("/admin/outbox/" + r.id() + "/skip") : null);
    }
}
