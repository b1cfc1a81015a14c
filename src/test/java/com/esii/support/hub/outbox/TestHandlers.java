package com.esii.support.hub.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.ticket.Ticket;

/**
 * Outbox targets that only tests enqueue rows for, each delivered like every other type: by a route consuming
 * {@code direct:outbox-<type>} under the outbox's discipline ({@link Routes}).
 */
public final class TestHandlers {
    private TestHandlers() {
    }

    /** A test target: its type, and what performing a row does. */
    public interface Target {
        String type();

        void handle(OutboxRow row) throws Exception;
    }

    /** One route per test target, as the edges' routes in routes/*.yaml: {@code direct:outbox-<type>} → the bean. */
    @ApplicationScoped
    public static class Routes extends org.apache.camel.builder.RouteBuilder {
        private final jakarta.enterprise.inject.Instance<Target> targets;

        public Routes(jakarta.enterprise.inject.Instance<Target> targets) {
            this.targets = targets;
        }

        @Override
        public void configure() {
            for (Target t : targets) {
                from(OutboxRoutes.uri(t.type())).routeId("test-" + t.type()).routeConfigurationId("outbox-step")
                        .bean(t, "handle");
            }
        }
    }

    /** Always fails with a transient error: the row must end dead after the retry budget. */
    @ApplicationScoped
    public static class AlwaysFails implements Target {
        public static final String TYPE = "test-always-fails";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void handle(OutboxRow row) {
            throw new IllegalStateException("target unavailable");
        }
    }

    /** Fails permanently: the row must go dead at the first attempt. */
    @ApplicationScoped
    public static class Refused implements Target {
        public static final String TYPE = "test-refused";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void handle(OutboxRow row) {
            throw new PermanentFailure("400 Bad Request");
        }
    }

    /** Asks to come back in 2 s, like a 429 with Retry-After: 2. */
    @ApplicationScoped
    public static class Throttled implements Target {
        public static final String TYPE = "test-throttled";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void handle(OutboxRow row) {
            throw new RetryLater("429 Too Many Requests", Duration.ofSeconds(2));
        }
    }

    /** Records who handled which row, in which order. */
    @ApplicationScoped
    public static class Recording implements Target {
        public static final String TYPE = "test-record";
        public static final Map<Long, AtomicInteger> HANDLED = new ConcurrentHashMap<>();
        public static final Map<String, List<Long>> BY_LANE = new ConcurrentHashMap<>();

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void handle(OutboxRow row) throws InterruptedException {
            HANDLED.computeIfAbsent(row.id(), k -> new AtomicInteger()).incrementAndGet();
            BY_LANE.computeIfAbsent(row.lane(), k -> new CopyOnWriteArrayList<>()).add(row.id());
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        }
    }

    /** Its target is away: retried for as long as it takes, never dead. */
    @ApplicationScoped
    public static class Unavailable implements Target {
        public static final String TYPE = "test-unavailable";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void handle(OutboxRow row) {
            throw new TargetUnavailable("the target is down");
        }
    }

    /** Records, for each row, whether the relay said an earlier claim may have reached the target. */
    @ApplicationScoped
    public static class Creating implements Target {
        public static final String TYPE = "test-create";
        public static final Map<Long, Boolean> MAY_HAVE_REACHED = new ConcurrentHashMap<>();

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void handle(OutboxRow row) {
            MAY_HAVE_REACHED.put(row.id(), row.mayHaveReachedTarget());
        }
    }

    /**
     * Records the ticket each row came with (issue 29: the relay reads the tickets of a look's rows in one
     * statement); {@link #CHANGE}, when set for a row, is run as the row's effect (a JSM request recording its key).
     */
    @ApplicationScoped
    public static class Reading implements Target {
        public static final String TYPE = "test-read-ticket";
        /** The ticket each row came with, and the rows that came without. */
        public static final Map<Long, Ticket> CARRIED = new ConcurrentHashMap<>();
        /** The participants each row came with (read with its ticket). */
        public static final Map<Long, Set<String>> PARTICIPANTS = new ConcurrentHashMap<>();
        public static final Set<Long> WITHOUT = ConcurrentHashMap.newKeySet();
        public static final Map<Long, Runnable> CHANGE = new ConcurrentHashMap<>();

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void handle(OutboxRow row) {
            if (row.ticket() == null) {
                WITHOUT.add(row.id());
            } else {
                CARRIED.put(row.id(), row.ticket());
                row.participants(row.ticket().id()).ifPresent(ps -> PARTICIPANTS.put(row.id(), ps));
            }
            Runnable change = CHANGE.remove(row.id());
            if (change != null) {
                change.run();
            }
        }
    }

    /** A slow target (Jira answering in seconds): holds its worker until the test opens the gate. */
    @ApplicationScoped
    public static class Slow implements Target {
        public static final String TYPE = "test-slow";
        public static volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
        public static final AtomicInteger RUNNING = new AtomicInteger();
        public static final AtomicInteger MAX_RUNNING = new AtomicInteger();

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void handle(OutboxRow row) throws InterruptedException {
            MAX_RUNNING.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            try {
                gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                RUNNING.decrementAndGet();
            }
        }
    }

    /** A mail to a customer (an urgent type, as the acknowledgement's): records when it ran. */
    @ApplicationScoped
    public static class CustomerMail implements Target, UrgentTypes {
        public static final String TYPE = "mail-test";
        public static final Map<Long, Long> SENT_AT = new ConcurrentHashMap<>();

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Set<String> urgentTypes() {
            return Set.of(TYPE);
        }

        @Override
        public void handle(OutboxRow row) {
            SENT_AT.put(row.id(), System.nanoTime());
        }
    }
}
