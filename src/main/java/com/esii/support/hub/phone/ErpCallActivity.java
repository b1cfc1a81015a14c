package com.esii.support.hub.phone;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * Where an answered call of a known customer becomes an ERP activity record. The ERP activity records are a later
 * issue: until then this records nothing. When they exist, {@link #answeredCall} enqueues the record in the
 * outbox (it runs inside the transaction that stores the call, so the record is enqueued exactly once with it):
 * {@code outbox.enqueue("erp-activity", "erp:" + customerCode, ticketId, payload, now)}.
 */
@ApplicationScoped
public class ErpCallActivity {

    private static final Logger LOG = Logger.getLogger(ErpCallActivity.class);

    /**
     * An answered call of a known customer, just stored (called once per call, in the transaction that stores it
     * or that finds its customer after the ERP was down).
     *
     * @param callRowId    the call's row in {@code phone_call} (the key of the activity record, for idempotence)
     * @param customerCode the ERP's customer code
     * @param ticketId     the ticket the call was about, when the agent entered its number; else null
     */
    public void answeredCall(long callRowId, PhoneCall call, String customerCode, Long ticketId, OffsetDateTime now) {
        LOG.debugf("Call %d (%s) of customer %s: ERP activity record not built yet", callRowId, call.callId(),
                customerCode);
    }
}
