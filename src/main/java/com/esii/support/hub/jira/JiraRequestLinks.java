package com.esii.support.hub.jira;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.RequestLinks;
import com.esii.support.hub.ticket.Ticket;

/** The request's agent view on the Jira site ({@code hub.jira.url}/browse/KEY), never the API gateway's address. */
@ApplicationScoped
public class JiraRequestLinks implements RequestLinks {

    private final JiraConfig config;

    public JiraRequestLinks(JiraConfig config) {
        this.config = config;
    }

    @Override
    public Optional<String> agentView(Ticket t) {
        return t.jsmKey() == null ? Optional.empty() : browse(config, t.jsmKey());
    }

    @Override
    public boolean raised() {
        return config.url().isPresent();
    }

    /** The page on the site, for people to follow. */
    static Optional<String> browse(JiraConfig config, String key) {
        return config.url().map(String::strip).filter(u -> !u.isEmpty())
                .map(u -> (u.endsWith("/") ? u.substring(0, u.length() - 1) : u) + "/browse/" + key);
    }
}
