package com.esii.support.hub.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.erp.dto.ContractAnswer;
import com.esii.support.hub.erp.dto.ContractQuery;
import com.esii.support.hub.erp.dto.RecordFound;
import com.esii.support.hub.ticket.ContractLookup;
import com.esii.support.hub.triage.TriageConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The ERP's part of the start's warm-up (issue 29): the login the first look-up would make, taken before the mail
 * channel opens and kept for it, nothing else asked; the look-up's and a record's sample answers read whole by the
 * client's own path; an ERP that fails at the start is not paused for the first mails.
 */
class ErpWarmUpTest {

    static WireMockServer server;
    ErpClient erp;
    ContractDirectory directory;
    ErpWarmUp warmUp;

    @BeforeAll
    static void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void fresh() {
        server.resetAll();
        server.stubFor(post(urlPathEqualTo("/api/v1/WebService/Execute")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"error\":0,\"result\":\"{\\\"found\\\": "
                        + "true, \\\"customer\\\": \\\"C0001\\\", \\\"name\\\": \\\"Clinique\\\", \\\"maintained\\\": true}\"}")));
        loginAnswers(200);
        warmUp = warmUp(ErpClientTest.config(server.port()));
    }

    ErpWarmUp warmUp(ErpConfig config) {
        TriageConfig triage = new SmallRyeConfigBuilder().withMapping(TriageConfig.class).build()
                .getConfigMapping(TriageConfig.class);
        erp = new ErpClient(config, new ObjectMapper(), Clock.systemUTC());
        directory = new ContractDirectory(erp, config, triage);
        return new ErpWarmUp(erp, config, directory);
    }

    static void loginAnswers(int status) {
        server.stubFor(post(urlPathEqualTo("/api/v1/Authent/Auth")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":0,\"access_token\":\"t-1\"}")));
    }

    static int logins() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/api/v1/Authent/Auth"))).size();
    }

    static int services() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/api/v1/WebService/Execute"))).size();
    }

    @Test
    void theWarmUpLogsInOnceAsksNothingElseAndTheFirstLookUpKeepsItsToken() throws Exception {
        warmUp.run();
        assertEquals(1, logins(), "the login the first look-up would make");
        assertEquals(0, services(), "no customer looked up, no record sent");
        ContractLookup found = directory.identify(null, "someone@clinique.example", null);
        assertEquals("C0001", found.customer().map(c -> c.code()).orElse(found.reason()));
        assertEquals(1, logins(), "the first look-up does not log in again");
        assertEquals(1, services());
    }

    @Test
    void theSampleAnswersAreReadWholeByTheClientsOwnPath() throws Exception {
        ContractAnswer a = erp.warmUp("HUB_CONTRAT_SUPPORT", new ContractQuery("email", "x@example.invalid"),
                ErpWarmUp.CONTRACT_ANSWER, ContractAnswer.class);
        assertTrue(a.found() && a.maintained());
        assertEquals("C0000", a.customer());
        assertEquals("Montpellier", a.site().town());
        assertEquals("warm-up@example.invalid", a.contact().email());
        assertEquals(false, erp.warmUp("A", Map.of("key", "k"), ErpWarmUp.RECORD_ANSWER, RecordFound.class).found());
        assertEquals(0, logins() + services(), "nothing sent");
    }

    /** A login refused or failing at the start: the step ends, and the first mails' look-ups still ask the ERP. */
    @Test
    void anErpFailingAtTheStartIsNotPausedForTheFirstMails() throws Exception {
        loginAnswers(503);
        warmUp.run();
        assertEquals(1, logins());
        loginAnswers(200);
        ContractLookup found = directory.identify(null, "someone@clinique.example", null);
        assertEquals("C0001", found.customer().map(c -> c.code()).orElse(found.reason()),
                "asked at once: the failed warm-up login did not pause the ERP");
        assertEquals(2, logins());
    }

    @Test
    void noErpNothingAsked() throws Exception {
        ErpConfig none = new SmallRyeConfigBuilder().withMapping(ErpConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .build().getConfigMapping(ErpConfig.class);
        warmUp(none).run();
        assertEquals(0, logins() + services());
    }
}
