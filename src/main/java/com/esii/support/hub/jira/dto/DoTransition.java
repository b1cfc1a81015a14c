package com.esii.support.hub.jira.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Takes a workflow transition. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DoTransition(Ref transition) {
}
