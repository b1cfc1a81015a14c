package com.esii.support.hub.web;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The web form's and the request page's settings ({@code hub.web.*}, {@code hub.status-page.*}). Every setting is
 * in the configuration table (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub")
public interface WebConfig {

    Web web();

    StatusPage statusPage();

    interface Web {
        /** The same form content from the same address within this time answers the ticket it opened. */
        @WithDefault("10m")
        Duration resubmitWindow();
    }

    /** The customer's request page (the status link). */
    interface StatusPage {
        /** How long a browser session opened with a request's link stays valid. */
        @WithDefault("12h")
        Duration sessionTtl();

        /**
         * Links sent again ("Lost your link?") or with a notice are forgotten this long after they were sent (the
         * acknowledgement's own link stays).
         */
        @WithDefault("180d")
        Duration linkRetention();

        /** "Lost your link?": at most this many of the address's latest requests are sent. */
        @WithDefault("10")
        int linksPerMail();
    }
}
