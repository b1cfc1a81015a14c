package com.esii.support.hub.phone;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The phone channel: the TCP port Avaya IP Office pushes its SMDR call records to ({@code hub.phone.*}). Every
 * setting is in the configuration table (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub.phone")
public interface PhoneConfig {

    /** Listen for SMDR records. Off by default: only the replica IP Office points at needs it. */
    @WithDefault("false")
    boolean enabled();

    /** TCP port IP Office sends to (System &gt; CDR/SMDR in IP Office Manager). */
    @WithDefault("1150")
    int port();

    /** Address the listener binds to. */
    @WithDefault("0.0.0.0")
    String bindAddress();

    /** Time zone of the phone system's clock (SMDR call start times carry none). */
    @WithDefault("Europe/Paris")
    String zone();

    /**
     * Most connections served at once; past it a new connection is refused (closed at once). A dead one (IP Office
     * restarted without closing it) is closed by {@link #idleTimeout()}, so it cannot keep the phone system out.
     */
    @WithDefault("4")
    int maxConnections();

    /**
     * A connection that sends nothing for this long is closed. IP Office connects again when it has records (it keeps
     * them meanwhile), so an idle close loses nothing; it frees the place of a connection that died silently.
     */
    @WithDefault("30m")
    Duration idleTimeout();

    /**
     * Addresses allowed to connect (the phone system's): IP addresses or CIDR ranges, e.g.
     * {@code 192.0.2.10,10.20.0.0/16}. Any other connection is refused. Default: this machine only.
     */
    @WithDefault("127.0.0.0/8,::1")
    List<String> allowedAddresses();

    /** Longest line read as a record (bytes); a longer one is recorded as rejected and skipped. */
    @WithDefault("4096")
    int maxLineLength();

    /** A call whose final segment (Continuation = 0) has not come this long after its last one is closed as is. */
    @WithDefault("2h")
    Duration incompleteAfter();
}
