package com.esii.support.hub.cluster;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the replicas of the hub share work, under {@code hub.cluster.*}: the leader leases ({@link Leases}) and a
 * stopping replica's drain of its outbox rows. Every setting is in the configuration table (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub.cluster")
public interface ClusterConfig {

    /**
     * How long a replica stays the leader of a single-active job (the mail poller today) without renewing; a dead
     * leader is replaced at most this long after its last renewal.
     */
    @WithDefault("10s")
    Duration leaderLease();

    /**
     * How long a stopping replica lets the mailbox's pass under way end (it stops after its current batch), and then
     * the outbox rows it is performing finish; rows it claimed but had not started are handed back at once.
     */
    @WithDefault("10s")
    Duration drainTimeout();
}
