package com.esii.support.hub.jira.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A reference to a Jira object as answers carry it and requests send it: only what is set is written. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Ref(String id, String key, String name, String self) {

    public static Ref id(String id) {
        return new Ref(id, null, null, null);
    }

    public static Ref key(String key) {
        return new Ref(null, key, null, null);
    }

    public static Ref name(String name) {
        return new Ref(null, null, name, null);
    }
}
