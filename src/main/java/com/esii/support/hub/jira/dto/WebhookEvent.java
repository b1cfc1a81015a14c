package com.esii.support.hub.jira.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A Jira webhook's event: what it is about (an issue, a comment, a released version). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebhookEvent(String webhookEvent, Ref issue, Ref comment, Ref version) {
}
