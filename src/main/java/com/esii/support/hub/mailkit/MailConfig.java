package com.esii.support.hub.mailkit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The support mailbox and the mail the hub sends ({@code hub.mail.*}): SMTP, IMAP (read by the email channel), how
 * both log in, the loop caps. Every setting is in the configuration table (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub.mail")
public interface MailConfig {

    // hub.mail.from and hub.mail.from-name are the core's (ticket/TicketConfig): the ticket core and other edges
    // read the support mailbox's address too.

    Smtp smtp();

    Imap imap();

    Loop loop();

    /**
     * How the hub logs in to the mailbox and the SMTP server: {@code password} (the IMAP and SMTP passwords) or
     * {@code oauth2} (SASL XOAUTH2 with an access token from {@code hub.mail.oauth2.*}; no password anywhere).
     */
    @WithDefault("password")
    String auth();

    OAuth2 oauth2();

    /**
     * The mailbox's OAuth2 credentials: Microsoft Entra ID (client-credentials grant) or a Google service account
     * (JWT-bearer grant). The token is used for IMAP and SMTP alike.
     */
    interface OAuth2 {
        /**
         * Microsoft: the tenant (its id or domain). It gives the token URL
         * {@code https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token} unless {@code token-url} is set.
         */
        Optional<String> tenant();

        /** The token endpoint (client-credentials grant); default from {@code tenant}. */
        Optional<String> tokenUrl();

        /** The application (client) id. */
        Optional<String> clientId();

        /** The application's secret, from the environment (HUB_MAIL_OAUTH2_CLIENT_SECRET)... */
        Optional<String> clientSecret();

        /** ...or from a mounted file, read again when it changes (a rotated Kubernetes Secret). */
        Optional<String> clientSecretFile();

        /** The scope asked for: Exchange Online's by default; Google: {@code https://mail.google.com/}. */
        @WithDefault("https://outlook.office365.com/.default")
        String scope();

        /**
         * Google: the service account's JSON key (a mounted file, read again when it changes). When set, the token
         * is asked with the JWT-bearer grant at the key's {@code token_uri}, for the IMAP username (domain-wide
         * delegation), with scope {@code https://mail.google.com/} unless {@code scope} is set otherwise.
         */
        Optional<String> serviceAccountFile();

        /** Longest wait for the token endpoint. */
        @WithDefault("10s")
        Duration timeout();
    }

    /**
     * Customers whose colleagues may write into each other's tickets: entries {@code CUSTOMER-CODE=domain}
     * (the ERP's customer code), one per domain. Otherwise only a ticket's customer and participants may.
     */
    Optional<List<String>> customerDomains();

    /** Largest mail turned into a ticket; a larger one is recorded and answered politely. */
    @WithDefault("26214400")
    long maxSize();

    /**
     * Where a mail over {@link #maxSize()} is written as it is fetched, on its way to the raw store (default: the
     * {@code hub-mail-spool} directory of the temporary directory). When it cannot be written (a full disk), the mail
     * stays in the mailbox and the mail channel reports why until it can.
     */
    Optional<String> spoolDirectory();

    /**
     * How many senders' mails the intake takes side by side (one sender's mails are always taken one after the
     * other, in the order they arrived); 1 reads the mailbox one mail at a time.
     */
    @WithDefault("4")
    int intakeThreads();

    /** The support mailbox, read over IMAP(S). */
    interface Imap {
        /** Read the mailbox at all (off: the email channel is idle). */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("localhost")
        String host();

        @WithDefault("993")
        int port();

        /** IMAPS (TLS from the start); off only for a local test server. */
        @WithDefault("true")
        boolean ssl();

        Optional<String> username();

        /** From the environment only (HUB_MAIL_IMAP_PASSWORD). */
        Optional<String> password();

        @WithDefault("INBOX")
        String folder();

        /** Move processed mail there; empty: flag it seen and leave it in place. */
        Optional<String> processedFolder();

        /** Where a mail that cannot be processed is moved (created when missing). */
        @WithDefault("Support Hub Errors")
        String errorFolder();

        /**
         * Wait for new mail with IMAP IDLE (the server announces each mail as it arrives) where the server offers
         * it; off, or on a server without IDLE, the mailbox is read every poll interval.
         */
        @WithDefault("true")
        boolean idle();

        /** How often the mailbox is read when it is polled (IDLE off or not offered). */
        @WithDefault("1000")
        long pollIntervalMs();

        /** With IDLE: the whole mailbox is read again at least this often, news or not. */
        @WithDefault("1m")
        Duration resyncInterval();

        /** On the first start on a mailbox: "new" ignores the mail already there, "all" takes it too. */
        @WithDefault("new")
        String start();

        @WithDefault("10s")
        Duration timeout();
    }

    /** Caps on automatic mails, so that two auto-responders cannot loop through the hub. */
    interface Loop {
        @WithDefault("3")
        int perAddress();

        @WithDefault("10m")
        Duration perAddressWindow();

        @WithDefault("10")
        int perTicket();

        @WithDefault("1h")
        Duration perTicketWindow();
    }

    interface Smtp {
        @WithDefault("localhost")
        String host();

        @WithDefault("25")
        int port();

        /** The SMTP login; with {@code hub.mail.auth=oauth2}, the IMAP username when unset. */
        Optional<String> username();

        /** From the environment only (HUB_MAIL_SMTP_PASSWORD). */
        Optional<String> password();

        /** Connect with TLS from the start (SMTPS, usually port 465). */
        @WithDefault("false")
        boolean ssl();

        /** Upgrade with STARTTLS when the server offers it (port 587). */
        @WithDefault("false")
        boolean starttls();

        @WithDefault("10s")
        Duration timeout();

        /** Name the hub gives itself in EHLO; default localhost (no DNS lookup of this host). */
        Optional<String> heloName();
    }
}
