package com.esii.support.hub.testing.sim;

import java.util.List;
import java.util.Map;

/**
 * What the {@link Simulator} checks every Jira request against before it answers: the tests and the fault suite
 * plug in Atlassian's OpenAPI contracts ({@code testing/JiraContracts}, test-only: a validator library and a few
 * seconds to read the files); the demo runs with {@link #NONE}.
 */
@FunctionalInterface
public interface RequestCheck {

    /** No check (the demo). */
    RequestCheck NONE = (method, target, headers, body) -> List.of();

    /**
     * What is wrong with this request (empty: nothing), {@code target} being the path and query, header names in any
     * case.
     */
    List<String> violations(String method, String target, Map<String, List<String>> headers, byte[] body);
}
