package com.esii.support.hub.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A JQL search page: Cloud's (paged by {@code nextPageToken}) or Data Center's (by {@code startAt}, with {@code total}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SearchPage(List<Issue> issues, String nextPageToken, Integer total) {

    public SearchPage {
        issues = issues == null ? List.of() : issues;
    }

    public int totalOrZero() {
        return total == null ? 0 : total;
    }
}
