package com.esii.support.hub.oncall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The staff mails' templates ({@code templates/oncall/page-xx.txt}, {@code warning-xx.txt},
 * {@code poor-rating-xx.txt}): in every language each
 * value given to the template is in the mail (a template that lost a parameter fails here; one naming a parameter
 * it does not have fails the build), and the English ones read word for word and line for line as staff know them.
 */
@QuarkusTest
class StaffMailTemplatesTest extends HubTestResources {

    static final String LINK = "https://hub.example/oncall/ack/SUP-2026-000042?page=7&sig=s1g";
    static final TakeChargeWatchdog.Step HALF = new TakeChargeWatchdog.Step("deadline-warning-50", 0.5);
    static final TakeChargeWatchdog.Step BREACH = new TakeChargeWatchdog.Step("deadline-breached", 1.0);

    static Ticket ticket(String company, String jsmKey) {
        OffsetDateTime at = OffsetDateTime.parse("2026-03-14T22:00:00+01:00");
        return new Ticket(42, "SUP-2026-000042", Channel.EMAIL, "Ann Lee", "ann@example.com", company, "4711-2026",
                "Kiosk K2", Language.EN, "Scanner down {ticket}", "It stopped at 9.\nNothing scans.", Kind.PROBLEM,
                Criticality.BLOCKING, TicketStatus.NEW, "h", jsmKey, at, at, Ticket.Triage.NONE, Ticket.Sla.NONE);
    }

    /** The JSM request's agent view, as jira/JiraRequestLinks gives it once the request exists. */
    static String agentView(Ticket t) {
        return t.jsmKey() == null ? null : "https://example.atlassian.net/browse/" + t.jsmKey();
    }

    static String page(Language l, Ticket t, String ackLink) {
        return (switch (l) {
            case FR -> Templates.pageFr(t, 7, "LEVEL", "HEADLINE", ackLink, "30 min", agentView(t));
            case EN -> Templates.pageEn(t, 7, "LEVEL", "HEADLINE", ackLink, "30 min", agentView(t));
            case ES -> Templates.pageEs(t, 7, "LEVEL", "HEADLINE", ackLink, "30 min", agentView(t));
        }).render();
    }

    static String pageSubject(Language l, Ticket t) {
        return (switch (l) {
            case FR -> Templates.pageFr$subject(t);
            case EN -> Templates.pageEn$subject(t);
            case ES -> Templates.pageEs$subject(t);
        }).render().strip();
    }

    static String warning(Language l, Ticket t, TakeChargeWatchdog.Step step) {
        return (switch (l) {
            case FR -> Templates.warningFr(t, step, "DETAIL", agentView(t));
            case EN -> Templates.warningEn(t, step, "DETAIL", agentView(t));
            case ES -> Templates.warningEs(t, step, "DETAIL", agentView(t));
        }).render();
    }

    static String warningSubject(Language l, Ticket t, TakeChargeWatchdog.Step step) {
        return (switch (l) {
            case FR -> Templates.warningFr$subject(t, step);
            case EN -> Templates.warningEn$subject(t, step);
            case ES -> Templates.warningEs$subject(t, step);
        }).render().strip();
    }

