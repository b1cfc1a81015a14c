package com.esii.support.hub.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.ticket.ContractLookup;
import com.esii.support.hub.triage.TriageConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.smallrye.config.SmallRyeConfigBuilder;


/**
 * The look-ahead the mailbox's intake makes for a batch's senders: the ERP is asked about them side by side, and the
 * triage in each mail's transaction then finds the answer kept, without asking again.
 */
class ContractLookAheadTest {

    static final int SENDERS = 6;

    /** Holds each contract look-up until {@link #SENDERS} of them are in: one after the other, none would return. */
    static volatile CountDownLatch together = new CountDownLatch(SENDERS);

    public static final class Together implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            if (event.getRequest().getBodyAsString().contains("HUB_CONTRAT_SUPPORT")) {
                together.countDown();
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return event.getResponseDefinition();
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public String getName() {
            return "together";
        }
    }

    WireMockServer server;
    ContractDirectory directory;

    @BeforeEach
    void start() {
        together = new CountDownLatch(SENDERS);
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new Together()));
        server.start();
        server.stubFor(post(urlPathEqualTo("/api/v1/Authent/Auth")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"error\":0,\"access_token\":\"t\"}")));
        server.stubFor(post(urlPathEqualTo("/api/v1/WebService/Execute")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"error\":0,\"result\":\"{\\\"found\\\":"
                        + " true, \\\"customer\\\": \\\"C0001\\\", \\\"name\\\": \\\"Clinique Saint-Roch\\\","
                        + " \\\"maintained\\\": true, \\\"onCall\\\": false, \\\"hosted\\\": false,"
                        + " \\\"calendar\\\": \\\"\\\"}\"}")));
        ErpConfig config = ErpClientTest.config(server.port());
        TriageConfig triage = new SmallRyeConfigBuilder().withMapping(TriageConfig.class).build()
                .getConfigMapping(TriageConfig.class);
        directory = new ContractDirectory(new ErpClient(config, new ObjectMapper(), Clock.systemUTC()), config, triage);
    }

    @AfterEach
    void stop() {
        directory.stop();
        server.stop();
    }

    int contractLookups() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/api/v1/WebService/Execute"))
                .withRequestBody(containing("HUB_CONTRAT_SUPPORT"))).size();
    }

    @Test
    void aBatchsSendersAreAskedSideBySideAndTheirTicketsFindTheAnswers() {
        List<String> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            senders.add("Sender" + i + "@Clinique-Saint-Roch.example");
        }
        senders.add("sender0@clinique-saint-roch.example"); // the same address twice: asked once

        directory.lookAhead(senders);

        assertEquals(0, together.getCount(), "the look-ups were not in the ERP at the same time");
        assertEquals(SENDERS, contractLookups());
        for (String s : senders) {
            ContractLookup found = directory.identify(null, s, null);
            assertEquals("C0001", found.customer().orElseThrow().code(), found.reason());
        }
        assertEquals(SENDERS, contractLookups(), "a ticket asked again what the look-ahead had asked");
    }
}
