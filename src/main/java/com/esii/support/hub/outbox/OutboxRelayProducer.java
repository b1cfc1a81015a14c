package com.esii.support.hub.outbox;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import com.esii.support.hub.config.HubConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/** Builds this replica's relay from the registered handlers. */
@ApplicationScoped
public class OutboxRelayProducer {

    @Produces
    @Singleton
    @Named("outboxRelay")
    OutboxRelay relay(Outbox outbox, Instance<OutboxHandler> handlers, HubConfig config, Clock clock,
            MeterRegistry metrics) {
        Map<String, OutboxHandler> byType = new HashMap<>();
        for (OutboxHandler h : handlers) {
            OutboxHandler previous = byType.put(h.type(), h);
            if (previous != null) {
                throw new IllegalStateException("Two outbox handlers for type " + h.type());
            }
        }
        return new OutboxRelay(outbox, byType, config.outbox(), clock, nodeName(), metrics);
    }

    void onStop(@Observes ShutdownEvent event, OutboxRelay relay) {
        relay.stop(Duration.ofSeconds(20));
    }

    /** host:pid:random, so that logs and claims say which replica did what. */
    static String nodeName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "local");
        String jvm = ManagementFactory.getRuntimeMXBean().getName();
        String pid = jvm.contains("@") ? jvm.substring(0, jvm.indexOf('@')) : jvm;
        return host + ":" + pid + ":" + UUID.randomUUID().toString().substring(0, 8);
    }
}
