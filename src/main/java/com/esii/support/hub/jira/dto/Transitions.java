package com.esii.support.hub.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The workflow transitions available on an issue. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Transitions(List<Ref> transitions) {

    public Transitions {
        transitions = transitions == null ? List.of() : transitions;
    }
}
