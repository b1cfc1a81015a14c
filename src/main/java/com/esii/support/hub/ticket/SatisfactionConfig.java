package com.esii.support.hub.ticket;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The customer's satisfaction ({@code hub.satisfaction.*}): "how did we do?" in the closing mail and on the request
 * page ({@link Satisfaction}). Read by the core, and through {@link TicketEvent.SatisfactionGiven#poor()} by the
 * edges that act on a poor rating. Every setting is in the configuration table (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub.satisfaction")
public interface SatisfactionConfig {

    /** How long the closing mail's rating links open the rating page (afterwards the request page still offers it). */
    @WithDefault("30d")
    Duration linkTtl();

    /** A rating at or below this (1 to 5) is poor: the desk is alerted by mail ({@code hub.oncall.team-email}). */
    @WithDefault("2")
    int poorAtMost();

    /** Longest comment accepted with a rating, in characters. */
    @WithDefault("1000")
    int commentMaxLength();
}
