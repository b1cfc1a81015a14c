package com.esii.support.hub.jira.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** A comment: JSM's (a string body, public or internal) or the platform's (an ADF or string body). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Comment(String id, JsonNode body, User author, @JsonProperty("public") Boolean isPublic) {

    /** Public for the customer (JSM says so; a platform comment does not say). */
    public boolean publicComment() {
        return Boolean.TRUE.equals(isPublic);
    }
}
