package com.esii.support.hub.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ImmutableRequest;

/** The contract check itself: it must fail what Jira would refuse, or it proves nothing. */
class JiraContractsTest {

    @BeforeEach
    void clear() {
        JiraContracts.drain();
    }

    static List<String> check(RequestMethod method, String url, String body) {
        ImmutableRequest.Builder r = ImmutableRequest.create().withMethod(method)
                .withAbsoluteUrl("http://127.0.0.1:1" + url).withHeader("Authorization", "Basic eDp5")
                .withHeader("Content-Type", "application/json");
        if (body != null) {
            r.withBody(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        JiraContracts.check(r.build());
        return JiraContracts.drain();
    }

    @Test
    void validRequestsPass() {
        assertEquals(List.of(), check(RequestMethod.POST, "/rest/servicedeskapi/request/SD-1/comment",
                "{\"body\":\"Hello\",\"public\":false}"));
        assertEquals(List.of(), check(RequestMethod.POST, "/rest/api/3/search/jql",
                "{\"jql\":\"project = SD\",\"maxResults\":50,\"fields\":[\"updated\"]}"));
        assertEquals(List.of(), check(RequestMethod.POST, "/rest/api/3/issueLink",
                "{\"type\":{\"name\":\"Relates\"},\"inwardIssue\":{\"key\":\"SD-1\"},\"outwardIssue\":{\"key\":\"DEV-1\"}}"));
    }

    @Test
    void badRequestsAreCaught() {
        assertTrue(!check(RequestMethod.POST, "/rest/servicedeskapi/request/SD-1/comment",
                "{\"body\":\"Hello\",\"public\":\"no\"}").isEmpty(), "a type error");
        assertTrue(!check(RequestMethod.POST, "/rest/servicedeskapi/request",
                "{\"serviceDeskId\":\"1\",\"requestTypeId\":\"2\",\"requestFieldValues\":{},\"unknownProperty\":1}").isEmpty(),
                "an unknown property of a closed schema");
        assertTrue(!check(RequestMethod.POST, "/rest/api/3/issueLink",
                "{\"inwardIssue\":{\"key\":\"SD-1\"},\"outwardIssue\":{\"key\":\"DEV-1\"}}").isEmpty(), "a missing required field");
        assertTrue(check(RequestMethod.GET, "/rest/api/3/search?jql=x", null).toString().contains("deprecated"),
                "the removed search");
        assertTrue(!check(RequestMethod.GET, "/rest/api/3/no/such/thing", null).isEmpty(), "an unknown operation");
        assertTrue(!check(RequestMethod.POST, "/rest/api/2/issue", "{}").isEmpty(), "v2 is not a contract here");
    }
}
