package com.esii.support.hub.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The demo run's embedded servers (only in a build made with -Pdemo). */
@ConfigMapping(prefix = "hub.demo")
public interface DemoConfig {
    /** Read at build time: the -Pdemo build's settings file sets it. */
    @WithDefault("false")
    boolean enabled();

    @WithDefault("3025")
    int smtpPort();

    @WithDefault("3143")
    int imapPort();

    /** The stateful Jira/JSM/ERP simulator (testing/sim/Simulator) and its staff console. */
    @WithDefault("8089")
    int simulatorPort();
}
