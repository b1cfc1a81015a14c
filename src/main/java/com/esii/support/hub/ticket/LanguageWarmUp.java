package com.esii.support.hub.ticket;

import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.runtime.StartupEvent;

/**
 * Warms the language detector on a thread of its own as the hub starts (issue 25): the first customer after a start
 * does not pay for it (about 1.6 s of CPU). The replica is not ready until it is warm (this readiness check, DOWN
 * meanwhile), so that Kubernetes sends it no web request before, and the mail channel opens only then
 * ({@code email/MailboxWatch} asks {@link #warm()} before it takes the mailbox's lease).
 */
@ApplicationScoped
@Readiness
@Default // a readiness check, and the bean the mail channel asks (@Readiness alone is a qualifier)
public class LanguageWarmUp implements HealthCheck {

    static final String CHECK = "language detector";

    private final Runnable warmUp;
    private final BooleanSupplier warm;

    @Inject
    public LanguageWarmUp() {
        this(LanguageDetection::warmUp, LanguageDetection::warm);
    }

    /** A warm-up and the question whether it is done (the tests give their own). */
    LanguageWarmUp(Runnable warmUp, BooleanSupplier warm) {
        this.warmUp = warmUp;
        this.warm = warm;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts the warm-up; returns its thread. */
    Thread start() {
        Thread t = new Thread(warmUp, "language-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Whether the detector has been built and run once. */
    public boolean warm() {
        return warm.getAsBoolean();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(CHECK).status(warm()).withData("state", warm() ? "warm" : "warming").build();
    }
}
