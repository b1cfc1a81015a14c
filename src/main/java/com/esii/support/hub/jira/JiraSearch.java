package com.esii.support.hub.jira;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JQL search: Cloud's {@code POST /rest/api/3/search/jql} paged by {@code nextPageToken} (the old
 * {@code /rest/api/3/search} is gone), Data Center's {@code /rest/api/2/search} paged by {@code startAt}.
 */
final class JiraSearch {

    private JiraSearch() {
    }

    /**
     * Reads the search page after page ({@code pageSize} issues each), giving each page to {@code onPage} before the
     * next is asked for, until the last page or until {@code onPage} answers false.
     */
    static void pages(JiraClient jira, String jql, List<String> fields, int pageSize,
            java.util.function.Predicate<List<JsonNode>> onPage) {
        if (jira.cloud()) {
            String token = null;
            do {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("jql", jql);
                body.put("maxResults", pageSize);
                body.put("fields", fields);
                if (token != null) {
                    body.put("nextPageToken", token);
                }
                JsonNode page = jira.post("/rest/api/3/search/jql", body);
                List<JsonNode> issues = new ArrayList<>();
                page.path("issues").forEach(issues::add);
                if (!issues.isEmpty() && !onPage.test(issues)) {
                    return;
                }
                token = page.path("nextPageToken").asText(null);
            } while (token != null);
        } else {
            int start = 0;
            while (true) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("jql", jql);
                body.put("startAt", start);
                body.put("maxResults", pageSize);
                body.put("fields", fields);
                JsonNode page = jira.post("/rest/api/2/search", body);
                List<JsonNode> issues = new ArrayList<>();
                page.path("issues").forEach(issues::add);
                if (issues.isEmpty() || !onPage.test(issues)) {
                    return;
                }
                start += issues.size();
                if (start >= page.path("total").asInt(0)) {
                    return;
                }
            }
        }
    }

    static List<JsonNode> search(JiraClient jira, String jql, List<String> fields, int max) {
        List<JsonNode> out = new ArrayList<>();
        if (jira.cloud()) {
            String token = null;
            do {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("jql", jql);
                body.put("maxResults", Math.min(100, max - out.size()));
                body.put("fields", fields);
                if (token != null) {
                    body.put("nextPageToken", token);
                }
                JsonNode page = jira.post("/rest/api/3/search/jql", body);
                page.path("issues").forEach(out::add);
                token = page.path("nextPageToken").asText(null);
            } while (token != null && out.size() < max);
        } else {
            int start = 0;
            while (out.size() < max) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("jql", jql);
                body.put("startAt", start);
                body.put("maxResults", Math.min(100, max - out.size()));
                body.put("fields", fields);
                JsonNode page = jira.post("/rest/api/2/search", body);
                int n = page.path("issues").size();
                page.path("issues").forEach(out::add);
                start += n;
                if (n == 0 || start >= page.path("total").asInt(0)) {
                    break;
                }
            }
        }
        return out;
    }
}
