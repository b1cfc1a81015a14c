package com.esii.support.hub.erp;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Divalto Infinity's REST API: the customer's contract (and, later, the activity records) ({@code hub.erp.*}). Every
 * setting is in the configuration table (docs/configuration.md).
 */
@ConfigMapping(prefix = "hub.erp")
public interface ErpConfig {

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
    Optional<String> recordLookupAction();

    /** Another action for some record types, e.g. {@code hub.erp.record-actions.call=HUB_APPEL}. */
    Map<String, String> recordActions();

    /**
     * Renames the fields of the record sent to the ERP, e.g. {@code hub.erp.record-fields.customer=CodeTiers}
     * (fields: key, activity, ticket, customer, channel, kind, criticality, contract, quoteRequired, at,
     * minutes, detail).
     */
    Map<String, String> recordFields();
}
