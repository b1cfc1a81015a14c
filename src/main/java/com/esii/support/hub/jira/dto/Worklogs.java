package com.esii.support.hub.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** An issue's worklogs (time spent). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Worklogs(List<Worklog> worklogs) {

    public Worklogs {
        worklogs = worklogs == null ? List.of() : worklogs;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Worklog(String id, long timeSpentSeconds, User author) {
    }
}
