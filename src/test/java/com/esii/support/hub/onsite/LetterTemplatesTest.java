package com.esii.support.hub.onsite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.Criticality;
import com.esii.support.hub.ticket.Kind;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketStatus;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The on-site letters' templates ({@code templates/onsite/}): in every language each value given to a letter or its
 * subject is in it (a template that lost a parameter fails here; one naming a parameter it does not have fails the
 * build), and the English letters read word for word and line for line as customers and technicians know them.
 */
@QuarkusTest
class LetterTemplatesTest extends HubTestResources {

    static final String SITE = "560 avenue du Colonel André Pavelet, 34000 Montpellier";

    static Ticket ticket(String company, String jsmKey, String product, String description) {
        OffsetDateTime at = OffsetDateTime.parse("2026-12-03T10:00:00+01:00");
        return new Ticket(42, "SUP-2026-000042", Channel.EMAIL, "Ann Lee", "ann@example.com", company, "4711-2026",
                product, Language.EN, "Kiosk frozen {ticket}", description, Kind.PROBLEM, Criticality.MAJOR,
                TicketStatus.NEW, "h", jsmKey, at, at, Ticket.Triage.NONE, Ticket.Sla.NONE);
    }

    static Ticket full() {
        return ticket("Clinique Saint-Roch", "SD-7", "Kiosk K2", "Frozen since 9.\nRestarted twice.");
    }

    static String invite(Language l, Ticket t, boolean update) {
        return (switch (l) {
            case FR -> Templates.inviteFr(t, "WHEN", "2 h", "Paul Martin", SITE, update);
            case EN -> Templates.inviteEn(t, "WHEN", "2 h", "Paul Martin", SITE, update);
            case ES -> Templates.inviteEs(t, "WHEN", "2 h", "Paul Martin", SITE, update);
        }).render();
    }

    static String inviteSubject(Language l, Ticket t, boolean update) {
        return (switch (l) {
            case FR -> Templates.inviteFr$subject(t, "WHEN", update);
            case EN -> Templates.inviteEn$subject(t, "WHEN", update);
            case ES -> Templates.inviteEs$subject(t, "WHEN", update);
        }).render().strip();
    }

    static String cancel(Language l, Ticket t) {
        return (switch (l) {
            case FR -> Templates.cancelFr(t, "WHEN", "REASON");
            case EN -> Templates.cancelEn(t, "WHEN", "REASON");
            case ES -> Templates.cancelEs(t, "WHEN", "REASON");
        }).render();
    }

    static String cancelSubject(Language l, Ticket t) {
        return (switch (l) {
            case FR -> Templates.cancelFr$subject(t, "WHEN");
            case EN -> Templates.cancelEn$subject(t, "WHEN");
            case ES -> Templates.cancelEs$subject(t, "WHEN");
        }).render().strip();
    }

    static String reminder(Language l, Ticket t) {
        return (switch (l) {
            case FR -> Templates.reminderFr(t, "WHEN", "Paul Martin", SITE);
            case EN -> Templates.reminderEn(t, "WHEN", "Paul Martin", SITE);
            case ES -> Templates.reminderEs(t, "WHEN", "Paul Martin", SITE);
        }).render();
    }

    static String reminderSubject(Language l, Ticket t) {
        return (switch (l) {
            case FR -> Templates.reminderFr$subject(t, "WHEN");
            case EN -> Templates.reminderEn$subject(t, "WHEN");
            case ES -> Templates.reminderEs$subject(t, "WHEN");
        }).render().strip();
    }

    static String counter(Language l, Ticket t, List<String> slots) {
        return (switch (l) {
            case FR -> Templates.counterFr(t, "PROPOSED", slots, "CURRENT");
            case EN -> Templates.counterEn(t, "PROPOSED", slots, "CURRENT");
            case ES -> Templates.counterEs(t, "PROPOSED", slots, "CURRENT");
        }).render();
    }

