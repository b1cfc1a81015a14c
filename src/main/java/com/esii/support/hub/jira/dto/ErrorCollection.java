package com.esii.support.hub.jira.dto;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Jira's error answer: {@code errorMessages} and {@code errors} (the platform), {@code errorMessage} (JSM). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorCollection(List<String> errorMessages, Map<String, String> errors, String errorMessage) {
}
