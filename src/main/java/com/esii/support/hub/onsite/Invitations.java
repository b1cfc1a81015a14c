package com.esii.support.hub.onsite;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.parameter.PartStat;
import net.fortuna.ical4j.model.parameter.Role;
import net.fortuna.ical4j.model.parameter.Rsvp;
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * The interventions' invitations as iCalendar objects (RFC 5545) for iMIP (RFC 6047), built and read with ical4j:
 * REQUEST (a new or changed appointment: same UID, higher SEQUENCE), CANCEL, and the attendees' REPLY (accepted,
 * declined) or COUNTER (another time proposed).
 */
public final class Invitations {

    static final String PRODID = "-//ESII//Support hub//FR";

    /** A person invited: their address and name. */
    public record Person(String email, String name) {
    }

    /** What an invitation says. */
    public record Invitation(String uid, int sequence, Instant start, Instant end, String summary, String description,
            String location, Person organizer, List<Person> attendees) {
    }

    /**
     * A calendar's answer.
     *
     * @param method   REPLY or COUNTER (upper case), or whatever else the object says
     * @param partStat ACCEPTED, DECLINED, TENTATIVE… of the attendee who answered
     * @param start    for a COUNTER, the time proposed
     */
    public record Answer(String method, String uid, int sequence, String attendee, String partStat, Instant start,
            Instant end) {
    }

    private Invitations() {
    }

    public static String request(Invitation i) {
        return write(i, ImmutableMethod.REQUEST, false);
    }

    public static String cancel(Invitation i) {
        return write(i, ImmutableMethod.CANCEL, true);
    }

    private static String write(Invitation i, net.fortuna.ical4j.model.property.Method method, boolean cancelled) {
        VEvent e = new VEvent(i.start(), i.end(), i.summary());
        e.add(new Uid(i.uid()));
        e.add(new Sequence(i.sequence()));
        e.replace(new DtStamp(Instant.now()));
        if (i.description() != null) {
            e.add(new Description(i.description()));
        }
        if (i.location() != null) {
            e.add(new Location(i.location()));
        }
        Organizer organizer = new Organizer(URI.create("mailto:" + i.organizer().email()));
        organizer.add(new Cn(i.organizer().name()));
        e.add(organizer);
        for (Person p : i.attendees()) {
            Attendee a = new Attendee(URI.create("mailto:" + p.email()));
            a.add(Role.REQ_PARTICIPANT);
            a.add(PartStat.NEEDS_ACTION);
            a.add(Rsvp.TRUE);
            if (p.name() != null && !p.name().isBlank()) {
                a.add(new Cn(p.name()));
            }
            e.add(a);
        }
        if (cancelled) {
            e.add(ImmutableStatus.VEVENT_CANCELLED);
        }
        Calendar c = new Calendar();
        c.add(new ProdId(PRODID));
        c.add(ImmutableVersion.VERSION_2_0);
        c.add(ImmutableCalScale.GREGORIAN);
        c.add(method);
        c.add(e);
        return c.toString();
    }

    /** Reads a calendar's answer; empty when the text is no iCalendar object with an event. */
    public static Optional<Answer> read(String text) {
        Calendar c;
        try {
            c = new CalendarBuilder().build(new StringReader(text));
        } catch (IOException | ParserException | RuntimeException e) {
            return Optional.empty();
        }
        Optional<VEvent> event = c.getComponent(Component.VEVENT);
        if (event.isEmpty()) {
            return Optional.empty();
        }
        VEvent e = event.get();
        String method = c.getProperty(Property.METHOD).map(p -> p.getValue().strip().toUpperCase(Locale.ROOT))
                .orElse("");
        String uid = e.getProperty(Property.UID).map(Property::getValue).orElse(null);
        int sequence = e.getProperty(Property.SEQUENCE).map(p -> parseInt(p.getValue())).orElse(0);
        List<Attendee> attendees = e.getProperties(Property.ATTENDEE);
        String attendee = null;
        String partStat = null;
        if (!attendees.isEmpty()) {
            Attendee a = attendees.get(0);
            String v = a.getValue();
            attendee = v.regionMatches(true, 0, "mailto:", 0, 7) ? v.substring(7) : v;
            partStat = a.getParameter(Parameter.PARTSTAT).map(p -> p.getValue().toUpperCase(Locale.ROOT)).orElse(null);
        }
        Instant start = e.getStartDate().map(d -> instant(d.getDate())).orElse(null);
        Instant end = e.getEndDate().map(d -> instant(d.getDate())).orElse(null);
        return Optional.of(new Answer(method, uid, sequence, attendee, partStat, start, end));
    }

    private static Instant instant(Temporal t) {
        if (t instanceof Instant i) {
            return i;
        }
        if (t instanceof java.time.ZonedDateTime z) {
            return z.toInstant();
        }
        if (t instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (t instanceof java.time.LocalDateTime l) {
            return l.atZone(java.time.ZoneId.of("Europe/Paris")).toInstant(); // a floating time: read in Paris
        }
        return null;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
