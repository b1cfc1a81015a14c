package com.esii.support.hub.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Accounts added to a service desk's customers. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccountIds(List<String> accountIds) {
}
