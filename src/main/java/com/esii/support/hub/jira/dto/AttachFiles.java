package com.esii.support.hub.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Attaches temporary files to a JSM request. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttachFiles(List<String> temporaryAttachmentIds, @JsonProperty("public") boolean isPublic,
        NewComment additionalComment) {
}
