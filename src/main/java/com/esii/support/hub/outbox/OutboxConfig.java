package com.esii.support.hub.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The outbox relay's settings ({@code hub.outbox.*}). Every setting is in the configuration table
 * (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub.outbox")
public interface OutboxConfig {

    /** How often each replica sweeps the outbox for due rows (it is also woken right after each intake). */
    @WithDefault("1000")
    long pollIntervalMs();

    /**
     * Rows handled in parallel by one replica (rows of one lane are never handled in parallel); rows other than
     * mails to customers take at most three quarters of them.
     */
    @WithDefault("8")
    int workers();

    /** Attempts before a row is marked dead. */
    @WithDefault("12")
    int maxAttempts();

    @WithDefault("2s")
    Duration backoffInitial();

    @WithDefault("15m")
    Duration backoffMax();

    /** Longest Retry-After a target may impose. */
    @WithDefault("1h")
    Duration retryAfterMax();

    /**
     * How long a replica owns a claimed row; after that another replica may take it over. A live replica extends it
     * every third of it while the row runs (a slow target is not performed twice), so this is how long a dead
     * replica's rows wait: 12 s, plus a sweep, keeps a crash's delay within 15 s.
     */
    @WithDefault("12s")
    Duration lease();

    /** Done rows are deleted after this long. */
    @WithDefault("30d")
    Duration retention();

    /**
     * A row whose target has been failing for longer than this (the ERP or Jira down, SMTP refusing) is reported:
     * metric {@code hub_outbox_overdue_rows} and the {@code outbox} health check (not readiness) go DOWN, while
     * the row keeps waiting.
     */
    @WithDefault("15m")
    Duration alertAfter();
}
