package com.esii.support.hub.erp.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** The ERP's answer envelope: {@code error} (0 when all went well) and {@code txterr}, the login's {@code access_token}, a service's {@code result} (a JSON text, or a value). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Answer(String error, String txterr, @JsonProperty("access_token") String accessToken, JsonNode result) {

    /** The ERP reported an error (a non-zero code). */
    public boolean failed() {
        try {
            return error != null && !error.isBlank() && Integer.parseInt(error.strip()) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
