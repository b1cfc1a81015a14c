package com.esii.support.hub.web;

import com.esii.support.hub.ticket.DeskHours;
import com.esii.support.hub.ticket.CustomerTexts;
import com.esii.support.hub.ticket.StatusLinks;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.IdempotencyKey;
import com.esii.support.hub.ticket.InvalidParam;
import com.esii.support.hub.ticket.InvalidTicketException;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.NewTicket;
import com.esii.support.hub.ticket.OpenedTicket;
import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.util.DatabaseAway;
import com.esii.support.hub.util.Hashes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.qute.TemplateInstance;

/**
 * The customers' web form (server-rendered, works without JavaScript) and the ticket status page that the
 * acknowledgement links to. French, English or Spanish: from {@code ?lang=}, then the {@code lang} cookie the
 * switch sets, then Accept-Language.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class WebForm {

    private static final Logger LOG = Logger.getLogger(WebForm.class);

    private final TicketIntake intake;
    private final StatusLinks links;
    private final CustomerTexts i18n;
    private final TicketConfig config;
    private final WebConfig webConfig;
    private final ObjectMapper json;
    private final MeterRegistry metrics;

    public WebForm(TicketIntake intake, StatusLinks links, CustomerTexts i18n, TicketConfig config,
            WebConfig webConfig, ObjectMapper json, MeterRegistry metrics) {
        this.intake = intake;
        this.links = links;
        this.i18n = i18n;
        this.config = config;
        this.webConfig = webConfig;
        this.json = json;
        this.metrics = metrics;
    }

    /** What the customer typed, sent back with the errors so that nothing has to be typed again. */
    public record Fields(String name, String email, String company, String accessCode, String product,
            String subject, String description, String impact, String kind, String formKey) {
    }

    @GET
    @Operation(hidden = true)
    public Response form(@RestQuery String lang, @RestCookie("lang") String cookie,
            @RestHeader(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        Language l = PageLanguage.of(lang, cookie, acceptLanguage, config);
        Fields empty = new Fields("", "", "", "", "", "", "", "", "problem", UUID.randomUUID().toString());
        Response.ResponseBuilder r = Response.ok(formPage(l, empty, noErrors(), List.of(), false));
        if (Language.fromCode(lang).isPresent()) {
            r.cookie(languageCookie(l));
        }
        return r.build();
    }

    private static NewCookie languageCookie(Language l) {
        return new NewCookie.Builder("lang").value(l.code()).path("/").maxAge(365 * 24 * 3600)
                .sameSite(NewCookie.SameSite.LAX).httpOnly(true).build();
    }

    /** A language of the switch. */
    @io.quarkus.qute.TemplateData
    public record LanguageOption(String code, String name) {
    }

    private static final List<LanguageOption> LANGUAGES = List.of(new LanguageOption("fr", "Français"),
            new LanguageOption("en", "English"), new LanguageOption("es", "Español"));

    /**
     * The form, with what was typed, the errors (one sentence per field) and the files that could not be kept; the
     * desk's hours and urgent number, the attachment limits and the privacy notice from the configuration.
     */
    private TemplateInstance formPage(Language l, Fields f, Map<String, String> errors, List<String> lostFiles,
            boolean switched) {
        return formPage(l, f, errors, lostFiles, switched, "");
    }

    /** The form with a notice over it ({@code unavailable}: the hub could not take it now; empty: none). */
    private TemplateInstance formPage(Language l, Fields f, Map<String, String> errors, List<String> lostFiles,
            boolean switched, String unavailable) {
        Map<String, String> m = i18n.texts(l);
        TicketConfig.Desk desk = config.desk();
        boolean hasErrors = errors.values().stream().anyMatch(e -> !e.isEmpty());
        String urgentCall = m.get("urgent_call").replace(" {phone}", "").replace("{phone}", "");
        String urgentPhone = desk.urgentPhone();
        String urgentTel = desk.urgentPhone().replaceAll("[^0-9+]", "");
        String urgentAbroad = desk.urgentPhoneAbroad().filter(p -> !p.isBlank())
                .map(p -> m.get("urgent_abroad").replace("{phone}", p)).orElse("");
        String urgentHours = m.get("urgent_hours").replace("{hours}", DeskHours.written(desk.hours(), l));
        String privacyNotice = desk.privacyNotice().filter(p -> !p.isBlank()).orElse(m.get("privacy_notice"));
        String privacyUrl = desk.privacyUrl().filter(p -> !p.isBlank()).orElse("");
        String lost = lostFiles.isEmpty() ? ""
                : m.get("files_not_kept").replace("{files}", String.join(", ", lostFiles));
        return Templates.form(m, l.code(), f, errors, hasErrors, LANGUAGES, switched, urgentCall, urgentPhone,
                urgentTel, urgentAbroad, urgentHours, WebUploads.limits(config, m), privacyNotice, privacyUrl, lost,
                unavailable);
    }

    @POST
    @Consumes({ MediaType.MULTIPART_FORM_DATA, MediaType.APPLICATION_FORM_URLENCODED })
    @Operation(hidden = true)
    public Response submit(@RestForm String name, @RestForm String email, @RestForm String company,
            @RestForm String accessCode, @RestForm String product, @RestForm String subject,
            @RestForm String description, @RestForm String impact, @RestForm String kind, @RestForm String lang,
            @RestForm String formKey, @RestForm String website, @RestForm("attachments") List<FileUpload> attachments,
            @RestForm String switchLang,
            @RestCookie("lang") String cookie, @RestHeader(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        Language l = PageLanguage.of(lang, cookie, acceptLanguage, config);
        Fields f = new Fields(name, email, company, accessCode, product, subject, description, impact, kind, formKey);
        Optional<Language> switchTo = Language.fromCode(switchLang);
        if (switchTo.isPresent()) {
            // The language switch submits the form: the same form again in that language, with what was typed.
            return Response.ok(formPage(switchTo.get(), f, noErrors(), chosenFiles(attachments), true))
                    .cookie(languageCookie(switchTo.get())).build();
        }
        if (website != null && !website.isBlank()) {
            // The honeypot field is invisible to people: only a bot fills it. Answer as if all went well.
            metrics.counter("hub.web.spam").increment();
            LOG.infof("Web form submission dropped: honeypot filled");
            return Response.ok(Templates.received(i18n.texts(l), l.code())).build();
        }
        List<NewTicket.Upload> uploads = WebUploads.read(attachments);
        NewTicket t = new NewTicket(Channel.WEB, name, email, company, accessCode, product, subject, description,
                blankToNull(impact), blankToNull(kind), l.code(), uploads,
                new NewTicket.RawContent("application/json", raw(f, l, attachments)));
        try {
            // The same content from the same address again within the window (Back then submit, a double click,
            // a second tab) is the ticket it opened. Its status link comes back only to the same page (its form
            // key, the secret the token was kept sealed under); another page is told the link is in the mail.
            IdempotencyKey repeat = IdempotencyKey.sameContent(contentHash(f), tokenSecret(formKey),
                    webConfig.web().resubmitWindow());
            OpenedTicket o = intake.open(t, repeat, l);
            if (o.replayed()) {
                LOG.infof("Web form submitted again: answered with ticket %s", o.ticket().number());
            }
            String statusUrl = o.accessToken() == null ? null : links.statusUrl(o.ticket().number(), o.accessToken());
            Map<String, String> m = i18n.texts(l);
            boolean codeUnknown = o.ticket().triage() != null && o.ticket().triage().accessCodeUnknown();
            String codeNotice = codeUnknown ? m.get("submitted_code_unknown").replace("{code}", o.ticket().accessCode())
                    : null;
            return Response.ok(Templates.submitted(m, l.code(), o.ticket().number(), o.ticket().customerEmail(),
                    o.replayed(), statusUrl, codeNotice)).header("Cache-Control", "no-store").build();
        } catch (InvalidTicketException e) {
            // A browser cannot be given files back: the page names those chosen, to be chosen again.
            return Response.status(400).entity(formPage(l, f, errors(e, l), chosenFiles(attachments), false)).build();
        } catch (RuntimeException e) {
            if (!DatabaseAway.isCause(e)) {
                throw e;
            }
            // A database restart: nothing was stored. The form again, as typed, saying to send it again shortly.
            LOG.warnf("Web form answered 503: the database is unreachable (%s)", e.getMessage());
            return Response.status(503)
                    .entity(formPage(l, f, noErrors(), chosenFiles(attachments), false, i18n.texts(l).get("unavailable")))
                    .header("Retry-After", String.valueOf(DatabaseAway.RETRY_AFTER_SECONDS))
                    .header("Cache-Control", "no-store").build();
        }
    }

    /**
     * The answer to a form too large to be received (see {@link TooLargeForms}): the form again, status 413, with
     * what was typed ({@code typed}: the text fields read while the files were thrown away), the limit, and the
     * files named to be chosen again. The honeypot and the language switch as for any submission.
     */
    Response tooLarge(Map<String, String> typed, List<String> files, long maxRequestBytes, String cookie,
            String acceptLanguage) {
        Language l = Language.fromCode(typed.get("switchLang"))
                .orElseGet(() -> PageLanguage.of(typed.get("lang"), cookie, acceptLanguage, config));
        String website = typed.get("website");
        if (website != null && !website.isBlank()) {
            metrics.counter("hub.web.spam").increment();
            return Response.ok(Templates.received(i18n.texts(l), l.code())).build();
        }
        Fields f = new Fields(typed.get("name"), typed.get("email"), typed.get("company"), typed.get("accessCode"),
                typed.get("product"), typed.get("subject"), typed.get("description"), typed.get("impact"),
                typed.get("kind"), typed.get("formKey"));
        Map<String, String> errors = noErrors();
        errors.put("attachments", WebUploads.tooLarge(config, maxRequestBytes, i18n.texts(l)));
        return Response.status(413).entity(formPage(l, f, errors, files, false)).build();
    }

    /** One clear sentence per bad field, for the case at hand (missing, too long, malformed, a refused file). */
    private Map<String, String> errors(InvalidTicketException e, Language l) {
        Map<String, String> m = i18n.texts(l);
        Map<String, String> errors = noErrors();
        for (InvalidParam p : e.invalidParams()) {
            String field = p.name().startsWith("attachments") ? "attachments" : p.name();
            String text;
            if (field.equals("attachments")) {
                text = WebUploads.error(p, m);
            } else if (p.reason().startsWith("must be at most")) {
                text = m.getOrDefault("err_" + field + "_long", m.getOrDefault("err_" + field, p.reason()));
            } else if (p.reason().equals("is required")) {
                text = m.getOrDefault("err_" + field + "_required", m.getOrDefault("err_" + field, p.reason()));
            } else {
                text = m.getOrDefault("err_" + field, p.reason());
            }
            errors.merge(field, text, (x, y) -> x.isEmpty() || x.equals(y) ? y : x + " " + y);
        }
        return errors;
    }

    private static List<String> chosenFiles(List<FileUpload> files) {
        return files == null ? List.of() : files.stream().map(FileUpload::fileName)
                .filter(n -> n != null && !n.isBlank()).toList();
    }

    /** Every field, with no error: the template asks each one. */
    private static Map<String, String> noErrors() {
        Map<String, String> errors = new LinkedHashMap<>();
        for (String field : FIELDS) {
            errors.put(field, "");
        }
        return errors;
    }

    private static final List<String> FIELDS = List.of("name", "email", "company", "accessCode", "product", "kind",
            "impact", "subject", "description", "attachments");

    /**
     * What makes two submissions of the form the same request: every field the customer typed or chose that a
     * browser fills again after Back, with the sender's address, after Unicode NFC, collapsing runs of white space
     * and trimming (a browser may send a textarea's line ends differently); the address and the choices in lower
     * case. Not the language or the form key, and no field a browser may leave empty after Back: the files, and the
     * access code (its field is {@code autocomplete="off"}, so a browser that shows the page again from its saved
     * form state leaves it empty; issue 26). A request sent again without its code, or with another one, is the
     * ticket the first opened, triaged by the code it came with.
     */
    static String contentHash(Fields f) {
        StringBuilder b = new StringBuilder();
        for (String s : new String[] { f.name(), lower(f.email()), f.company(), f.product(), f.subject(),
                f.description(), lower(f.impact()), lower(f.kind()) }) {
            b.append(s == null ? "" : WHITE_SPACE.matcher(Normalizer.normalize(s, Normalizer.Form.NFC)).replaceAll(" ")
                    .strip()).append('\u0000');
        }
        return Hashes.sha256Hex(b.toString());
    }

    private static final java.util.regex.Pattern WHITE_SPACE = java.util.regex.Pattern.compile("\\s+",
            java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /** The form key the page was rendered with, when it is one of ours (a random UUID): the token's sealing secret. */
    private static String tokenSecret(String formKey) {
        return formKey == null || formKey.strip().length() < 16 || formKey.length() > 100 ? null : formKey.strip();
    }

    private byte[] raw(Fields f, Language l, List<FileUpload> files) {
        Map<String, Object> raw = new LinkedHashMap<>();
        // Without the form key: it is the secret the ticket's access token is sealed under.
        raw.put("fields", new Fields(f.name(), f.email(), f.company(), f.accessCode(), f.product(), f.subject(),
                f.description(), f.impact(), f.kind(), null));
        raw.put("language", l.code());
        raw.put("attachments", files == null ? List.of() : files.stream().map(FileUpload::fileName).toList());
        try {
            return json.writeValueAsBytes(raw);
        } catch (JsonProcessingException e) {
            return f.toString().getBytes(StandardCharsets.UTF_8);
        }
    }



    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
