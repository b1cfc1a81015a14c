package com.esii.support.hub.oncall;

import com.esii.support.hub.jira.JiraOutbox;

/** Breaks the edge rule on purpose (ArchitectureRulesFailTest): on-call calling Jira directly. Not a bean. */
public class ArchFixtureOnCallCallsJira {

    JiraOutbox jira;
}
