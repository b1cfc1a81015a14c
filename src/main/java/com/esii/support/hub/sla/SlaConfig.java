package com.esii.support.hub.sla;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Contractual deadlines and the business calendars they are counted on ({@code hub.sla.*}). Every setting is in the
 * configuration table (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub.sla")
public interface SlaConfig {

    /** Time zone of the business calendars. */
    @WithDefault("Europe/Paris")
    String zone();

    /** The support desk's calendar: days, hours and public holidays (a jollyday country code or "none"). */
    @WithDefault("MON-FRI 08:00-18:30 fr")
    String calendar();

    /**
     * Other calendars a contract may name in the ERP, e.g. {@code hub.sla.calendars.extended=MON-SAT 07:00-20:00 fr}.
     */
    Map<String, String> calendars();

    /** Maintained customers: taken in charge within this much business time. */
    @WithDefault("4h")
    Duration takeCharge();

    /** Maintained customers: on site within this much business time once an intervention is decided. */
    @WithDefault("16h")
    Duration onSite();

    /** Availability promised for hosted systems, in percent of each month. */
    @WithDefault("99.6")
    double hostedAvailability();
}
