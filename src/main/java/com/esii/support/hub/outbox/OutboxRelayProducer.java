package com.esii.support.hub.outbox;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

import com.esii.support.hub.cluster.ClusterConfig;
import com.esii.support.hub.cluster.ClusterNode;
import com.esii.support.hub.cluster.DatabaseClock;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/** Builds this replica's relay from the integrations' routes and the registered handlers. */
@ApplicationScoped
public class OutboxRelayProducer {

    @Produces
    @Singleton
    @Named("outboxRelay")
    OutboxRelay relay(Outbox outbox, Instance<OutboxHandler> handlers, OutboxConfig config, DataSource ds,
            MeterRegistry metrics, ClusterNode node, CamelContext camel, ProducerTemplate producer) {
        Map<String, OutboxHandler> byType = new HashMap<>();
        for (OutboxHandler h : handlers) {
            OutboxHandler previous = byType.put(h.type(), h);
            if (previous != null) {
                throw new IllegalStateException("Two outbox handlers for type " + h.type());
            }
        }
        // Claims, leases and retry times on the database's clock: every replica reads the same time.
        return new OutboxRelay(outbox, byType, new OutboxRoutes(camel, producer), config, new DatabaseClock(ds), node.name(), metrics);
    }

    /** A stopping replica finishes the rows it is performing and hands the others back (hub.cluster.drain-timeout). */
    void onStop(@Observes ShutdownEvent event, OutboxRelay relay, ClusterConfig cluster) {
        relay.stop(cluster.drainTimeout());
    }
}
