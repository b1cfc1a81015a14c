package com.esii.support.hub.jira;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.jira.dto.Comment;
import com.esii.support.hub.jira.dto.NewComment;
import com.esii.support.hub.jira.dto.NewCustomer;
import com.esii.support.hub.jira.dto.NewRequest;
import com.esii.support.hub.jira.dto.ServiceDeskRequest;
import com.esii.support.hub.jira.dto.User;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Jira's part of the start's warm-up (issue 29): the JSM request's bodies written and samples of Jira's answers read
 * whole by the client's own mapper and types, and Jira not asked. (The whole step, with the application's beans, runs
 * at every test start: HealthAndMetricsTest checks that no step failed.)
 */
class JiraWarmUpTest {

    static WireMockServer server;

    @BeforeAll
    static void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void theSampleAnswersAreReadWholeAndJiraIsNotAsked() throws Exception {
        JiraClient jira = new JiraClient(new SmallRyeConfigBuilder().withMapping(JiraConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withDefaultValue("hub.jira.url", "http://127.0.0.1:" + server.port())
                .withDefaultValue("hub.jira.email", "bot@example.com")
                .withDefaultValue("hub.jira.token", "api-secret")
                .build().getConfigMapping(JiraConfig.class), new ObjectMapper());
        User u = jira.warmUp(new NewCustomer("warm-up@example.invalid", "Warm Up"), JiraWarmUp.USER, User.class);
        assertEquals("qm:0000", u.accountId());
        assertEquals("warm-up@example.invalid", u.email());
        ServiceDeskRequest r = jira.warmUp(new NewRequest("1", "2", Map.of("summary", "s"), u.accountId(), List.of()),
                JiraWarmUp.REQUEST, ServiceDeskRequest.class);
        assertEquals("SD-0", r.issueKey());
        assertEquals("10000", r.issueId());
        assertEquals("Warm Up", r.reporter().displayName());
        Comment c = jira.warmUp(new NewComment("triage", false), JiraWarmUp.COMMENT, Comment.class);
        assertEquals("10000", c.id());
        assertFalse(c.publicComment());
        assertEquals(0, server.getAllServeEvents().size(), "Jira not asked");
    }
}
