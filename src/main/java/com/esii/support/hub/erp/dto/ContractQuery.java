package com.esii.support.hub.erp.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The contract service's question: {@code by} access-code, email, domain or phone, and its value. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContractQuery(String by, String value) {
}
