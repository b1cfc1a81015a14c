package com.esii.support.hub.jira.dto;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A JSM request's creation ({@code additionalProperties: false}: nothing else); field values keyed by field id. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewRequest(String serviceDeskId, String requestTypeId, Map<String, Object> requestFieldValues,
        String raiseOnBehalfOf, List<String> requestParticipants) {
}
