package com.esii.support.hub.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The replica is not ready before the language detector is warm (issue 25): its readiness check says DOWN while the
 * warm-up runs, so that Kubernetes sends it no customer before then, and UP once it is done.
 */
class LanguageWarmUpTest {

    @Test
    void notReadyUntilTheDetectorIsWarm() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean warm = new AtomicBoolean();
        LanguageWarmUp warmUp = new LanguageWarmUp(() -> {
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
        assertEquals(LanguageWarmUp.CHECK, warmUp.call().getName());
    }
}
