package com.esii.support.hub.jira.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A JSM request as JSM shows it: its creation's answer, {@code GET /rest/servicedeskapi/request/{key}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceDeskRequest(String issueId, String issueKey, User reporter) {
}
