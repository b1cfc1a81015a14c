package com.esii.support.hub.web;

import com.esii.support.hub.ticket.CustomerTexts;
import com.esii.support.hub.ticket.Dates;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.esii.support.hub.ticket.Author;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.InvalidParam;
import com.esii.support.hub.ticket.InvalidTicketException;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.NewTicket;
import com.esii.support.hub.ticket.Satisfaction;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.ticket.TicketStatus;
import com.esii.support.hub.ticket.Visits;
import com.esii.support.hub.ticket.TicketValidator;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;

/**
 * The customer's request page, which the acknowledgement and every notice link to: where the request stands and
 * what comes next, the conversation (the customer's messages and staff's public replies, with their files), a reply
 * box, and "solved" / "not solved" and "how did we do?" ({@link SatisfactionPage}) once it is resolved. The link's
 * token is exchanged for a session cookie scoped to the ticket's page (HttpOnly, SameSite=Strict, Secure over
 * HTTPS), and the browser is sent on to the address without the token. "Lost your link?" mails the links of an
 * address's requests to that address, answering the same whether or not it has any.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class RequestPage {

    /** The session cookie's name; its path is the ticket's page, so each ticket has its own. */
    static final String SESSION_COOKIE = "hub_request";

    private final TicketIntake intake;
    private final TicketValidator validator;
    private final CustomerTexts i18n;
    private final TicketConfig config;
    private final WebConfig webConfig;
    private final Clock clock;
    /** "Lost your link?" per address: 3 at once, then one a minute, across replicas (on top of the per-client throttling). */
    private final LinkRequestLimit perAddress;

    private final Visits visits;
    private final Satisfaction satisfaction;

    public RequestPage(TicketIntake intake, TicketValidator validator, CustomerTexts i18n, TicketConfig config,
            WebConfig webConfig, Clock clock, LinkRequestLimit perAddress, Visits visits, Satisfaction satisfaction) {
        this.satisfaction = satisfaction;
        this.visits = visits;
        this.perAddress = perAddress;
        this.intake = intake;
        this.validator = validator;
        this.i18n = i18n;
        this.config = config;
        this.webConfig = webConfig;
        this.clock = clock;
    }

    /**
     * With the link's token: a session on the ticket, then on to the page without the token. The next address is
     * given by a page that refreshes itself (not a redirect), so that the browser sends the SameSite=Strict cookie:
     * a redirect answering a link followed from a webmail is still a cross-site request, and would go without it.
     * Without a token: the page, for the browser holding a session.
     */
    @GET
    @Path("status/{number}")
    @Operation(hidden = true)
    public Response page(@RestPath String number, @RestQuery String token, @RestQuery String lang,
            @RestQuery String done, @RestCookie(SESSION_COOKIE) String session, @Context UriInfo uri) {
        if (token != null) {
            Optional<Ticket> t = intake.findWithToken(number, token);
            if (t.isEmpty()) {
                return notFound(Language.fromCode(lang).orElse(config.language()));
            }
            Ticket ticket = t.get();
            Language l = Language.fromCode(lang).orElse(ticket.language());
            String target = pagePath(ticket.number()) + (Language.fromCode(lang).isPresent() ? "?lang=" + l.code() : "");
            return noStore(Response.ok(Templates.opening(i18n.texts(l), l.code(), target)))
                    .cookie(sessionCookie(ticket, intake.openSession(ticket, webConfig.statusPage().sessionTtl()), uri,
                            config))
                    .build();
        }
        Optional<Ticket> t = intake.findWithSession(number, session);
        if (t.isEmpty()) {
            return notFound(Language.fromCode(lang).orElse(config.language()));
        }
        Language l = Language.fromCode(lang).orElse(t.get().language());
        return noStore(Response.ok(view(t.get(), l, done, null, "", List.of()))).build();
    }

    /** The customer's reply: a message of the ticket, exactly as if they had answered by mail. */
    @POST
    @Path("status/{number}/reply")
    @Consumes({ MediaType.MULTIPART_FORM_DATA, MediaType.APPLICATION_FORM_URLENCODED })
    @Operation(hidden = true)
    public Response reply(@RestPath String number, @RestForm String message, @RestForm String lang,
            @RestForm("attachments") List<FileUpload> attachments, @RestCookie(SESSION_COOKIE) String session) {
        Optional<Ticket> t = intake.findWithSession(number, session);
        Language l = Language.fromCode(lang).orElse(t.map(Ticket::language).orElse(config.language()));
        if (t.isEmpty()) {
            return notFound(l);
        }
        List<NewTicket.Upload> uploads = WebUploads.read(attachments);
        String text = message == null ? "" : message.strip();
        try {
            validator.validateReply(text, uploads);
        } catch (InvalidTicketException e) {
            return noStore(Response.status(400).entity(view(t.get(), l, null, errors(e, l), text,
                    WebUploads.names(uploads)))).build();
        }
        String body = text.isEmpty() ? "(" + i18n.text(l, "request_files_only") + ")" : text;
        TicketIntake.CustomerReply r = QuarkusTransaction.requiringNew().call(() -> intake.lockForReply(number)
                .map(locked -> intake.customerReply(locked, Channel.WEB, null, null, body, uploads,
                        Author.customerOf(locked), "on the request page", OffsetDateTime.now(clock)))
                .orElseThrow());
        if (r.outcome() == TicketIntake.ReplyOutcome.TOO_LATE) {
            return noStore(Response.status(409).entity(view(t.get(), l, null,
                    Map.of("message", i18n.text(l, "request_too_late")), text, WebUploads.names(uploads)))).build();
        }
        return seeOther(number, l, r.outcome() == TicketIntake.ReplyOutcome.REOPENED ? "reopened" : "sent");
    }

    /**
     * The answer to a reply too large to be received (see {@link TooLargeForms}): the page again, status 413, with
     * the message typed, the limit, and the files named to be chosen again; nothing is added to the ticket. Without
     * the page's session, what any reply without it gets.
     */
    Response tooLarge(String number, String message, String lang, List<String> files, long maxRequestBytes,
            String session) {
        Optional<Ticket> t = intake.findWithSession(number, session);
        Language l = Language.fromCode(lang).orElse(t.map(Ticket::language).orElse(config.language()));
        if (t.isEmpty()) {
            return notFound(l);
        }
        String text = message == null ? "" : message.strip();
        return noStore(Response.status(413).entity(view(t.get(), l, null,
                Map.of("attachments", WebUploads.tooLarge(config, maxRequestBytes, i18n.texts(l))), text, files)))
                .build();
    }

    /** "Solved": recorded in the ticket's history for staff; the ticket stays resolved. */
    @POST
    @Path("status/{number}/solved")
    @Consumes({ MediaType.MULTIPART_FORM_DATA, MediaType.APPLICATION_FORM_URLENCODED })
    @Operation(hidden = true)
    public Response solved(@RestPath String number, @RestForm String lang, @RestCookie(SESSION_COOKIE) String session) {
        Optional<Ticket> t = intake.findWithSession(number, session);
        Language l = Language.fromCode(lang).orElse(t.map(Ticket::language).orElse(config.language()));
        if (t.isEmpty()) {
            return notFound(l);
        }
        intake.confirmSolved(t.get().number());
        return seeOther(number, l, "confirmed");
    }

    /** The customer's answer to the on-site intervention proposed: accepted, or another slot asked for. */
    @POST
    @Path("status/{number}/visit")
    @Consumes({ MediaType.MULTIPART_FORM_DATA, MediaType.APPLICATION_FORM_URLENCODED })
    @Operation(hidden = true)
    public Response visit(@RestPath String number, @RestForm String answer, @RestForm String message,
            @RestForm String lang, @RestCookie(SESSION_COOKIE) String session) {
        Optional<Ticket> t = intake.findWithSession(number, session);
        Language l = Language.fromCode(lang).orElse(t.map(Ticket::language).orElse(config.language()));
        if (t.isEmpty()) {
            return notFound(l);
        }
        boolean accept = "accept".equals(answer);
        if (!accept && !"decline".equals(answer)) {
            return noStore(Response.status(400).entity(view(t.get(), l, null, Map.of(), "", List.of()))).build();
        }
        String text = message == null ? "" : message.strip();
        boolean applied = visits.answer(t.get().id(), accept ? Visits.Answer.ACCEPTED : Visits.Answer.DECLINED,
                text.length() > 500 ? text.substring(0, 500) : text, "request page");
        return seeOther(number, l, applied ? accept ? "visit-accepted" : "visit-declined" : "visit-unchanged");
    }

    /** "Not solved": the ticket is reopened (in JSM too), with the customer's words when they wrote some. */
    @POST
    @Path("status/{number}/not-solved")
    @Consumes({ MediaType.MULTIPART_FORM_DATA, MediaType.APPLICATION_FORM_URLENCODED })
    @Operation(hidden = true)
    public Response notSolved(@RestPath String number, @RestForm String message, @RestForm String lang,
            @RestCookie(SESSION_COOKIE) String session) {
        Optional<Ticket> t = intake.findWithSession(number, session);
        Language l = Language.fromCode(lang).orElse(t.map(Ticket::language).orElse(config.language()));
        if (t.isEmpty()) {
            return notFound(l);
        }
        String text = message == null ? "" : message.strip();
        try {
            validator.validateReply(text.isEmpty() ? "-" : text, List.of());
        } catch (InvalidTicketException e) {
            return noStore(Response.status(400).entity(view(t.get(), l, null, errors(e, l), "", List.of()))).build();
        }
        Optional<Ticket> after = intake.notSolved(t.get().number(), text, List.of());
        if (after.isEmpty()) {
            return noStore(Response.status(409).entity(view(t.get(), l, null,
                    Map.of("message", i18n.text(l, "request_too_late")), "", List.of()))).build();
        }
        return seeOther(number, l, "reopened");
    }

    /** A file of the conversation, downloaded (never shown in the page's origin). */
    @GET
    @Path("status/{number}/files/{id}")
    @Produces(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response file(@RestPath String number, @RestPath String id, @RestCookie(SESSION_COOKIE) String session) {
        Optional<Ticket> t = intake.findWithSession(number, session);
        long attachmentId;
        try {
            attachmentId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            attachmentId = -1;
        }
        long wanted = attachmentId;
        Optional<TicketLedger.StoredAttachment> a = t.flatMap(ticket -> intake.attachment(ticket, wanted));
        if (a.isEmpty()) {
            return notFound(t.map(Ticket::language).orElse(config.language()));
        }
        String name = a.get().filename();
        String ascii = name.replaceAll("[^A-Za-z0-9._ -]", "_");
        return Response.ok(a.get().content(), MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                        + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
                // beside the headers every response gets (application.properties): a file is never run as a page
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .header("Cache-Control", "no-store")
                .build();
    }

    /** "Lost your link?": the form. */
    @GET
    @Path("lost-link")
    @Operation(hidden = true)
    public Response lostLink(@RestQuery String lang, @RestCookie("lang") String cookie,
            @RestHeader(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        Language l = PageLanguage.of(lang, cookie, acceptLanguage, config);
        return Response.ok(Templates.lostLink(i18n.texts(l), l.code(), "", "", false)).build();
    }

    /** Mails the links to the address's requests, to that address only; the answer never tells whether it has any. */
    @POST
    @Path("lost-link")
    @Consumes({ MediaType.MULTIPART_FORM_DATA, MediaType.APPLICATION_FORM_URLENCODED })
    @Operation(hidden = true)
    public Response sendLinks(@RestForm String email, @RestForm String lang) {
        Language l = Language.fromCode(lang).orElse(config.language());
        String address = email == null ? "" : email.strip();
        if (!TicketValidator.isValidEmail(address)) {
            return Response.status(400)
                    .entity(Templates.lostLink(i18n.texts(l), l.code(), address, i18n.text(l, "err_email"), false))
                    .build();
        }
        if (perAddress.acquire(address)) {
            intake.resendLinks(address, l, webConfig.statusPage().linksPerMail());
        }
        return Response.ok(Templates.lostLink(i18n.texts(l), l.code(), address, "", true)).build();
    }

    // --- the page --------------------------------------------------------------------------------------------

    /** A standard exchange's unit, step by step: what happened and when ({@code when} empty: not yet). */
    @TemplateData
    public record ExchangeStep(String what, String when, String whenIso) {
    }

    /** Where a standard exchange's unit is: sent, exchanged on site (the faulty one back), repaired in the workshop. */
    private List<ExchangeStep> exchangeView(Ticket t, Language l, Map<String, String> m) {
        Ticket.Sla sla = t.sla();
        if (sla == null || !"exchange".equals(sla.onSiteKind()) || sla.onSiteDecidedAt() == null) {
            return List.of();
        }
        OffsetDateTime repaired = intake.history(t).stream()
                .filter(e -> "workshop-repaired".equals(e.type()) && !e.at().isBefore(sla.onSiteDecidedAt()))
                .map(TicketLedger.Event::at).reduce((a, b) -> b).orElse(null);
        List<ExchangeStep> steps = new ArrayList<>();
        steps.add(new ExchangeStep(m.get("exchange_sent"), Dates.written(sla.onSiteDecidedAt(), l),
                Dates.iso(sla.onSiteDecidedAt())));
        steps.add(new ExchangeStep(m.get("exchange_done"), sla.onSiteDoneAt() == null ? ""
                : Dates.written(sla.onSiteDoneAt(), l), sla.onSiteDoneAt() == null ? "" : Dates.iso(sla.onSiteDoneAt())));
        steps.add(new ExchangeStep(m.get("exchange_repaired"), repaired == null ? "" : Dates.written(repaired, l),
                repaired == null ? "" : Dates.iso(repaired)));
        return steps;
    }

    /** The on-site intervention as the customer reads it; {@code canAnswer} while it waits for their answer. */
    public record VisitView(String state, String when, String whenIso, String who, String where, boolean canAnswer) {
    }

    private VisitView visitView(Ticket t, Language l, Map<String, String> m) {
        Optional<Visits.Visit> v = visits.current(t.id());
        if (v.isEmpty() || v.get().startsAt() == null || !List.of("invited", "accepted", "done", "cancelled")
                .contains(v.get().status())) {
            return null; // nothing the customer was told of yet
        }
        Visits.Visit visit = v.get();
        String where = (visit.address() == null ? "" : visit.address() + ", ")
                + (visit.postcode() == null ? "" : visit.postcode() + " ") + (visit.town() == null ? "" : visit.town());
        return new VisitView(m.get("visit_" + visit.status()), Dates.written(visit.startsAt(), l),
                Dates.iso(visit.startsAt()), visit.worker(), where.strip(), "invited".equals(visit.status()));
    }

    /**
     * A message of the conversation as the page shows it; {@code label} says what staff's news is (R&D's
     * workaround, the fix delivered), empty for a plain message.
     */
    public record Message(boolean staff, String who, String when, String whenIso, String label, String body,
            List<File> files) {
    }

    /** A file of the conversation: its link, name and size. */
    @TemplateData
    public record File(String href, String name, String size) {
    }

    private TemplateInstance view(Ticket t, Language l, String done, Map<String, String> errors, String typed,
            List<String> lostFiles) {
        Map<String, String> m = i18n.texts(l);
        OffsetDateTime now = OffsetDateTime.now(clock);
        Ticket.Sla sla = t.sla() == null ? Ticket.Sla.NONE : t.sla();
        String state;
        String next;
        switch (t.status()) {
            case NEW -> {
                state = m.get("status_new");
                next = sla.takeChargeDue() == null ? m.get("next_new")
                        : m.get("next_new_by").replace("{at}", Dates.written(sla.takeChargeDue(), l));
            }
            case IN_PROGRESS -> {
                state = m.get("status_in_progress");
                next = m.get("next_in_progress");
            }
            case WAITING_ON_CUSTOMER -> {
                state = m.get("status_waiting_on_customer");
                next = m.get("next_waiting");
            }
            case RESOLVED -> {
                state = m.get("status_resolved");
                next = "";
            }
            default -> {
                state = m.get("status_closed");
                next = "";
            }
        }
        boolean resolved = t.status() == TicketStatus.RESOLVED;
        boolean tooLate = intake.tooLateToReopen(t, now);
        Optional<OffsetDateTime> confirmed = resolved ? intake.confirmedAt(t) : Optional.empty();
        List<Message> conversation = new ArrayList<>();
        for (TicketLedger.ConversationMessage c : intake.conversation(t)) {
            boolean staff = "OUT".equals(c.direction());
            String who = staff ? (c.author() == null || c.author().isBlank() ? m.get("request_staff")
                    : m.get("request_staff_named").replace("{name}", c.author())) : m.get("request_you");
            List<File> files = c.attachments().stream().map(a -> new File(pagePath(t.number()) + "/files/" + a.id(),
                    a.filename(), size(a.size(), l))).toList();
            String label = "";
            String body = c.body();
            if (TicketLedger.WORKAROUND.equals(c.kind())) {
                label = m.get("request_workaround");
            } else if (TicketLedger.FIX_DELIVERED.equals(c.kind())) {
                // the body is the version: the page says it in its own language, as the mail did in the ticket's
                label = m.get("request_fix_label");
                body = body == null || body.isBlank() ? m.get("request_fix_delivered_plain")
                        : m.get("request_fix_delivered").replace("{version}", body);
            }
            conversation.add(new Message(staff, who, Dates.written(c.at(), l), Dates.iso(c.at()), label, body, files));
        }
        Map<String, String> errs = errors == null ? Map.of() : errors;
        String resolvedAt = Dates.written(sla.resolvedAt(), l);
        String takenAt = Dates.written(sla.takenInChargeAt(), l);
        boolean canReopen = resolved && !tooLate;
        String confirmedAt = confirmed.map(at -> Dates.written(at, l)).orElse("");
        boolean canReply = !tooLate;
        String kind = t.kind() == null ? m.get("kind_unknown") : m.get("kind_" + t.kind().code());
        String impact = t.criticality() == null ? m.get("impact_unknown") : m.get("impact_" + t.criticality().code());
        String doneText = done == null || !List.of("sent", "reopened", "confirmed", "visit-accepted",
                "visit-declined", "visit-unchanged", "rated").contains(done) ? "" : m.get("request_done_" + done);
        String lost = lostFiles.isEmpty() ? ""
                : m.get("files_not_kept").replace("{files}", String.join(", ", lostFiles));
        String reopenHelp = m.get("request_reopen_window").replace("{days}",
                String.valueOf(config.reopenWindow().toDays()));
        return Templates.status(m, l.code(), t, pagePath(t.number()), state, next, resolved, resolvedAt,
                Dates.iso(sla.resolvedAt()), takenAt, Dates.iso(sla.takenInChargeAt()), canReopen, tooLate,
                confirmedAt, confirmed.map(Dates::iso).orElse(""), canReply, Dates.written(t.createdAt(), l), Dates.iso(t.createdAt()),
                kind, impact, conversation, visitView(t, l, m), exchangeView(t, l, m), doneText, !errs.isEmpty(),
                errs.getOrDefault("message", ""), errs.getOrDefault("attachments", ""), typed, lost,
                WebUploads.limits(config, m), reopenHelp,
                SatisfactionForm.of(satisfaction, t, l, m, null, "", "", ""));
    }

    private Map<String, String> errors(InvalidTicketException e, Language l) {
        Map<String, String> m = i18n.texts(l);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (InvalidParam p : e.invalidParams()) {
            if (p.name().equals("message")) {
                out.put("message", p.reason().equals("is required") ? m.get("err_message_required")
                        : m.get("err_message_long"));
            } else {
                out.merge("attachments", WebUploads.error(p, m), (a, b) -> a + " " + b);
            }
        }
        return out;
    }

    private static String size(long bytes, Language l) {
        if (bytes < 1024) {
            return bytes + (l == Language.FR ? " o" : " B");
        }
        String unit = l == Language.FR ? (bytes < 1024 * 1024 ? " Ko" : " Mo") : (bytes < 1024 * 1024 ? " KB" : " MB");
        double v = bytes < 1024 * 1024 ? bytes / 1024.0 : bytes / (1024.0 * 1024);
        return String.format(l.locale(), v < 10 ? "%.1f" : "%.0f", v) + unit;
    }

    private Response seeOther(String number, Language l, String done) {
        return Response.seeOther(URI.create(pagePath(number) + "?lang=" + l.code() + "&done=" + done + "#state"))
                .header("Cache-Control", "no-store").build();
    }

    private Response notFound(Language l) {
        return noStore(Response.status(404).entity(Templates.notFound(i18n.texts(l), l.code()))).build();
    }

    private static Response.ResponseBuilder noStore(Response.ResponseBuilder r) {
        return r.header("Cache-Control", "no-store"); // Referrer-Policy: no-referrer on every response already
    }

    static String pagePath(String number) {
        return "/status/" + number;
    }

    static NewCookie sessionCookie(Ticket t, String session, UriInfo uri, TicketConfig config) {
        return sessionCookie(SESSION_COOKIE, session, pagePath(t.number()), uri, config);
    }

    /**
     * A page's session cookie, valid on {@code path} only: HttpOnly, SameSite=Strict, Secure when the hub is reached
     * over HTTPS. No Max-Age: a browser session; the hub ends it after {@code hub.status-page.session-ttl} anyway.
     */
    static NewCookie sessionCookie(String name, String session, String path, UriInfo uri, TicketConfig config) {
        boolean https = "https".equalsIgnoreCase(uri.getRequestUri().getScheme())
                || config.publicUrl().toLowerCase(Locale.ROOT).startsWith("https:");
        return new NewCookie.Builder(name).value(session).path(path).httpOnly(true).secure(https)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }


}
