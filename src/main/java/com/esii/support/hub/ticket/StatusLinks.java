package com.esii.support.hub.ticket;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The links to a ticket's status page ({@code /status/{number}?token=…}) and rating page, on the hub's public
 * address.
 */
@ApplicationScoped
public class StatusLinks {

    private final TicketConfig config;

    public StatusLinks(TicketConfig config) {
        this.config = config;
    }

    public String statusUrl(String number, String token) {
        return base() + "/status/" + number + "?token=" + token;
    }

    /**
     * A rating link of the closing mail ({@code /status/{number}/rate/{rating}?token=…}): it opens the rating page
     * with that rating chosen, and records nothing by itself ({@link Satisfaction}).
     */
    public String rateUrl(String number, int rating, String token) {
        return base() + "/status/" + number + "/rate/" + rating + "?token=" + token;
    }

    private String base() {
        return config.publicUrl().endsWith("/") ? config.publicUrl().substring(0, config.publicUrl().length() - 1)
                : config.publicUrl();
    }
}
