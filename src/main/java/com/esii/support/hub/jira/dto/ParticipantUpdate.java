package com.esii.support.hub.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Participants added to a JSM request ({@code RequestParticipantUpdateDTO}, {@code additionalProperties: false}):
 * Cloud names them by accountId, Data Center by username.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParticipantUpdate(List<String> accountIds, List<String> usernames) {
}
