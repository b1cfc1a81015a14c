package com.esii.support.hub.onsite;

import java.util.List;

import com.esii.support.hub.security.AdminFrame;
import com.esii.support.hub.ticket.Ticket;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The on-site letters, {@code templates/onsite/<letter>-<language>.txt} ({@code inviteFr} is {@code invite-fr.txt}):
 * the customer's, in the ticket's language, and the technician's job sheet, in the desk's. A {@code $subject}
 * method renders the letter's subject, a hidden fragment of the same file (the whole file's method takes the
 * subject's parameters too: the build checks every expression of the file against it). Dates and times come written out
 * ({@link OnSiteTexts#when}, {@code StaffTexts.time}); a cancellation's reason is a phrase of
 * {@code onsite_xx.properties}. Checked when the application is built: a template missing, or an expression that
 * its parameters do not have, fails the build.
 */
@CheckedTemplate(basePath = "onsite", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
final class Templates {

    private Templates() {
    }

    // The invitation, or its update (a changed appointment: update true, said in the subject).

    static native TemplateInstance inviteFr(Ticket t, String when, String duration, String worker, String site,
            boolean update);

    static native TemplateInstance inviteEn(Ticket t, String when, String duration, String worker, String site,
            boolean update);

    static native TemplateInstance inviteEs(Ticket t, String when, String duration, String worker, String site,
            boolean update);

    static native TemplateInstance inviteFr$subject(Ticket t, String when, boolean update);

    static native TemplateInstance inviteEn$subject(Ticket t, String when, boolean update);

    static native TemplateInstance inviteEs$subject(Ticket t, String when, boolean update);

    // The cancellation.

    static native TemplateInstance cancelFr(Ticket t, String when, String reason);

    static native TemplateInstance cancelEn(Ticket t, String when, String reason);

    static native TemplateInstance cancelEs(Ticket t, String when, String reason);

    static native TemplateInstance cancelFr$subject(Ticket t, String when);

    static native TemplateInstance cancelEn$subject(Ticket t, String when);

    static native TemplateInstance cancelEs$subject(Ticket t, String when);

    // The reminder, the working day before.

    static native TemplateInstance reminderFr(Ticket t, String when, String worker, String site);

    static native TemplateInstance reminderEn(Ticket t, String when, String worker, String site);

    static native TemplateInstance reminderEs(Ticket t, String when, String worker, String site);

    static native TemplateInstance reminderFr$subject(Ticket t, String when);

    static native TemplateInstance reminderEn$subject(Ticket t, String when);

    static native TemplateInstance reminderEs$subject(Ticket t, String when);

    // A time the customer proposed that cannot be taken: the next possible slots, the current appointment.

    static native TemplateInstance counterFr(Ticket t, String when, List<String> slots, String current);

    static native TemplateInstance counterEn(Ticket t, String when, List<String> slots, String current);

    static native TemplateInstance counterEs(Ticket t, String when, List<String> slots, String current);

    static native TemplateInstance counterFr$subject(Ticket t, String when);

    static native TemplateInstance counterEn$subject(Ticket t, String when);

    static native TemplateInstance counterEs$subject(Ticket t, String when);

    // The technician's job sheet: contact null for the ticket's customer, travelMinutes null when not computed,
    // exchange true when a standard exchange unit is to be brought; cancelled marks the subject of a cancellation.

    static native TemplateInstance jobSheetFr(Ticket t, String site, String contact, String when, String duration,
            Integer travelMinutes, boolean exchange, String town, boolean cancelled);

    static native TemplateInstance jobSheetEn(Ticket t, String site, String contact, String when, String duration,
            Integer travelMinutes, boolean exchange, String town, boolean cancelled);

    static native TemplateInstance jobSheetEs(Ticket t, String site, String contact, String when, String duration,
            Integer travelMinutes, boolean exchange, String town, boolean cancelled);

    static native TemplateInstance jobSheetFr$subject(Ticket t, String town, String when, boolean cancelled);

    static native TemplateInstance jobSheetEn$subject(Ticket t, String town, String when, boolean cancelled);

    static native TemplateInstance jobSheetEs$subject(Ticket t, String town, String when, boolean cancelled);

    // The field team's admin page (FieldTeamPages), inside admin/layout.html.

    static native TemplateInstance fieldTeam(AdminFrame frame, FieldTeamPages.TeamView view);
}
