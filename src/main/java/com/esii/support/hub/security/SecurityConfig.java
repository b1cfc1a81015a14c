package com.esii.support.hub.security;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Who may use the admin API and how hard the public endpoints may be used ({@code hub.admin.*},
 * {@code hub.rate-limit.*}). Every setting is in the configuration table (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub")
public interface SecurityConfig {

    RateLimit rateLimit();

    Admin admin();

    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /** Requests one client address may make to the public form and API per minute, on average. */
        @WithDefault("30")
        int perMinute();

        /** Requests one client address may make in a burst. */
        @WithDefault("10")
        int burst();
    }

    interface Admin {
        @WithDefault("admin")
        String username();

        /** From the environment only (HUB_ADMIN_PASSWORD). Unset: the admin API refuses everyone. */
        Optional<String> password();

        /**
         * Failed logins one client address may make at once; past them its requests with credentials get 429 until
         * it has earned another attempt (one per {@code failed-login-window} / {@code failed-logins}).
         */
        @WithDefault("10")
        int failedLogins();

        /** The time over which {@code failed-logins} attempts come back. */
        @WithDefault("15m")
        Duration failedLoginWindow();
    }
}
