package com.esii.support.hub.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** JSM's answer to a temporary file upload. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TemporaryAttachments(List<TemporaryAttachment> temporaryAttachments) {

    public TemporaryAttachments {
        temporaryAttachments = temporaryAttachments == null ? List.of() : temporaryAttachments;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TemporaryAttachment(String temporaryAttachmentId) {
    }
}
