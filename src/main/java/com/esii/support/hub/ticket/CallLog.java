package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * The calls the phone system reported, as the phone edge keeps them: the managers' figures (stats) read them through
 * this port, knowing no phone edge. Implemented by {@code phone.PhoneLedger}.
 */
public interface CallLog {

    /** An inbound call: when it began, its outcome (ANSWERED, ABANDONED, VOICEMAIL…), the wait and the talk. */
    record InboundCall(OffsetDateTime callStart, String outcome, Integer answerSeconds, int talkSeconds) {
    }

    /** The inbound calls that began from {@code from} (included) to {@code to} (excluded). */
    List<InboundCall> inboundCalls(OffsetDateTime from, OffsetDateTime to);

    /** The phone system's time zone ({@code hub.phone.zone}): the figures' days are its days. */
    ZoneId zone();
}
