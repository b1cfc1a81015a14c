package com.esii.support.hub.jira.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A JSM customer's creation. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NewCustomer(String email, String displayName) {
}
