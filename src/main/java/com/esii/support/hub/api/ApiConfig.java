package com.esii.support.hub.api;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The ticket API's settings ({@code hub.api.*}). Every setting is in the configuration table
 * (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub.api")
public interface ApiConfig {

    /** Idempotency-Keys (and the web form's resubmission records) are forgotten after this long. */
    @WithDefault("7d")
    Duration idempotencyRetention();
}
