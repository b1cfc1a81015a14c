package com.esii.support.hub.outbox;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;


import com.esii.support.hub.cluster.ClusterConfig;
import com.esii.support.hub.cluster.ClusterNode;
import com.esii.support.hub.cluster.DatabaseClock;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/** Builds this replica's relay, which sends each row to its edge's route. */
@ApplicationScoped
public class OutboxRelayProducer {

    @Produces
    @Singleton
    @Named("outboxRelay")
    OutboxRelay relay(Outbox outbox, OutboxRoutes routes, OutboxConfig config, DataSource ds, MeterRegistry metrics,
            ClusterNode node) {
        // Claims, leases and retry times on the database's clock: every replica reads the same time.
        return new OutboxRelay(outbox, routes, config, new DatabaseClock(ds), node.name(), metrics);
    }

    /** A stopping replica finishes the rows it is performing and hands the others back (hub.cluster.drain-timeout). */
    void onStop(@Observes ShutdownEvent event, OutboxRelay relay, ClusterConfig cluster) {
        relay.stop(cluster.drainTimeout());
    }
}
