package com.esii.support.hub.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A page of users: a request's participants, a service desk's customers. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserPage(List<User> values, Boolean isLastPage) {

    public UserPage {
        values = values == null ? List.of() : values;
    }

    /** The last page (JSM says so, or it is empty). */
    public boolean last() {
        return isLastPage == null || isLastPage || values.isEmpty();
    }
}
