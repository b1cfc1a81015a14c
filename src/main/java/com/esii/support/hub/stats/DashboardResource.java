package com.esii.support.hub.stats;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.StaffTexts;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The managers' dashboard: {@code GET /admin/dashboard?from=YYYY-MM-DD&to=YYYY-MM-DD&lang=fr|en|es} (default: the
 * last 12 months, in the desk's language {@code hub.desk.language}) shows the brochure's figures month by month
 * as charts (SVG drawn here, no script) and tables; {@code GET /admin/dashboard.csv?from=&to=} (or
 * {@code /admin/dashboard?format=csv}) gives the same figures as CSV ({@link DashboardCsv}). Admin only, like the
 * figures' API.
 */
@Path("/admin")
@RolesAllowed(AdminIdentityProvider.ROLE)
public class DashboardResource {

    private static final String HTML = "text/html;charset=UTF-8";

    private final Dashboard dashboard;
    private final DashboardTexts texts;
    private final Language deskLanguage;

    /** Managers are staff: the page speaks the desk's language unless {@code ?lang=} asks for another. */
    public DashboardResource(Dashboard dashboard, DashboardTexts texts, StaffTexts staff) {
        this.dashboard = dashboard;
        this.texts = texts;
        this.deskLanguage = staff.language();
    }

    /** The period asked, or the text key of what is wrong with it. */
    private record Asked(LocalDate first, LocalDate last, String error) {
    }

    @GET
    @Path("dashboard")
    public Response page(@RestQuery String from, @RestQuery String to, @RestQuery String lang,
            @RestQuery String format) {
        if (format != null && format.strip().equalsIgnoreCase("csv")) {
            return csv(from, to);
        }
        Language l = lang == null ? deskLanguage : Language.fromCode(lang).orElse(deskLanguage);
        Asked asked = asked(from, to);
        if (asked.error() != null) {
            String error = texts.text(l, asked.error()).replace("{days}", String.valueOf(StatsResource.MAX_DAYS));
            return html(400, DashboardPage.error(l, texts, from, to, error));
        }
        return html(200, DashboardPage.of(dashboard.report(asked.first(), asked.last()), l, texts,
                dashboard.interventions(asked.first(), asked.last())));
    }

    @GET
    @Path("dashboard.csv")
    public Response csv(@RestQuery String from, @RestQuery String to) {
        Asked asked = asked(from, to);
        if (asked.error() != null) {
            return Response.status(400).type("application/problem+json").header("Cache-Control", "no-store")
                    .entity(Map.of("title", "Bad period", "status", 400, "detail",
                            texts.text(Language.EN, asked.error()).replace("{days}", String.valueOf(StatsResource.MAX_DAYS))))
                    .build();
        }
        DashboardReport report = dashboard.report(asked.first(), asked.last());
        return Response.ok(DashboardCsv.write(report)).type("text/csv;charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"support-figures_" + report.from() + "_"
                        + report.to() + ".csv\"")
                .header("Cache-Control", "no-store").build();
    }

    private Asked asked(String from, String to) {
        LocalDate first;
        LocalDate last;
        try {
            LocalDate[] period = dashboard.defaultPeriod();
            last = to == null || to.isBlank() ? period[1] : LocalDate.parse(to.strip());
            first = from == null || from.isBlank() ? (to == null || to.isBlank() ? period[0]
                    : last.withDayOfMonth(1).minusMonths(11)) : LocalDate.parse(from.strip());
        } catch (DateTimeParseException e) {
            return new Asked(null, null, "error_dates");
        }
        if (first.isAfter(last)) {
            return new Asked(null, null, "error_order");
        }
        if (ChronoUnit.DAYS.between(first, last) >= StatsResource.MAX_DAYS) {
            return new Asked(null, null, "error_range");
        }
        return new Asked(first, last, null);
    }

    private Response html(int status, DashboardPage page) {
        return Response.status(status).type(HTML).header("Cache-Control", "no-store")
                .entity(Templates.dashboard(page).render()).build();
    }

    /** The page, {@code templates/dashboard/dashboard.html}, checked when the application is built. */
    @CheckedTemplate(basePath = "dashboard")
    static final class Templates {

        private Templates() {
        }

        static native TemplateInstance dashboard(DashboardPage page);
    }
}