    static String counterSubject(Language l, Ticket t) {
        return (switch (l) {
            case FR -> Templates.counterFr$subject(t, "PROPOSED");
            case EN -> Templates.counterEn$subject(t, "PROPOSED");
            case ES -> Templates.counterEs$subject(t, "PROPOSED");
        }).render().strip();
    }

    static String jobSheet(Language l, Ticket t, String contact, Integer travel, boolean exchange) {
        return (switch (l) {
            case FR -> Templates.jobSheetFr(t, SITE, contact, "SWHEN", "2 h", travel, exchange, "Montpellier", false);
            case EN -> Templates.jobSheetEn(t, SITE, contact, "SWHEN", "2 h", travel, exchange, "Montpellier", false);
            case ES -> Templates.jobSheetEs(t, SITE, contact, "SWHEN", "2 h", travel, exchange, "Montpellier", false);
        }).render();
    }

    static String jobSubject(Language l, Ticket t, String town, boolean cancelled) {
        return (switch (l) {
            case FR -> Templates.jobSheetFr$subject(t, town, "SWHEN", cancelled);
            case EN -> Templates.jobSheetEn$subject(t, town, "SWHEN", cancelled);
            case ES -> Templates.jobSheetEs$subject(t, town, "SWHEN", cancelled);
        }).render().strip();
    }

