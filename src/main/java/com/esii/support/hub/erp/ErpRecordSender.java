package com.esii.support.hub.erp;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.esii.support.hub.erp.dto.RecordFound;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.erp.dto.RecordFound;
import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.erp.dto.RecordFound;
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
 *
 * <p>The steps of route {@value #ROUTE} ({@code routes/erp.yaml}), which performs the {@code erp-record} rows.
 */
@ApplicationScoped
@Named("erpRecordSender")
public class ErpRecordSender {

    private final ErpRecords records;
    private final ErpClient erp;
    private final TicketLedger ledger;
    private final ErpConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;

    public ErpRecordSender(ErpRecords records, ErpClient erp, TicketLedger ledger, ErpConfig config, ObjectMapper json,
            Clock clock, MeterRegistry metrics) {
        this.records = records;
        this.erp = erp;
        this.ledger = ledger;
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The route performing erp-record rows ({@code routes/erp.yaml}). */
    public static final String ROUTE = "erp-push-activity";

    /** One activity record on its way to the ERP. */
    public static final class Sending {
        private final OutboxRow row;
        private final ErpRecords.Row record;
        private final Ticket ticket;
        private boolean there;

        Sending(OutboxRow row, ErpRecords.Row record, Ticket ticket) {
            this.row = row;
            this.record = record;
            this.ticket = ticket;
        }

        /** An earlier attempt sent it and recorded so. */
        public boolean sent() {
            return record.sentAt() != null;
        }

        /** An earlier claim of the row may have reached the ERP. */
        public boolean mayHaveReachedTarget() {
            return row.mayHaveReachedTarget();
        }

        /** The ERP holds the record already (found by its key). */
        public boolean alreadyThere() {
            return there;
        }
    }

    /**
     * The record and its ticket. A row's first claim sends the record its row carries, as written (nothing sent it
     * before: only this route marks it sent); a later claim (a retry, a replica that died, a replay) reads it, sent
     * or not, as rows that do not carry it.
     */
    public Sending load(OutboxRow row) throws Exception {
        ErpRecords.Payload p = json.readValue(row.payload(), ErpRecords.Payload.class);
        Optional<ErpRecords.Row> carried = row.mayHaveReachedTarget() ? Optional.empty() : records.asWritten(p);
        ErpRecords.Row r = carried.or(() -> records.find(p)).orElseThrow(() -> new PermanentFailure(
                "no activity record " + (p.key() != null ? p.key() : p.record())));
        // as the relay read it with the row, else read here
        Ticket t = r.ticketId() == null ? null
                : row.ticket(r.ticketId()).or(() -> ledger.findById(r.ticketId())).orElse(null);
        return new Sending(row, r, t);
    }

    /**
     * The record names the ticket's customer: while the ERP could not say who it is (contract unknown), the
     * record waits, as for an ERP that is down.
     */
    public void requireContract(Sending s) {
        Ticket t = s.ticket;
        if (t != null && t.triage() != null && Ticket.UNKNOWN.equals(t.triage().contract())) {
            throw new TargetUnavailable("waiting for the ERP to name the customer of " + t.number());
        }
    }

    /** Asks the ERP whether it holds the record already, by its key (when hub.erp.record-lookup-action is set). */
    public void lookUp(Sending s) {
        s.there = call(s, () -> alreadyThere(s.record.key()));
        if (s.there) {
            metrics.counter("hub.erp.records", "activity", s.record.activity(), "outcome", "found").increment();
        }
    }

    /** Sends the record: hub.erp.record-action, or the action of its activity (hub.erp.record-actions). */
    public void execute(Sending s) {
        ErpRecords.Row r = s.record;
        Map<String, Object> param = param(r, s.ticket);
        String action = config.recordActions().getOrDefault(r.activity(), config.recordAction());
        call(s, () -> erp.execute(action, param));
    }

    /** Marks the record sent. */
    public void markSent(Sending s) {
        QuarkusTransaction.requiringNew().run(() -> records.markSent(s.record.key(), OffsetDateTime.now(clock)));
        metrics.counter("hub.erp.records", "activity", s.record.activity(), "outcome", "sent").increment();
    }

    /** The ERP down: retried for as long as it takes; the ERP refusing: dead, with its message. */
    private <T> T call(Sending s, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (ErpUnavailableException e) {
            metrics.counter("hub.erp.records", "activity", s.record.activity(), "outcome", "retry").increment();
            throw new TargetUnavailable(e.getMessage(), e);
        } catch (ErpRefusedException e) {
            metrics.counter("hub.erp.records", "activity", s.record.activity(), "outcome", "refused").increment();
            throw new PermanentFailure(e.getMessage());
        }
    }

    /** Whether the ERP already holds the record with this key (asked only when hub.erp.record-lookup-action is set). */
    private boolean alreadyThere(String key) {
        if (config.recordLookupAction().isEmpty()) {
            return false;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        put(p, "key", key);
        return erp.execute(config.recordLookupAction().get(), p, RecordFound.class).found();
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
