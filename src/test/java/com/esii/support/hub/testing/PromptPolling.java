package com.esii.support.hub.testing;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.pollinterval.IterativePollInterval;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;

/**
 * Before each {@code @QuarkusTest} method: Awaitility looks at once, then after 10, 20, 40, 80 ms and every 100 ms
 * after that. Its own default (first look after 100 ms, then every 100 ms) made each of the suite's waits at least
 * 100 ms long and about 50 ms late. A wait that sets its own delay or interval keeps it. No wait fails on another
 * thread's uncaught exception (Awaitility's default): the JVM is shared with the system tests.
 */
public class PromptPolling implements QuarkusTestBeforeEachCallback {

    private static final Duration CAP = Duration.ofMillis(100);

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        // The system tests run in this JVM too (SystemTest): an exception thrown in one of their threads (GreenMail's,
        // when a killed replica's connection resets) must not fail the wait of the Quarkus test running meanwhile.
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
        Awaitility.setDefaultPollInterval(new IterativePollInterval(
                d -> d.multipliedBy(2).compareTo(CAP) > 0 ? CAP : d.multipliedBy(2), Duration.ofMillis(10)));
    }
}
