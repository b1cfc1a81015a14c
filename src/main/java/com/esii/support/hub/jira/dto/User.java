package com.esii.support.hub.jira.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A Jira user or JSM customer; Cloud may hide the address. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record User(String accountId, String emailAddress, String displayName) {

    /** The address, or "" when Jira hides it. */
    public String email() {
        return emailAddress == null ? "" : emailAddress;
    }
}
