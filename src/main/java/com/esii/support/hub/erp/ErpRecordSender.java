package com.esii.support.hub.erp;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.config.HubConfig;
import com.esii.support.hub.outbox.OutboxHandler;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.outbox.TargetUnavailable;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Sends one activity record to the ERP ({@code WebService/Execute} with {@code hub.erp.record-action}). The
 * record carries its idempotency key, so that a retry after an ambiguous failure (a timeout after the ERP took it)
 * is recognised by the ERP's service and not recorded twice; when {@code hub.erp.record-lookup-action} is set, a record
 * whose earlier attempt may have reached the ERP is first looked up by its key and not sent again if it is there. While the ERP is down the record waits, however long
 * (never dead); a refusal by the ERP goes dead with the ERP's message. A ticket's first record waits for its
 * contract when the ERP could not say it at intake, so that the record names the customer.
 */
@ApplicationScoped
public class ErpRecordSender implements OutboxHandler {

    private final ErpRecords records;
    private final ErpClient erp;
    private final TicketLedger ledger;
    private final HubConfig.Erp config;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;

    public ErpRecordSender(ErpRecords records, ErpClient erp, TicketLedger ledger, HubConfig config, ObjectMapper json,
            Clock clock, MeterRegistry metrics) {
        this.records = records;
        this.erp = erp;
        this.ledger = ledger;
        this.config = config.erp();
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public String type() {
        return ErpRecords.TYPE;
    }

    @Override
    public void handle(OutboxRow row) throws Exception {
        long id = json.readValue(row.payload(), ErpRecords.Payload.class).record();
        ErpRecords.Row r = records.find(id).orElseThrow(() -> new PermanentFailure("no activity record " + id));
        if (r.sentAt() != null) {
            return;
        }
        Ticket t = r.ticketId() == null ? null : ledger.findById(r.ticketId()).orElse(null);
        if (t != null && t.triage() != null && Ticket.UNKNOWN.equals(t.triage().contract())) {
            throw new TargetUnavailable("waiting for the ERP to name the customer of " + t.number());
        }
        Map<String, Object> param = param(r, t);
        String action = config.recordActions().getOrDefault(r.activity(), config.recordAction());
        try {
            if (row.mayHaveReachedTarget() && alreadyThere(r.key())) {
                metrics.counter("hub.erp.records", "activity", r.activity(), "outcome", "found").increment();
            } else {
                erp.execute(action, param);
            }
        } catch (ErpUnavailableException e) {
            metrics.counter("hub.erp.records", "activity", r.activity(), "outcome", "retry").increment();
            throw new TargetUnavailable(e.getMessage(), e);
        } catch (ErpRefusedException e) {
            metrics.counter("hub.erp.records", "activity", r.activity(), "outcome", "refused").increment();
            throw new PermanentFailure(e.getMessage());
        }
        QuarkusTransaction.requiringNew().run(() -> records.markSent(id, OffsetDateTime.now(clock)));
        metrics.counter("hub.erp.records", "activity", r.activity(), "outcome", "sent").increment();
    }

    /** Whether the ERP already holds the record with this key (asked only when hub.erp.record-lookup-action is set). */
    private boolean alreadyThere(String key) {
        if (config.recordLookupAction().isEmpty()) {
            return false;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        put(p, "key", key);
        return erp.execute(config.recordLookupAction().get(), p).path("found").asBoolean(false);
    }

    /** The record as the ERP's service reads it; field names renamed by {@code hub.erp.record-fields}. */
    Map<String, Object> param(ErpRecords.Row r, Ticket t) {
        Map<String, Object> p = new LinkedHashMap<>();
        put(p, "key", r.key());
        put(p, "activity", r.activity());
        put(p, "ticket", t == null ? null : t.number());
        put(p, "customer", t == null || t.triage() == null || t.triage().customerCode() == null ? r.customerCode()
                : t.triage().customerCode());
        put(p, "channel", t == null ? null : t.channel().name().toLowerCase(Locale.ROOT));
        put(p, "kind", t == null || t.kind() == null ? null : t.kind().code());
        put(p, "criticality", t == null || t.criticality() == null ? null : t.criticality().code());
        put(p, "contract", t == null || t.triage() == null ? null : t.triage().contract());
        put(p, "quoteRequired", r.quoteRequired());
        put(p, "at", r.occurredAt().toString());
        put(p, "minutes", r.minutes());
        put(p, "detail", r.detail());
        return p;
    }

    private void put(Map<String, Object> p, String field, Object value) {
        if (value != null) {
            p.put(config.recordFields().getOrDefault(field, field), value);
        }
    }
}
