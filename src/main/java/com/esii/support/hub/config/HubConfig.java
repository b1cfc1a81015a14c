package com.esii.support.hub.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting of the hub, under {@code hub.*}. The configuration table (docs/configuration.md) lists each one with its
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

    Api api();

    Web web();

    Triage triage();

    Erp erp();

    Sla sla();

    Jira jira();

    Desk desk();

    StatusPage statusPage();

    /** The support desk: its language, and the desk as the web form presents it to customers. */
    interface Desk {
        /**
         * The language staff read (fr, en or es): internal comments and notes in Jira, warning, breach and on-call
         * mails, the staff pages, the dashboard's default. Customers get theirs whatever this says.
         */
        @WithDefault("fr")
        String language();

        /**
         * Opening hours, as {@code <day>[-<day>] HH:MM-HH:MM}, several separated by commas (days as Mon, Tue...); the
         * form writes them out in its language.
         */
        @WithDefault("Mon-Fri 08:00-18:30")
        List<String> hours();

        /** The phone number to call for a blocking problem (from France). */
        @WithDefault("04 999 22 999")
        String urgentPhone();

        /** The same line from abroad; unset: none shown. */
        @WithDefault("+33 4 999 22 808")
        Optional<String> urgentPhoneAbroad();

        /** The form's privacy notice, replacing the built-in one (in every language); unset: the built-in one. */
        Optional<String> privacyNotice();

        /** The address of the full privacy policy, linked from the form; unset: no link. */
        Optional<String> privacyUrl();
    }

    /** The customer's request page (the status link). */
    interface StatusPage {
        /** How long a browser session opened with a request's link stays valid. */
        @WithDefault("12h")
        Duration sessionTtl();

        /** "Lost your link?": at most this many of the address's latest requests are sent. */
        @WithDefault("10")
        int linksPerMail();
    }

    /** Jira Service Management (support) and the Jira R&D project. */
    interface Jira {
        /** Site address, e.g. {@code https://acme.atlassian.net}. Unset: Jira is left alone. */
        Optional<String> url();

        /** {@code cloud} (Basic email + API token, API v3, ADF bodies) or {@code datacenter} (Bearer PAT, API v2). */
        @WithDefault("cloud")
        String flavour();

        /** Cloud: the account's email (Basic authentication with the API token). */
        Optional<String> email();

        /** From the environment only (HUB_JIRA_TOKEN): Cloud API token or Data Center personal access token. */
        Optional<String> token();

        /**
         * How the hub authenticates: {@code basic} (email + API token, classic or scoped), {@code bearer} (Data
         * Center personal access token) or {@code oauth2} (a service account's OAuth 2.0 client credentials).
         * Unset: {@code basic} on Cloud, {@code bearer} on Data Center.
         */
        Optional<String> auth();

        /**
         * Call the API through Atlassian's gateway ({@code <gateway-url>/ex/jira/<cloud-id>}), as a scoped API token
         * requires; always so with {@code oauth2}. Links people read keep pointing at {@code hub.jira.url}.
         */
        @WithDefault("false")
        boolean gateway();

        /** The gateway's address. */
        @WithDefault("https://api.atlassian.com")
        String gatewayUrl();

        /** The site's cloud id; unset: read once from the site ({@code <url>/_edge/tenant_info}). */
        Optional<String> cloudId();

        OAuth2 oauth2();

        /** A service account's OAuth 2.0 credential (client credentials). */
        interface OAuth2 {
            @WithDefault("https://auth.atlassian.com/oauth/token")
            String tokenUrl();

            Optional<String> clientId();

            /** From the environment (HUB_JIRA_OAUTH2_CLIENT_SECRET)... */
            Optional<String> clientSecret();

            /** ...or from a mounted file, read again when it changes. */
            Optional<String> clientSecretFile();
        }

        /** Longest wait for one Jira answer. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * After a write whose answer was lost (a timeout, a connection cut), how long before it is tried again: the
         * retry first looks the write up, and Jira may still be making it, or not yet show it in its search.
         */
        @WithDefault("15s")
        Duration lostAnswerWait();

        /** The JSM service desk's id and its project key. */
        @WithDefault("1")
        String serviceDeskId();

        @WithDefault("SD")
        String projectKey();

        /** JSM request type of anomalies (problems). */
        @WithDefault("10")
        String requestTypeProblem();

        /** JSM request type of usage questions. */
        @WithDefault("11")
        String requestTypeQuestion();

        /** A custom field of the request type that holds the hub number (e.g. customfield_10050); unset: none. */
        Optional<String> hubNumberField();

        /** Jira priority names for the hub's priorities 1 (highest) to 5; empty: priority not sent. */
        @WithDefault("Highest,High,Medium,Low,Lowest")
        List<String> priorityNames();

        /**
         * Staff take a request in charge by moving it to one of these statuses, or by their first public reply; a
         * status reached otherwise (a reopen, a status category) takes nothing in charge.
         */
        @WithDefault("In Progress,En cours,Work in progress,Escalated to R&D")
        List<String> takenInChargeStatuses();

        /** A JSM status whose name is here means "waiting on the customer" (the contractual clock stops). */
        @WithDefault("Waiting for customer,En attente du client")
        List<String> waitingStatuses();

        /** Staff escalate to R&D by adding this label to the request... */
        @WithDefault("escalate-n2")
        String escalationLabel();

        /** ...or by moving it to a status of this name. */
        @WithDefault("Escalated to R&D")
        String escalationStatus();

        /** The R&D project, the type of issue escalations create, and the link type between the two. */
        @WithDefault("DEV")
        String rdProjectKey();

        @WithDefault("Bug")
        String bugIssueType();

        @WithDefault("Relates")
        String linkType();

        /** A field of the bug holding the workaround (e.g. customfield_10060); unset: comments only. */
        Optional<String> workaroundField();

        /** A bug comment starting with one of these is a workaround for the customer. */
        @WithDefault("Workaround:,Contournement :,Contournement:,Solución temporal:")
        List<String> workaroundPrefixes();

        /** Resolve the JSM request when its R&D bug is resolved. */
        @WithDefault("true")
        boolean resolveWithBug();

        /** Names of the JSM transitions that resolve and reopen a request. */
        @WithDefault("Resolve,Resolve this issue,Résoudre")
        List<String> resolveTransitions();

        @WithDefault("Reopen,Rouvrir,Back to in progress")
        List<String> reopenTransitions();

        /** A customer's reply within this time after the resolution reopens the request; later, a new ticket. */
        @WithDefault("7d")
        Duration reopenWindow();

        /** From the environment only (HUB_JIRA_WEBHOOK_SECRET): the secret of the admin webhook. */
        Optional<String> webhookSecret();

        /**
         * Labels staff put on a JSM request to record support's work, as {@code label=step}: on-site-decided
         * (intervention), exchange-decided (standard exchange), on-site-done, workshop-repaired, service-restored.
         */
        @WithDefault("on-site=on-site-decided,standard-exchange=exchange-decided,on-site-done=on-site-done,workshop-repair=workshop-repaired,service-restored=service-restored")
        List<String> stepLabels();

        /** Every so often, Jira is searched for what changed, in case a webhook was lost. */
        @WithDefault("2m")
        Duration reconcileInterval();

        /** Issues per page of the reconciliation search; each page's syncs and high-water mark commit together. */
        @WithDefault("100")
        int reconcilePageSize();
    }

    interface Triage {
        /** A JSON rules file replacing the built-in triage-rules.json; re-read when it changes. */
        Optional<String> rulesFile();

        /**
         * Mail domains shared by many people (webmail, ISPs): a sender there is never identified by domain alone.
         */
        @WithDefault("gmail.com,googlemail.com,yahoo.com,yahoo.fr,hotmail.com,hotmail.fr,outlook.com,outlook.fr,live.com,live.fr,msn.com,icloud.com,me.com,aol.com,orange.fr,wanadoo.fr,free.fr,sfr.fr,neuf.fr,laposte.net,bbox.fr,gmx.fr,gmx.com,gmx.de,proton.me,protonmail.com,yandex.com,mail.com")
        List<String> sharedMailDomains();
    }

    /** Divalto Infinity's REST API: the customer's contract (and, later, the activity records). */
    interface Erp {
        /**
         * Base address, up to the environment: {@code https://api.divaltocloud.com/<site>/<environment>} (the hub
         * adds {@code /api/v1/...}). Unset: the ERP is not asked and every contract is "unknown".
         */
        Optional<String> url();

        /** The API user ({@code userapi@…}). */
        Optional<String> user();

        /** From the environment only (HUB_ERP_PASSWORD). */
        Optional<String> password();

        /** On-premise Harmony only: the Windows domain and the environment sent at login. */
        Optional<String> domain();

        Optional<String> environment();

        /** Longest wait for one ERP answer (connect and response). */
        @WithDefault("2s")
        Duration timeout();

        /** How long a token lives (Divalto: 45 minutes); it is renewed a minute before, and on a 401. */
        @WithDefault("45m")
        Duration tokenLifetime();

        /** After a failure, the ERP is not asked again for this long (intake does not wait on a dead ERP). */
        @WithDefault("30s")
        Duration pauseAfterFailure();

        /** The Diva web service that answers "which customer and which contract" (see docs/configuration.md). */
        @WithDefault("HUB_CONTRAT_SUPPORT")
        String contractAction();

        /** How long an ERP answer about a customer is reused. */
        @WithDefault("10m")
        Duration cacheTtl();

        /** Most customers kept in that cache. */
        @WithDefault("10000")
        long cacheSize();

        /** Send an activity record to the ERP for each support activity. */
        @WithDefault("true")
        boolean records();

        /** The Diva web service that takes activity records (all types, unless {@code record-actions} says). */
        @WithDefault("HUB_ACTIVITE_SUPPORT")
        String recordAction();

        /**
         * The Diva web service that says whether the ERP holds a record ({@code {"key": …}} → {@code {"found": true}}):
         * asked before sending again a record whose earlier attempt may have reached the ERP. Unset, the record is
         * sent again and the record service must ignore a key it already has.
         */
        java.util.Optional<String> recordLookupAction();

        /** Another action for some record types, e.g. {@code hub.erp.record-actions.call=HUB_APPEL}. */
        java.util.Map<String, String> recordActions();

        /**
         * Renames the fields of the record sent to the ERP, e.g. {@code hub.erp.record-fields.customer=CodeTiers}
         * (fields: key, activity, ticket, customer, channel, kind, criticality, contract, quoteRequired, at,
         * minutes, detail).
         */
        java.util.Map<String, String> recordFields();
    }

    /** Contractual deadlines and the business calendars they are counted on. */
    interface Sla {
        /** Time zone of the business calendars. */
        @WithDefault("Europe/Paris")
        String zone();

        /** The support desk's calendar: days, hours and public holidays (a jollyday country code or "none"). */
        @WithDefault("MON-FRI 08:00-18:30 fr")
        String calendar();

        /**
         * Other calendars a contract may name in the ERP, e.g. {@code hub.sla.calendars.extended=MON-SAT 07:00-20:00 fr}.
         */
        java.util.Map<String, String> calendars();

        /** Maintained customers: taken in charge within this much business time. */
        @WithDefault("4h")
        Duration takeCharge();

        /** Maintained customers: on site within this much business time once an intervention is decided. */
        @WithDefault("16h")
        Duration onSite();

        /** Availability promised for hosted systems, in percent of each month. */
        @WithDefault("99.6")
        double hostedAvailability();
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

    interface Outbox {
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

        /** How long a replica owns a claimed row; after that another replica may take it over. */
        @WithDefault("2m")
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

    interface Api {
        /** Idempotency-Keys (and the web form's resubmission records) are forgotten after this long. */
        @WithDefault("7d")
        Duration idempotencyRetention();
    }

    interface Web {
        /** The same form content from the same address within this time answers the ticket it opened. */
        @WithDefault("10m")
        Duration resubmitWindow();
    }
}
