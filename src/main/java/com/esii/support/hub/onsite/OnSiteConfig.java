package com.esii.support.hub.onsite;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The on-site planning's settings ({@code hub.onsite.*}). */
@ConfigMapping(prefix = "hub.onsite")
public interface OnSiteConfig {

    /** The road speed travel is estimated at, in km/h. */
    @WithDefault("80")
    double roadSpeed();

    /** Road distance ÷ straight-line distance between two departments' prefectures. */
    @WithDefault("1.3")
    double roadFactor();

    /** How long an intervention is planned for on site. */
    @WithDefault("2h")
    Duration duration();

    /** Whether the customer and the technician are reminded the working day before (at 16:00, Paris). */
    @WithDefault("true")
    boolean reminders();
}
