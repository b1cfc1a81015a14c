package com.esii.support.hub.erp.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The login to Divalto's {@code Authent/Auth}: a domain account, or a user with {@code infos} (empty) when no domain is set. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Login(String domain, String user, String password, String env, String infos) {
}
