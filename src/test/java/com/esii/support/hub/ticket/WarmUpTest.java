package com.esii.support.hub.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The replica is not ready before it is warm (issues 25 and 29: the language detector, a sample triage, each edge's
 * step): its readiness check says DOWN while the warm-up runs, so that Kubernetes sends it no customer before then,
 * and UP once it is done.
 */
class WarmUpTest {

    @Test
    void notReadyUntilTheDetectorIsWarm() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean warm = new AtomicBoolean();
        WarmUp warmUp = new WarmUp(() -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            warm.set(true);
        }, warm::get);
        Thread running = warmUp.start();
        assertEquals(HealthCheckResponse.Status.DOWN, warmUp.call().getStatus(), "warming");
        release.countDown();
        running.join(30_000);
        assertEquals(HealthCheckResponse.Status.UP, warmUp.call().getStatus());
        assertEquals(WarmUp.CHECK, warmUp.call().getName());
    }

    /**
     * The warm-up runs the detector, a sample triage and every edge's step, in that order (issue 29); a step that
     * fails is named and the others still run: the replica becomes ready all the same.
     */
    @Test
    void everyStepRunsAndAFailingOneIsNamed() {
        List<String> ran = new ArrayList<>();
        Triager triage = new Triager() {
            @Override
            public ContractLookup lookUp(String accessCode, String email) {
                throw new AssertionError("the ERP is not asked");
            }

            @Override
            public Triaged triage(String subject, String text, Kind kind, Criticality criticality,
                    ContractLookup lookup, OffsetDateTime created) {
                ran.add("triage: " + subject);
                return null;
            }

            @Override
            public ContractClock clock(Ticket t) {
                return null;
            }
        };
        WarmUp.Steps steps = new WarmUp.Steps(triage, List.of(step("broken", () -> {
            throw new IllegalStateException("no template");
        }), step("parser", () -> ran.add("parser"))));
        steps.run();
        assertEquals(List.of("triage: Borne en panne", "parser"), ran);
        assertEquals(List.of("language detector", "triage", "parser"),
                steps.ran.stream().map(r -> r.replaceAll(" \\d+ ms$", "")).toList(), "each with its CPU time");
        assertEquals(List.of("broken"), steps.failed);
        assertTrue(WarmUp.Steps.warm());
        assertTrue(LanguageDetection.warm(), "the detector is built and has run");
    }

    static WarmUpStep step(String name, WarmUp.Steps.Runner body) {
        return new WarmUpStep() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run() throws Exception {
                body.run();
            }
        };
    }
}
