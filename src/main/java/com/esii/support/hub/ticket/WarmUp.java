package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Warms the replica on a thread of its own as it starts, so that the first customer after a start is answered as
 * fast as the others: the language detector first (issue 25: Lingua loads its models at the first detection, about
 * 1.6 s of CPU), then a sample ticket's triage (the rules, the business calendars and their holidays), then each
 * edge's {@link WarmUpStep} (issue 29: the mail parser, the mail templates and the SMTP session were built at the
 * first mail). The replica is not ready until it is warm (this readiness check, DOWN meanwhile), so that Kubernetes
 * sends it no web request before, and the mail channel opens only then ({@code email/MailboxWatch} asks
 * {@link #warm()} before it takes the mailbox's lease).
 */
@ApplicationScoped
@Readiness
@Default // a readiness check, and the bean the mail channel asks (@Readiness alone is a qualifier)
public class WarmUp implements HealthCheck {

    static final String CHECK = "warm-up";
    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    private final Runnable warmUp;
    private final BooleanSupplier warm;
    private final Steps steps;

    @Inject
    public WarmUp(Triager triage, Instance<WarmUpStep> steps) {
        this(new Steps(triage, steps));
    }

    private WarmUp(Steps steps) {
        this.warmUp = steps::run;
        this.warm = Steps::warm;
        this.steps = steps;
    }

    /** A warm-up and the question whether it is done (the tests give their own). */
    WarmUp(Runnable warmUp, BooleanSupplier warm) {
        this.warmUp = warmUp;
        this.warm = warm;
        this.steps = null;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts the warm-up; returns its thread. */
    Thread start() {
        Thread t = new Thread(warmUp, "warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Whether the replica has been warmed. */
    public boolean warm() {
        return warm.getAsBoolean();
    }

    /** DOWN until warm; its data name the steps that ran, and those that failed (their first use pays for them). */
    @Override
    public HealthCheckResponse call() {
        var r = HealthCheckResponse.named(CHECK).status(warm()).withData("state", warm() ? "warm" : "warming");
        if (steps != null && warm()) {
            r.withData("steps", String.join(", ", steps.ran)).withData("failed", String.join(", ", steps.failed));
        }
        return r.build();
    }

    /** The detector, a sample triage, then the edges' steps; a failing step is logged and the others run. */
    static final class Steps {
        private static final java.lang.management.ThreadMXBean CPU =
                java.lang.management.ManagementFactory.getThreadMXBean();
        private static volatile boolean warm;
        private final Triager triage;
        private final Iterable<WarmUpStep> edges;
        final List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();

        Steps(Triager triage, Iterable<WarmUpStep> edges) {
            this.triage = triage;
            this.edges = edges;
        }

        static boolean warm() {
            return warm;
        }

        void run() {
            long t0 = System.nanoTime();
            step("language detector", LanguageDetection::warmUp);
            step("triage", () -> triage.triage("Borne en panne", "Bonjour, la borne ne fonctionne plus depuis ce matin.",
                    null, null, ContractLookup.unavailable("warm-up"), OffsetDateTime.now(ZoneOffset.UTC)));
            for (WarmUpStep s : edges) {
                step(s.name(), s::run);
            }
            warm = true;
            LOG.infof("Warm in %d ms (%s of its thread's CPU)%s", (System.nanoTime() - t0) / 1_000_000,
                    String.join(", ", ran),
                    failed.isEmpty() ? "" : "; failed: " + String.join(", ", failed));
        }

        private void step(String name, Runner r) {
            long cpu = CPU.getCurrentThreadCpuTime();
            try {
                r.run();
                ran.add(name + " " + (CPU.getCurrentThreadCpuTime() - cpu) / 1_000_000 + " ms");
            } catch (Exception | LinkageError e) {
                failed.add(name);
                LOG.warnf("Warm-up step %s failed (its first use pays for it): %s", name, e);
            }
        }

        interface Runner {
            void run() throws Exception;
        }
    }
}
