package com.esii.support.hub.onsite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;

/** The invitations as calendars read them, and calendars' answers as the hub reads them (iMIP, RFC 6047). */
class InvitationsTest {

    static final Instant START = Instant.parse("2026-12-07T09:30:00Z");
    static final Instant END = Instant.parse("2026-12-07T11:30:00Z");

    static Invitations.Invitation invitation(int sequence) {
        return new Invitations.Invitation("c0ffee@support-hub", sequence, START, END, "[TK-1] Intervention sur site",
                "Fiche d'intervention\nligne 2, avec ; et , à échapper", "560 avenue du Colonel André Pavelet, 34000 Montpellier",
                new Invitations.Person("support@esii.example", "Support ESII"),
                List.of(new Invitations.Person("claire@clinique-saint-roch.fr", "Claire Roux")));
    }

    @Test
    void aRequestIsAValidICalendarObjectThatReadsBackWhole() throws Exception {
        String ics = Invitations.request(invitation(1));
        Calendar c = new CalendarBuilder().build(new StringReader(ics));
        c.validate(); // RFC 5545 as ical4j checks it: throws when invalid
        assertTrue(ics.contains("METHOD:REQUEST"), ics);
        assertTrue(ics.contains("DTSTART:20261207T093000Z"), ics);
        assertTrue(ics.contains("SEQUENCE:1"), ics);
        assertTrue(ics.contains("mailto:claire@clinique-saint-roch.fr"), ics);
        assertTrue(ics.contains("RSVP=TRUE"), ics);
        assertTrue(ics.contains("\r\n"), "lines end with CRLF");
        Invitations.Answer back = Invitations.read(ics).orElseThrow();
        assertEquals("REQUEST", back.method());
        assertEquals("c0ffee@support-hub", back.uid());
        assertEquals(1, back.sequence());
        assertEquals(START, back.start());
        assertEquals(END, back.end());
        assertEquals("claire@clinique-saint-roch.fr", back.attendee());
        assertEquals("NEEDS-ACTION", back.partStat());
    }

    @Test
    void aCancellationKeepsTheUidAndSaysCancelled() throws Exception {
        String ics = Invitations.cancel(invitation(3));
        new CalendarBuilder().build(new StringReader(ics)).validate();
        assertTrue(ics.contains("METHOD:CANCEL"), ics);
        assertTrue(ics.contains("STATUS:CANCELLED"), ics);
        assertEquals(3, Invitations.read(ics).orElseThrow().sequence());
    }

    /** What Outlook sends back when the customer declines (folded lines, a TZID'd time, PARTSTAT on the attendee). */
    static final String OUTLOOK_DECLINE = """
            BEGIN:VCALENDAR\r
            METHOD:REPLY\r
            PRODID:Microsoft Exchange Server 2010\r
            VERSION:2.0\r
            BEGIN:VTIMEZONE\r
            TZID:Romance Standard Time\r
            BEGIN:STANDARD\r
            DTSTART:16010101T030000\r
            TZOFFSETFROM:+0200\r
            TZOFFSETTO:+0100\r
            RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r
            END:STANDARD\r
            BEGIN:DAYLIGHT\r
            DTSTART:16010101T020000\r
            TZOFFSETFROM:+0100\r
            TZOFFSETTO:+0200\r
            RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r
            END:DAYLIGHT\r
            END:VTIMEZONE\r
            BEGIN:VEVENT\r
            ATTENDEE;PARTSTAT=DECLINED;CN=Claire Roux:mailto:claire@clinique-saint-roch\r
             .fr\r
            COMMENT;LANGUAGE=fr-FR:Pas lundi\\, nous sommes fermés.\r
            SUMMARY;LANGUAGE=fr-FR:Refusé : [TK-1] Intervention sur site\r
            DTSTART;TZID=Romance Standard Time:20261207T103000\r
            DTEND;TZID=Romance Standard Time:20261207T123000\r
            UID:c0ffee@support-hub\r
            SEQUENCE:1\r
            DTSTAMP:20261204T101500Z\r
            END:VEVENT\r
            END:VCALENDAR\r
            """;

    @Test
    void aDeclineFromOutlookReadsAsDeclinedByItsAttendee() {
        Invitations.Answer a = Invitations.read(OUTLOOK_DECLINE).orElseThrow();
        assertEquals("REPLY", a.method());
        assertEquals("c0ffee@support-hub", a.uid());
        assertEquals(1, a.sequence());
        assertEquals("claire@clinique-saint-roch.fr", a.attendee(), "a folded line unfolded");
        assertEquals("DECLINED", a.partStat());
    }

    @Test
    void aCounterProposalCarriesTheTimeProposed() {
        String counter = """
                BEGIN:VCALENDAR\r
                VERSION:2.0\r
                PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r
                METHOD:COUNTER\r
                BEGIN:VEVENT\r
                UID:c0ffee@support-hub\r
                SEQUENCE:1\r
                DTSTAMP:20261204T101500Z\r
                DTSTART:20261208T130000Z\r
                DTEND:20261208T150000Z\r
                ATTENDEE;PARTSTAT=TENTATIVE:mailto:claire@clinique-saint-roch.fr\r
                END:VEVENT\r
                END:VCALENDAR\r
                """;
        Invitations.Answer a = Invitations.read(counter).orElseThrow();
        assertEquals("COUNTER", a.method());
        assertEquals(Instant.parse("2026-12-08T13:00:00Z"), a.start());
        assertEquals(Instant.parse("2026-12-08T15:00:00Z"), a.end());
    }

    @Test
    void anythingElseReadsAsNothing() {
        assertTrue(Invitations.read("not a calendar").isEmpty());
        assertTrue(Invitations.read("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n").isEmpty(),
                "no event");
        assertTrue(Invitations.read("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n").isEmpty(), "cut short");
    }
}
