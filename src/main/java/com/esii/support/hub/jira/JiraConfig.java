package com.esii.support.hub.jira;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Jira Service Management (support) and the Jira R&D project ({@code hub.jira.*}). Every setting is in the
 * configuration table (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub.jira")
public interface JiraConfig {

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

    // hub.jira.reopen-window is the core's (ticket/TicketConfig): the ticket decides what a late reply opens.

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
