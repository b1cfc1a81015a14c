package com.esii.support.hub.sla;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * The business calendars deadlines are counted on: the support desk's ({@code hub.sla.calendar}) and the named
 * ones a contract may refer to ({@code hub.sla.calendars.<name>}). A contract naming a calendar the hub does not
 * know is counted on the desk's, with a warning.
 */
@ApplicationScoped
public class Calendars {

    private static final Logger LOG = Logger.getLogger(Calendars.class);

    private final BusinessCalendar desk;
    private final String deskSpec;
    private final Map<String, BusinessCalendar> named = new HashMap<>();

    public Calendars(SlaConfig config) {
        ZoneId zone = ZoneId.of(config.zone());
        this.desk = BusinessCalendar.parse(zone, config.calendar());
        this.deskSpec = config.calendar();
        config.calendars().forEach((name, spec) -> named.put(name, BusinessCalendar.parse(zone, spec)));
    }

    public BusinessCalendar desk() {
        return desk;
    }

    /** The desk's calendar as configured ({@code MON-FRI 08:00-18:30 fr}). */
    public String deskSpec() {
        return deskSpec;
    }

    /** The calendar of that name, or the desk's when the name is empty or unknown. */
    public BusinessCalendar named(String name) {
        if (name == null || name.isBlank()) {
            return desk;
        }
        BusinessCalendar c = named.get(name.strip());
        if (c == null) {
            LOG.warnf("Contract calendar '%s' is not configured (hub.sla.calendars.%s): the desk's calendar is used",
                    name, name);
            return desk;
        }
        return c;
    }

    /** The name actually used for that contract calendar (null for the desk's). */
    public String resolvedName(String name) {
        return name == null || name.isBlank() || !named.containsKey(name.strip()) ? null : name.strip();
    }
}
