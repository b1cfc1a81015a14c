package com.esii.support.hub.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/** An R&D bug's creation. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NewBug(Fields fields) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Fields(Ref project, Ref issuetype, String summary, JsonNode description, List<String> labels) {
    }
}
