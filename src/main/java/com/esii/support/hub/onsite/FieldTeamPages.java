package com.esii.support.hub.onsite;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestQuery;

import com.esii.support.hub.security.AdminFrame;
import com.esii.support.hub.security.AdminIdentityProvider;
import com.esii.support.hub.security.AdminPages;

import io.quarkus.qute.TemplateData;

/**
 * The field team's page, for a browser ({@code GET /admin/field-team}, where other clients get
 * {@link FieldTeamAdmin}'s JSON): the technicians and partners, and the absences from yesterday on. Changes go
 * through the JSON API.
 */
@Path("/admin/field-team")
@RolesAllowed(AdminIdentityProvider.ROLE)
public class FieldTeamPages {

    @TemplateData
    public record MemberView(String code, String name, String kind, String email, String phone, String base,
            String departments, String hours) {
    }

    @TemplateData
    public record AbsenceView(String worker, OffsetDateTime from, OffsetDateTime to, String reason) {
    }

    @TemplateData
    public record TeamView(List<MemberView> members, List<AbsenceView> absences) {
    }

    private final AdminPages pages;
    private final FieldTeam team;
    private final Clock clock;

    public FieldTeamPages(AdminPages pages, FieldTeam team, Clock clock) {
        this.pages = pages;
        this.team = team;
        this.clock = clock;
    }

    /** In the same place as {@link FieldTeamAdmin#team()}, which consumes JSON, so that only the Accept header decides. */
    @GET
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(AdminPages.PAGE)
    public Response page(@RestQuery String lang, @Context UriInfo uri) {
        AdminFrame frame = pages.frame("field-team", lang, uri);
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<FieldTeam.Member> members = team.members();
        Map<String, String> names = members.stream().collect(Collectors.toMap(FieldTeam.Member::code,
                FieldTeam.Member::name, (a, b) -> a));
        List<MemberView> views = members.stream().map(m -> new MemberView(m.code(), m.name(),
                frame.text("admin.field-team.kind." + m.kind()), m.email(), m.phone() == null ? "" : m.phone(),
                m.basePostcode(), String.join(", ", m.departments()),
                m.hours() == null ? frame.text("admin.field-team.desk-hours") : m.hours())).toList();
        List<AbsenceView> absences = team.absences(now.minusDays(1), now.plusYears(1)).stream()
                .map(a -> new AbsenceView(names.getOrDefault(a.worker(), a.worker()) + " (" + a.worker() + ")", a.from(),
                        a.to(), a.reason())).toList();
        return AdminPages.page(Templates.fieldTeam(frame, new TeamView(views, absences)));
    }
}
