package com.esii.support.hub.email;

import java.nio.charset.StandardCharsets;
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

import com.esii.support.hub.security.AdminFrame;
import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.security.AdminPages;

import io.quarkus.qute.TemplateData;

/**
 * The mail verdicts' pages, for a browser: {@code GET /admin/mail/verdicts?verdict=&page=} (where other clients get
 * {@link MailAdmin}'s JSON), the verdicts the latest first with sender, subject, reason and ticket;
 * {@code GET /admin/mail/verdicts/{id}}, one verdict with its raw mail shown as text (escaped like every value of a
 * page, control characters dropped, the first {@value #RAW_SHOWN} characters) and its {@code .eml} to download.
 */
@Path("/admin/mail/verdicts")
@RolesAllowed(AdminIdentityProvider.ROLE)
public class MailPages {

    /** Characters of a raw mail shown on its page; the whole is in the .eml. */
    static final int RAW_SHOWN = 200_000;

    @TemplateData
    public record Option(String value, String text, boolean selected) {
    }

    @TemplateData
    public record VerdictView(long id, String href, OffsetDateTime received, String sender, String subject,
            String verdict, String verdictText, String reason, String ticket, String ticketHref, String messageId,
            String mailbox, boolean raw) {
    }

    @TemplateData
    public record ListView(List<Option> verdicts, List<VerdictView> rows, AdminFrame.Pager pager, boolean filtered) {
    }

    private final AdminPages pages;
    private final MailStore store;

    public MailPages(AdminPages pages, MailStore store) {
        this.pages = pages;
        this.store = store;
    }

    @GET
    @Produces(AdminPages.PAGE)
    public Response list(@RestQuery String verdict, @RestQuery String page, @RestQuery String lang,
            @Context UriInfo uri) {
        AdminFrame frame = pages.frame("verdicts", lang, uri);
        Verdict v = verdict(verdict).orElse(null);
        int n = AdminPages.pageNumber(page);
        List<MailStore.Receipt> found = store.receipts(v == null ? null : v.name(), AdminPages.PAGE_SIZE + 1,
                (n - 1) * AdminPages.PAGE_SIZE);
        boolean more = found.size() > AdminPages.PAGE_SIZE;
        List<VerdictView> rows = (more ? found.subList(0, AdminPages.PAGE_SIZE) : found).stream()
                .map(r -> view(frame, r)).toList();
        List<Option> options = new ArrayList<>();
        options.add(new Option("", frame.text("admin.verdicts.any"), v == null));
        for (Verdict each : Verdict.values()) {
            options.add(new Option(code(each), frame.text("admin.verdicts.kind." + code(each)), each == v));
        }
        return AdminPages.page(AdminTemplates.verdicts(frame, new ListView(options, rows, AdminPages.pager(uri, n, more),
                v != null)));
    }

    @GET
    @Path("{id}")
    @Produces(AdminPages.PAGE)
    public Response verdict(@RestPath long id, @RestQuery String lang, @Context UriInfo uri) {
        AdminFrame frame = pages.frame("verdicts", lang, uri);
        Optional<MailStore.Receipt> r = store.receipt(id);
        if (r.isEmpty()) {
            return AdminPages.missing(frame, frame.text("admin.verdict.missing.title"),
                    frame.text("admin.verdict.missing", "id", id), frame.href("/admin/mail/verdicts"));
        }
        String raw = store.raw(id).map(MailPages::asText).orElse(null);
        boolean cut = raw != null && raw.length() > RAW_SHOWN;
        return AdminPages.page(AdminTemplates.verdict(frame, view(frame, r.get()), cut ? raw.substring(0, RAW_SHOWN)
                : raw, cut, "/admin/mail/verdicts/" + id + "/eml"));
    }

    /**
     * A raw mail as text to read: its bytes as UTF-8 (8-bit text of another charset shows replacement characters;
     * the .eml has the bytes), without the control characters a page cannot show (tabs and line ends kept).
     */
    static String asText(byte[] raw) {
        String s = new String(raw, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0))) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Optional<Verdict> verdict(String v) {
        try {
            return v == null || v.isBlank() ? Optional.empty()
                    : Optional.of(Verdict.valueOf(v.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String code(Verdict v) {
        return v.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static VerdictView view(AdminFrame frame, MailStore.Receipt r) {
        String code;
        String text;
        try {
            Verdict v = Verdict.valueOf(r.verdict());
            code = code(v);
            text = frame.text("admin.verdicts.kind." + code);
        } catch (IllegalArgumentException | NullPointerException e) {
            code = String.valueOf(r.verdict());
            text = code;
        }
        return new VerdictView(r.id(), frame.href("/admin/mail/verdicts/" + r.id()), r.receivedAt(), r.sender(),
                r.subject(), code, text, r.reason(), r.ticketNumber(),
                r.ticketNumber() == null ? null : frame.href("/admin/tickets/" + AdminPages.segment(r.ticketNumber())),
                r.messageId(), r.mailbox(), r.rawId() != null);
    }
}
