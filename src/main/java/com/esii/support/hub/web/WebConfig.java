package com.esii.support.hub.web;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
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

        /**
         * A form sent with more than {@code quarkus.http.limits.max-body-size} is still read up to this size (its
         * files thrown away as they come) so that its page answers with what was typed and the limit; a larger one
         * gets a bare 413 at once.
         */
        @WithDefault("256M")
        MemorySize tooLargeReadLimit();
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

        /**
         * "My requests": how long the link to the list of an address's requests opens it (then purged within the
         * hour); the browser session it is exchanged for lasts {@link #sessionTtl()}.
         */
        @WithDefault("24h")
        Duration listLinkTtl();
    }
}
