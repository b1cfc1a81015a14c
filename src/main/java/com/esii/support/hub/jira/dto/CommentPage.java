package com.esii.support.hub.jira.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A page of a JSM request's comments ({@code GET /rest/servicedeskapi/request/{key}/comment}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommentPage(List<Comment> values, Boolean isLastPage) {

    public CommentPage {
        values = values == null ? List.of() : values;
    }

    /** The last page (JSM says so, or it is empty). */
    public boolean last() {
        return isLastPage == null || isLastPage || values.isEmpty();
    }
}
