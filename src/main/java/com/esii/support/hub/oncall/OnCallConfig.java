package com.esii.support.hub.oncall;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * On-call duty, the deadline watchdog and paging, under {@code hub.oncall.*} (kept apart from the hub's main
 * mapping so that the two evolve independently). Every setting is in the configuration table (docs/configuration.md); the
 * secrets (webhook token, link-signing key) have no default and come from the environment only.
 */
@ConfigMapping(prefix = "hub.oncall")
public interface OnCallConfig {

    /** When the weekly duty changes hands, in the desk's time zone: a day and a time, e.g. {@code MON 08:00}. */
    @WithDefault("MON 08:00")
    String handover();

    /** Where the watchdog's warnings go (the support team's address); unset, they are only in the ticket and Jira. */
    Optional<String> teamEmail();

    /** The support manager, who is told of every breach and is the last level of the escalation policy. */
    Optional<String> managerEmail();

    @WithDefault("Support manager")
    String managerName();

    /** Warn the team when these fractions of the take-charge time (in business time) have passed. */
    @WithDefault("0.5,0.75")
    List<Double> warnAt();

    /** Page the on-call technician for blocking anomalies of on-call customers written out of hours. */
    @WithDefault("true")
    boolean pagingEnabled();

    /** A page not acknowledged within this time goes to the next level of the escalation policy. */
    @WithDefault("15m")
    Duration ackTimeout();

    /** The escalation policy, level after level: {@code on-call}, {@code backup} (next in the rotation), {@code manager}. */
    @WithDefault("on-call,backup,manager")
    List<String> escalation();

    /** Most pages for one ticket (the policy starts again from its first level until then). */
    @WithDefault("6")
    int maxPages();

    /** A webhook that receives each page as JSON (an SMS gateway, a chat); unset, pages go by email only. */
    Optional<String> webhookUrl();

    /** Bearer token sent to that webhook (secret). */
    Optional<String> webhookToken();

    @WithDefault("5s")
    Duration webhookTimeout();

    /**
     * How long a page mail waits for the ticket's JSM request, so that it names the request with its link (a first
     * page is queued with the ticket, before its request exists); then it goes without. Zero: never waits.
     */
    @WithDefault("10s")
    Duration requestWait();

    /** Key that signs the acknowledgement links in pages (secret); unset, pages carry no link. */
    Optional<String> linkKey();

    /**
     * How long the take-charge breach counts of the metrics ({@code hub_take_charge_breaches_total},
     * {@code hub_take_charge_breached_tickets}) are kept before the database is read again at a scrape.
     */
    @WithDefault("10s")
    Duration deskMetricsRefresh();
}
