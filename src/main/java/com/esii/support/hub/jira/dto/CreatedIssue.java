package com.esii.support.hub.jira.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The answer to a platform issue's creation. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreatedIssue(String id, String key) {
}