    @Test
    void everyLanguageSaysEveryValue() {
        Ticket t = full();
        List<String> missing = new ArrayList<>();
        for (Language l : Language.values()) {
            missing(missing, l + " invitation", invite(l, t, false), "Ann Lee", "SUP-2026-000042", "WHEN", "2 h",
                    "Paul Martin", SITE);
            missing(missing, l + " invitation's subject", inviteSubject(l, t, false), "[SUP-2026-000042] ", "WHEN");
            missing(missing, l + " update's subject", inviteSubject(l, t, true), "[SUP-2026-000042] ", "WHEN");
            missing(missing, l + " cancellation", cancel(l, t), "Ann Lee", "SUP-2026-000042", "WHEN", "(REASON)");
            missing(missing, l + " cancellation's subject", cancelSubject(l, t), "[SUP-2026-000042] ", "WHEN");
            missing(missing, l + " reminder", reminder(l, t), "Ann Lee", "SUP-2026-000042", "WHEN", "Paul Martin",
                    "(" + SITE + ")");
            missing(missing, l + " reminder's subject", reminderSubject(l, t), "[SUP-2026-000042] ", "WHEN");
            missing(missing, l + " counter", counter(l, t, List.of("SLOT1", "SLOT2")), "Ann Lee", "PROPOSED",
                    "\n\n  - SLOT1\n  - SLOT2\n\n", "CURRENT");
            String none = counter(l, t, List.of());
            missing(missing, l + " counter without slots", none, "Ann Lee", "PROPOSED", "CURRENT");
            String slotted = counter(l, t, List.of("SLOT1"));
            String intro = slotted.substring(slotted.lastIndexOf(").", slotted.indexOf("SLOT1")) + 2,
                    slotted.indexOf("\n\n  - SLOT1")); // "The next possible slots are:"
            if (none.contains(intro) || none.contains("  - ") || none.contains("\n\n\n")) {
                missing.add(l + " counter without slots announces a list: " + none);
            }
            missing(missing, l + " counter's subject", counterSubject(l, t), "[SUP-2026-000042] ", "PROPOSED");
            missing(missing, l + " job sheet", jobSheet(l, t, "Claire Roux, 04 67 00 00 00", 35, true),
                    "SUP-2026-000042 (SD-7)", "Clinique Saint-Roch", SITE, "Claire Roux, 04 67 00 00 00", "SWHEN, 2 h",
                    "35 min", ": Kiosk K2\n", "Kiosk frozen {ticket}", "\n\nFrozen since 9.\nRestarted twice.");
            missing(missing, l + " job sheet without contact", jobSheet(l, t, null, 0, false),
                    "Ann Lee <ann@example.com>", ": 0 min");
            missing(missing, l + " job sheet's subject", jobSubject(l, t, "Montpellier", false),
                    " SUP-2026-000042 – Clinique Saint-Roch, Montpellier – SWHEN");
            missing(missing, l + " cancelled job sheet's subject", jobSubject(l, ticket(null, null, null, null), null,
                    true), "✗ ", " SUP-2026-000042 – Ann Lee, ? – SWHEN");
            assertFalse(inviteSubject(l, t, false).equals(inviteSubject(l, t, true)), "an update says so: " + l);
            String bare = jobSheet(l, ticket(null, null, null, null), null, null, true);
            assertFalse(bare.contains("null"), bare);
            missing(missing, l + " bare job sheet", bare, "SUP-2026-000042 (-)", ": ?\n");
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theEnglishLettersReadAsBefore() {
        Ticket t = full();
        assertEquals("""
                Hello Ann Lee,

                For your request SUP-2026-000042, we propose an on-site intervention:

                  When: WHEN (about 2 h)
                  Technician: Paul Martin
                  Address: %s

                The attached invitation goes into your calendar: accept it, or decline it to receive another slot.\
                 You can also answer on your request's page.

                Technical support""".formatted(SITE), invite(Language.EN, t, true));
        assertEquals("[SUP-2026-000042] On-site intervention on WHEN", inviteSubject(Language.EN, t, false));
        assertEquals("[SUP-2026-000042] On-site intervention moved to WHEN", inviteSubject(Language.EN, t, true));
        assertEquals("""
                Hello Ann Lee,

                The on-site intervention planned on WHEN for your request SUP-2026-000042 is cancelled (REASON).

                Technical support""", cancel(Language.EN, t));
        assertEquals("[SUP-2026-000042] On-site intervention of WHEN cancelled", cancelSubject(Language.EN, t));
        assertEquals("""
                Hello Ann Lee,

                A reminder: Paul Martin will come to your site (%s) on WHEN, for your request SUP-2026-000042.

                Technical support""".formatted(SITE), reminder(Language.EN, t));
        assertEquals("[SUP-2026-000042] Reminder: on-site intervention on WHEN", reminderSubject(Language.EN, t));
        assertEquals("""
                Hello Ann Lee,

                Thank you for your proposal. PROPOSED is unfortunately not possible (outside the technician's hours\
                 or already taken). The next possible slots are:

                  - SLOT1
                  - SLOT2

                The invitation for CURRENT still stands; decline it to receive another proposal.

                Technical support""", counter(Language.EN, t, List.of("SLOT1", "SLOT2")));
        assertEquals("[SUP-2026-000042] Your proposal of PROPOSED for the intervention", counterSubject(Language.EN, t));
        assertEquals("""
                Job sheet

                Request: SUP-2026-000042 (SD-7)
                Customer: Clinique Saint-Roch
                Site: %s
                Contact on site: Claire Roux, 04 67 00 00 00
                When: SWHEN, 2 h on site
                Estimated travel: 35 min
                Equipment: Kiosk K2
                Standard exchange unit to bring: none
                Problem: Kiosk frozen {ticket}

                Frozen since 9.
                Restarted twice.""".formatted(SITE), jobSheet(Language.EN, t, "Claire Roux, 04 67 00 00 00", 35, false));
        assertEquals("""
                Job sheet

                Request: SUP-2026-000042 (-)
                Customer: Ann Lee
                Site: %s
                Contact on site: Ann Lee <ann@example.com>
                When: SWHEN, 2 h on site
                Estimated travel: none
                Equipment: none
                Standard exchange unit to bring: ?
                Problem: Kiosk frozen {ticket}

                """.formatted(SITE), jobSheet(Language.EN, ticket(null, null, null, null), null, null, true));
        assertEquals("✗ Intervention SUP-2026-000042 – Ann Lee, ? – SWHEN",
                jobSubject(Language.EN, ticket(null, null, null, null), null, true));
    }

    static void missing(List<String> missing, String what, String text, String... values) {
        for (String v : values) {
            if (!text.contains(v)) {
                missing.add(what + " lacks '" + v + "' in:\n" + text);
            }
        }
    }
}
