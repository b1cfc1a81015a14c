package com.esii.support.hub.api;

import java.util.List;

import com.esii.support.hub.ticket.InvalidParam;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An RFC 9457 problem detail ({@code application/problem+json}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        @JsonProperty("invalid-params") List<InvalidParam> invalidParams) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem invalid(List<InvalidParam> params) {
        return new Problem("urn:support-hub:problem:invalid-request", "Your request has invalid fields", 400,
                params.size() == 1 ? "The field '" + params.get(0).name() + "' is invalid."
                        : params.size() + " fields are invalid.",
                params);
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("urn:support-hub:problem:" + slug, title, status, detail, List.of());
    }
}
