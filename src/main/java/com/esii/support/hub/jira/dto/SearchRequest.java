package com.esii.support.hub.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A JQL search: Cloud's {@code /search/jql} (with {@code nextPageToken}), Data Center's {@code /search} (with {@code startAt}). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchRequest(String jql, Integer startAt, int maxResults, List<String> fields, String nextPageToken) {
}
