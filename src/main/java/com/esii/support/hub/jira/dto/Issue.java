package com.esii.support.hub.jira.dto;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/** A platform issue ({@code GET /rest/api/N/issue/{key}}, a search's issues) with the fields the hub reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Issue(String id, String key, Fields fields) {

    public Issue {
        fields = fields == null ? Fields.NONE : fields;
    }

    /**
     * The fields the hub reads; rich texts (ADF on Cloud, a string on Data Center) stay trees, read by
     * {@code JiraClient.plainText}. Fields not named here (a configured custom field) are in {@link #other}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Fields(String summary, Status status, Ref resolution, String resolutiondate, List<String> labels,
            Ref project, JsonNode description, User reporter, List<Version> fixVersions, Comments comment,
            String updated, List<Attachment> attachment, @JsonAnySetter Map<String, JsonNode> other) {

        static final Fields NONE = new Fields(null, null, null, null, null, null, null, null, null, null, null, null,
                null);

        public Fields {
            labels = labels == null ? List.of() : labels;
            fixVersions = fixVersions == null ? List.of() : fixVersions;
            attachment = attachment == null ? List.of() : attachment;
            status = status == null ? Status.NONE : status;
            other = other == null ? Map.of() : other;
        }

        /** A field not named above (a custom field), or null. */
        public JsonNode field(String name) {
            return other.get(name);
        }

        /** The platform comments of the issue (none when the field was not asked for). */
        public List<Comment> comments() {
            return comment == null || comment.comments() == null ? List.of() : comment.comments();
        }

        /** The project's key, or "". */
        public String projectKey() {
            return project == null || project.key() == null ? "" : project.key();
        }

        /** Resolved: a resolution is set, or the status is in the done category. */
        public boolean resolved() {
            return resolution != null || "done".equals(status.category());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(String name, Ref statusCategory) {
        static final Status NONE = new Status(null, null);

        /** The status category's key (new, indeterminate, done), or "". */
        public String category() {
            return statusCategory == null || statusCategory.key() == null ? "" : statusCategory.key();
        }

        /** The status's name, or "". */
        public String nameOrEmpty() {
            return name == null ? "" : name;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Version(String id, String name, boolean released) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Comments(List<Comment> comments) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attachment(String filename, Long size) {
    }
}
