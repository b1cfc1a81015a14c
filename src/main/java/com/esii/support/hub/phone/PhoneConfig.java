package com.esii.support.hub.phone;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The phone channel: the TCP port Avaya IP Office pushes its SMDR call records to ({@code hub.phone.*}). Every
 * setting is in the README's configuration table.
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

    /** Most connections served at once; past it the oldest is closed (IP Office reconnecting leaves a dead one). */
    @WithDefault("4")
    int maxConnections();

    /** Longest line read as a record (bytes); a longer one is recorded as rejected and skipped. */
    @WithDefault("4096")
    int maxLineLength();

    /** A call whose final segment (Continuation = 0) has not come this long after its last one is closed as is. */
    @WithDefault("2h")
    Duration incompleteAfter();
}
