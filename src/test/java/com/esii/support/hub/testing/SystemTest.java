package com.esii.support.hub.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A system test (the classes named {@code *IT}): the packaged production application run as processes of its own,
 * with their own PostgreSQL, mail server and simulators on free ports. These run in surefire's JVM beside the
 * Quarkus tests (which run one class after another on one thread): each system test class on a second thread, one
 * at a time (the lock), so that no replica's start or kill meets another system test's timing checks. Not in the
 * quick lane ({@code -Pquick} excludes the tag).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("system")
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("system-test-replicas")
@ExtendWith(SystemTest.SharedJvm.class)
public @interface SystemTest {

    /**
     * No Awaitility wait fails on another thread's uncaught exception (its default): this JVM runs the Quarkus tests
     * and their servers meanwhile (and {@link PromptPolling} says the same for them).
     */
    class SharedJvm implements BeforeAllCallback, BeforeEachCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            Awaitility.doNotCatchUncaughtExceptionsByDefault();
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            Awaitility.doNotCatchUncaughtExceptionsByDefault();
        }
    }
}
