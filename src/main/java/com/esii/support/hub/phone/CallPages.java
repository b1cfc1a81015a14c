package com.esii.support.hub.phone;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.security.AdminFrame;
import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.security.AdminPages;

import io.quarkus.qute.TemplateData;

/**
 * The calls' page, for a browser ({@code GET /admin/phone/calls?from=&to=&customer=&page=}, where other clients get
 * {@link PhoneAdmin}'s JSON): the calls the phone system reported (SMDR), the latest first, between two days
 * (included) and of one customer when asked, with the customer and ticket each was matched to; and the latest lines
 * that were not records.
 */
@Path("/admin/phone")
@RolesAllowed(AdminIdentityProvider.ROLE)
public class CallPages {

    /** Rejected lines shown under the calls. */
    static final int REJECTED_SHOWN = 20;

    @TemplateData
    public record CallRow(long callId, OffsetDateTime start, String direction, String outcome, String caller,
            String called, String agent, int ringSeconds, int talkSeconds, String customer, String ticket,
            String ticketHref) {
    }

    @TemplateData
    public record CallsView(String from, String to, String customer, String error, List<CallRow> calls,
            AdminFrame.Pager pager, List<PhoneLedger.Rejected> rejected) {
    }

    private final AdminPages pages;
    private final PhoneLedger phone;
    private final ZoneId zone;

    public CallPages(AdminPages pages, PhoneLedger phone, PhoneConfig config) {
        this.pages = pages;
        this.phone = phone;
        this.zone = ZoneId.of(config.zone());
    }

    @GET
    @Path("calls")
    @Produces(AdminPages.PAGE)
    public Response calls(@RestQuery String from, @RestQuery String to, @RestQuery String customer,
            @RestQuery String page, @RestQuery String lang, @Context UriInfo uri) {
        AdminFrame frame = pages.frame("calls", lang, uri);
        String f = blankToNull(from);
        String t = blankToNull(to);
        String c = blankToNull(customer);
        OffsetDateTime start;
        OffsetDateTime end;
        try {
            start = f == null ? OffsetDateTime.parse("2000-01-01T00:00:00Z")
                    : LocalDate.parse(f).atStartOfDay(zone).toOffsetDateTime();
            end = t == null ? OffsetDateTime.parse("2200-01-01T00:00:00Z")
                    : LocalDate.parse(t).plusDays(1).atStartOfDay(zone).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            return AdminPages.page(400, Templates.calls(frame, new CallsView(nz(f), nz(t), nz(c),
                    frame.text("admin.calls.bad-dates"), List.of(), AdminPages.pager(uri, 1, false), List.of())));
        }
        int n = AdminPages.pageNumber(page);
        List<PhoneLedger.CallView> found = phone.calls(start, end, c, AdminPages.PAGE_SIZE + 1,
                (n - 1) * AdminPages.PAGE_SIZE, zone);
        boolean more = found.size() > AdminPages.PAGE_SIZE;
        List<CallRow> rows = (more ? found.subList(0, AdminPages.PAGE_SIZE) : found).stream()
                .map(v -> row(frame, v)).toList();
        return AdminPages.page(Templates.calls(frame, new CallsView(nz(f), nz(t), nz(c), null, rows,
                AdminPages.pager(uri, n, more), phone.rejected(REJECTED_SHOWN))));
    }

    private static CallRow row(AdminFrame frame, PhoneLedger.CallView v) {
        String agent = v.agentName() == null ? nz(v.agentExtension()) : v.agentName();
        String customer = v.customerCode() != null ? v.customerCode()
                : frame.text("admin.calls.customer." + (v.customerStatus() == null ? "none"
                        : v.customerStatus().toLowerCase(Locale.ROOT).replace('_', '-')));
        return new CallRow(v.callId(), v.callStart(), frame.text("admin.calls.direction." + v.direction()),
                frame.text("admin.calls.outcome." + v.outcome()), nz(v.caller()), nz(v.calledNumber()), agent,
                v.ringSeconds(), v.talkSeconds(), customer, v.ticket(),
                v.ticket() == null ? null : frame.href("/admin/tickets/" + AdminPages.segment(v.ticket())));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
