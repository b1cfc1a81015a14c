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
