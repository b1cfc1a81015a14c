package com.esii.support.hub.erp.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A Diva action run by {@code WebService/Execute}: its {@code param} is a JSON text, the token rides along. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Execute(String action, String param, @JsonProperty("access_token") String accessToken) {

    public Execute withToken(String token) {
        return new Execute(action, param, token);
    }
}
