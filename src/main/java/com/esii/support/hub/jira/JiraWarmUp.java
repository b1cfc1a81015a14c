package com.esii.support.hub.jira;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.WarmUpStep;

/**
 * Jira's part of the start's warm-up: its HTTP client built (the JDK's client and its TLS context), which the first
 * ticket's JSM request would otherwise wait for. Jira is not asked.
 */
@ApplicationScoped
public class JiraWarmUp implements WarmUpStep {

    private final JiraClient jira;

    public JiraWarmUp(JiraClient jira) {
        this.jira = jira;
    }

    @Override
    public String name() {
        return "Jira client";
    }

    @Override
    public void run() {
        jira.configured(); // the first call on the bean builds it
    }
}
