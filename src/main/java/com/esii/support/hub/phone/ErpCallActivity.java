package com.esii.support.hub.phone;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.esii.support.hub.ticket.ActivityJournal;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;

/**
 * Where an answered call of a known customer becomes an ERP activity record ("call"), in the transaction that
 * stores the call: on the ticket the agent named, else on the customer. Keyed by the call's row, so a call is
 * recorded once however often its segments are seen.
 */
@ApplicationScoped
public class ErpCallActivity {

    private static final Logger LOG = Logger.getLogger(ErpCallActivity.class);

    private final ActivityJournal records;
    private final TicketLedger ledger;

    public ErpCallActivity(ActivityJournal records, TicketLedger ledger) {
        this.records = records;
        this.ledger = ledger;
    }

    /**
     * An answered call of a known customer, just stored (called once per call, in the transaction that stores it
     * or that finds its customer after the ERP was down).
     *
     * @param callRowId    the call's row in {@code phone_call} (the key of the activity record, for idempotence)
     * @param customerCode the ERP's customer code
     * @param ticketId     the ticket the call was about, when the agent entered its number; else null
     * @param callStart    when the call began: the record's time, so that the figures count it with the calls of
     *                     its day (not on the day its last segment was read)
     */
    public void answeredCall(long callRowId, PhoneCall call, String customerCode, Long ticketId,
            OffsetDateTime callStart, OffsetDateTime now) {
        String detail = "call " + call.callId() + " from " + call.caller() + ", answered by " + call.agentExtension()
                + (call.agentName() == null ? "" : " (" + call.agentName() + ")") + " after " + call.answerSeconds()
                + " s, talk " + call.talkSeconds() + " s";
        long minutes = Math.max(1, (call.talkSeconds() + call.holdSeconds() + 59) / 60);
        Ticket t = ticketId == null ? null : ledger.findById(ticketId).orElse(null);
        if (t != null) {
            records.record(t, "call", detail, minutes, "call-" + callRowId, callStart, now);
        } else {
            records.recordForCustomer("call/" + callRowId, customerCode, "call", detail, minutes, callStart, now);
        }
        LOG.debugf("Call %d of customer %s recorded for the ERP", callRowId, customerCode);
    }
}
