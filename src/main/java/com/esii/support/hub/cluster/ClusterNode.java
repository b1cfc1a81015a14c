package com.esii.support.hub.cluster;

import java.lang.management.ManagementFactory;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * This replica's name in the database (outbox claims, leader leases) and in the logs: {@code host:pid:random}.
 * On Kubernetes the host is the pod's name, so a claim says which pod holds it.
 */
@ApplicationScoped
public class ClusterNode {

    private final String name = generate();

    public String name() {
        return name;
    }

    public static String generate() {
        String host = System.getenv().getOrDefault("HOSTNAME", "local");
        String jvm = ManagementFactory.getRuntimeMXBean().getName();
        String pid = jvm.contains("@") ? jvm.substring(0, jvm.indexOf('@')) : jvm;
        return host + ":" + pid + ":" + UUID.randomUUID().toString().substring(0, 8);
    }
}
