package com.esii.support.hub.jira.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A link between two issues. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NewLink(Ref type, Ref inwardIssue, Ref outwardIssue) {
}