    @Test
    void everyLanguageSaysEveryValue() {
        Ticket t = ticket("Acme", "SD-7");
        List<String> missing = new ArrayList<>();
        for (Language l : Language.values()) {
            missing(missing, l + " page", page(l, t, LINK), "SUP-2026-000042", "7 (LEVEL)", "HEADLINE",
                    "It stopped at 9.\nNothing scans.", "Ann Lee <ann@example.com>", "SD-7 (" + agentView(t) + ")", LINK, "30 min");
            missing(missing, l + " page subject", pageSubject(l, t), "[SUP-2026-000042] Scanner down {ticket}");
            missing(missing, l + " warning", warning(l, t, HALF), "SUP-2026-000042", "DETAIL",
                    "Ann Lee <ann@example.com>, Acme", "Scanner down {ticket}", "SD-7 (" + agentView(t) + ")");
            missing(missing, l + " warning subject", warningSubject(l, t, HALF),
                    "[50 %] [SUP-2026-000042] Scanner down {ticket}");
            missing(missing, l + " breach subject", warningSubject(l, t, BREACH),
                    "] [SUP-2026-000042] Scanner down {ticket}");
            assertFalse(warningSubject(l, t, BREACH).contains("%"), "a breach is no percentage: " + l);
            assertTrue(warningSubject(l, t, BREACH).startsWith("[") && warningSubject(l, t, BREACH).indexOf(']') > 1);
            String plain = page(l, ticket(null, null), null);
            assertFalse(plain.contains("JSM") || plain.contains("null") || plain.contains(LINK), plain);
            String alone = warning(l, ticket(null, null), HALF);
            assertFalse(alone.contains("JSM") || alone.contains("null") || alone.contains(">,"), alone);
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theEnglishMailsReadAsBefore() {
        assertEquals("""
                On-call page 7 (LEVEL)

                HEADLINE.

                It stopped at 9.
                Nothing scans.

                Customer: Ann Lee <ann@example.com>
                JSM request: SD-7 (https://example.atlassian.net/browse/SD-7)

                Acknowledge this page: %s
                or take the ticket in charge in Jira.
                Unacknowledged after 30 min, the next level is paged.
                """.formatted(LINK), page(Language.EN, ticket("Acme", "SD-7"), LINK));
        assertEquals("""
                On-call page 7 (LEVEL)

                HEADLINE.

                It stopped at 9.
                Nothing scans.

                Customer: Ann Lee <ann@example.com>

                Acknowledge it by taking the ticket in charge in Jira (status In progress).
                Unacknowledged after 30 min, the next level is paged.
                """, page(Language.EN, ticket(null, null), null));
        assertEquals("[ON-CALL] [SUP-2026-000042] Scanner down {ticket}", pageSubject(Language.EN, ticket(null, null)));
        assertEquals("""
                Ticket SUP-2026-000042: DETAIL.

                Customer: Ann Lee <ann@example.com>, Acme
                Subject: Scanner down {ticket}
                JSM request: SD-7 (https://example.atlassian.net/browse/SD-7)

                Take it in charge in Jira (status In progress) to stop these messages.
                """, warning(Language.EN, ticket("Acme", "SD-7"), HALF));
        assertEquals("""
                Ticket SUP-2026-000042: DETAIL.

                Customer: Ann Lee <ann@example.com>
                Subject: Scanner down {ticket}

                Take it in charge in Jira (status In progress) to stop these messages.
                """, warning(Language.EN, ticket(null, null), BREACH));
        assertEquals("[BREACH] [SUP-2026-000042] Scanner down {ticket}",
                warningSubject(Language.EN, ticket(null, null), BREACH));
        assertEquals("[75 %] [SUP-2026-000042] Scanner down {ticket}", warningSubject(Language.EN,
                ticket(null, null), new TakeChargeWatchdog.Step("deadline-warning-75", 0.75)));
    }

    static String poorRating(Language l, Ticket t, String comment) {
        return (switch (l) {
            case FR -> Templates.poorRatingFr(t, 2, "LABEL", comment, agentView(t));
            case EN -> Templates.poorRatingEn(t, 2, "LABEL", comment, agentView(t));
            case ES -> Templates.poorRatingEs(t, 2, "LABEL", comment, agentView(t));
        }).render();
    }

    static String poorRatingSubject(Language l, Ticket t) {
        return (switch (l) {
            case FR -> Templates.poorRatingFr$subject(t, 2);
            case EN -> Templates.poorRatingEn$subject(t, 2);
            case ES -> Templates.poorRatingEs$subject(t, 2);
        }).render().strip();
    }

    /** A poor rating (issue 26.11): the ticket, the rating, the customer's comment as typed, the JSM request. */
    @Test
    void thePoorRatingMailSaysEveryValueInEveryLanguageAndReadsSoInEnglish() {
        Ticket t = ticket("Acme", "SD-7");
        String comment = "Nobody <b>called</b> back.\nTwo weeks.";
        List<String> missing = new ArrayList<>();
        for (Language l : Language.values()) {
            missing(missing, l + " poor rating", poorRating(l, t, comment), "SUP-2026-000042", "2/5 (LABEL)",
                    comment + "\n", "Ann Lee <ann@example.com>, Acme", "Scanner down {ticket}",
                    "SD-7\n" + agentView(t));
            missing(missing, l + " poor rating subject", poorRatingSubject(l, t),
                    " 2/5] [SUP-2026-000042] Scanner down {ticket}");
            String bare = poorRating(l, ticket(null, null), null);
            assertFalse(bare.contains("JSM") || bare.contains("null") || bare.contains(">,"), bare);
        }
        assertEquals(List.of(), missing);
        assertEquals("""
                The customer rated how their request SUP-2026-000042 was handled 2/5 (LABEL).

                Their comment:
                Nobody <b>called</b> back.
                Two weeks.

                Customer: Ann Lee <ann@example.com>, Acme
                Subject: Scanner down {ticket}
                JSM request: SD-7
                https://example.atlassian.net/browse/SD-7

                Get back to the customer to understand what went wrong.
                """, poorRating(Language.EN, t, comment));
        assertEquals("""
                The customer rated how their request SUP-2026-000042 was handled 2/5 (LABEL).

                Their comment:
                (none)

                Customer: Ann Lee <ann@example.com>
                Subject: Scanner down {ticket}

                Get back to the customer to understand what went wrong.
                """, poorRating(Language.EN, ticket(null, null), null));
        assertEquals("[Poor rating 2/5] [SUP-2026-000042] Scanner down {ticket}", poorRatingSubject(Language.EN, t));
    }

    static void missing(List<String> missing, String what, String text, String... values) {
        for (String v : values) {
            if (!text.contains(v)) {
                missing.add(what + " lacks '" + v + "' in:\n" + text);
            }
        }
    }
}
