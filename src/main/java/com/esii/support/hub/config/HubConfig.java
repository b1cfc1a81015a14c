package com.esii.support.hub.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting of the hub, under {@code hub.*}. The README's configuration table lists each one with its
 * environment variable; keep the two in step.
 */
@ConfigMapping(prefix = "hub")
public interface HubConfig {

    /** Address customers use to reach the hub (links in mails point there). */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    /** Language used when nothing else tells: fr, en or es. */
    @WithDefault("fr")
    String defaultLanguage();

    Ticket ticket();

    Attachments attachments();

    Mail mail();

    Outbox outbox();

    RateLimit rateLimit();

    Admin admin();

    Triage triage();

    interface Triage {
        /** A JSON rules file replacing the built-in triage-rules.json; re-read when it changes. */
        Optional<String> rulesFile();
    }

    interface Ticket {
        /** Ticket numbers look like {@code <prefix>-<year>-<6 digits>}. */
        @WithDefault("SUP")
        String prefix();

        /** Longest description accepted from the web and the API, in characters. */
        @WithDefault("20000")
        int descriptionMaxLength();
    }

    interface Attachments {
        /** Largest single attachment accepted from the web or the API, in bytes. */
        @WithDefault("10485760")
        long maxSize();

        @WithDefault("10")
        int maxCount();

        /** File extensions refused (executables and scripts). */
        @WithDefault("exe,com,bat,cmd,scr,pif,msi,msp,vbs,vbe,js,jse,wsf,wsh,ps1,psm1,jar,cpl,hta,lnk,reg,dll,sys")
        List<String> refusedExtensions();
    }

    interface Mail {
        /** Address the hub's mails come from (the support mailbox). */
        @WithDefault("support@example.com")
        String from();

        @WithDefault("Support")
        String fromName();

        Smtp smtp();

        Imap imap();

        Loop loop();

        /** Largest mail turned into a ticket; a larger one is recorded and answered politely. */
        @WithDefault("26214400")
        long maxSize();

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

            @WithDefault("1000")
            long pollIntervalMs();

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

    interface Outbox {
        /** How often each replica sweeps the outbox for due rows (it is also woken right after each intake). */
        @WithDefault("1000")
        long pollIntervalMs();

        /** Rows claimed per sweep. */
        @WithDefault("50")
        int batchSize();

        /** Rows handled in parallel by one replica (rows of one lane are never handled in parallel). */
        @WithDefault("4")
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

        /** How long a replica owns a claimed row; after that another replica may take it over. */
        @WithDefault("2m")
        Duration lease();

        /** Done rows are deleted after this long. */
        @WithDefault("30d")
        Duration retention();
    }

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
    }
}
