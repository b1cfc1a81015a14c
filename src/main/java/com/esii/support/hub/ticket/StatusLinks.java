package com.esii.support.hub.ticket;

import jakarta.enterprise.context.ApplicationScoped;

/** The link to a ticket's status page ({@code /status/{number}?token=…}) on the hub's public address. */
@ApplicationScoped
public class StatusLinks {

    private final TicketConfig config;

    public StatusLinks(TicketConfig config) {
        this.config = config;
    }

    public String statusUrl(String number, String token) {
        String base = config.publicUrl().endsWith("/") ? config.publicUrl().substring(0, config.publicUrl().length() - 1)
                : config.publicUrl();
        return base + "/status/" + number + "?token=" + token;
    }
}
