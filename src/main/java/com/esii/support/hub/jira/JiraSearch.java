package com.esii.support.hub.jira;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.esii.support.hub.jira.dto.Issue;
import com.esii.support.hub.jira.dto.SearchPage;
import com.esii.support.hub.jira.dto.SearchRequest;

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
    static void pages(JiraClient jira, String jql, List<String> fields, int pageSize, Predicate<List<Issue>> onPage) {
        if (jira.cloud()) {
            String token = null;
            do {
                SearchPage page = jira.post("/rest/api/3/search/jql",
                        new SearchRequest(jql, null, pageSize, fields, token), SearchPage.class);
                if (!page.issues().isEmpty() && !onPage.test(page.issues())) {
                    return;
                }
                token = page.nextPageToken();
            } while (token != null);
        } else {
            int start = 0;
            while (true) {
                SearchPage page = jira.post("/rest/api/2/search", new SearchRequest(jql, start, pageSize, fields, null),
                        SearchPage.class);
                if (page.issues().isEmpty() || !onPage.test(page.issues())) {
                    return;
                }
                start += page.issues().size();
                if (start >= page.totalOrZero()) {
                    return;
                }
            }
        }
    }

    static List<Issue> search(JiraClient jira, String jql, List<String> fields, int max) {
        List<Issue> out = new ArrayList<>();
        if (jira.cloud()) {
            String token = null;
            do {
                SearchPage page = jira.post("/rest/api/3/search/jql",
                        new SearchRequest(jql, null, Math.min(100, max - out.size()), fields, token), SearchPage.class);
                out.addAll(page.issues());
                token = page.nextPageToken();
            } while (token != null && out.size() < max);
        } else {
            int start = 0;
            while (out.size() < max) {
                SearchPage page = jira.post("/rest/api/2/search",
                        new SearchRequest(jql, start, Math.min(100, max - out.size()), fields, null), SearchPage.class);
                int n = page.issues().size();
                out.addAll(page.issues());
                start += n;
                if (n == 0 || start >= page.totalOrZero()) {
                    break;
                }
            }
        }
        return out;
    }
}
