package com.esii.support.hub.erp.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The record look-up's answer. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecordFound(boolean found) {
}
