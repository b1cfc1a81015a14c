package com.esii.support.hub.phone;

import java.util.List;

/**
 * Makes one call of its SMDR segments, in the order IP Office wrote them (each segment is written when it ends;
 * the last one has Continuation = 0). Pure: no clock, no database.
 *
 * <ul>
 * <li>Direction from the first segment: I and not internal is a customer calling in.</li>
 * <li>Answered when a segment connected an extension or a conference channel; else an inbound call that reached a
 * voicemail channel is VOICEMAIL, and one that was never connected is ABANDONED (it rang, nobody took it).</li>
 * <li>Answer time: the ring time of the segments up to and including the first answered one.</li>
 * <li>Talk time: connected time of the segments not on voicemail; hold and park times are summed.</li>
 * <li>The agent is the extension of the first answered segment; the account code is the last one entered.</li>
 * </ul>
 */
public final class CallAssembler {

    private CallAssembler() {
    }

    public static PhoneCall assemble(List<SmdrRecord> segments) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a call has at least one segment");
        }
        SmdrRecord first = segments.get(0);
        PhoneCall.Direction direction = first.internal() ? PhoneCall.Direction.INTERNAL
                : first.inbound() ? PhoneCall.Direction.INBOUND : PhoneCall.Direction.OUTBOUND;
        int ring = 0;
        int talk = 0;
        int hold = 0;
        int park = 0;
        int ringBeforeAnswer = 0;
        Integer answer = null;
        SmdrRecord answeredBy = null;
        boolean voicemail = false;
        boolean anyConnected = false;
        String account = null;
        boolean complete = false;
        for (SmdrRecord s : segments) {
            ring += s.ringSeconds();
            hold += s.holdSeconds();
            park += s.parkSeconds();
            boolean onVoicemail = s.involves(SmdrRecord.Device.Kind.VOICEMAIL);
            if (!onVoicemail) {
                talk += s.connectedSeconds();
            }
            anyConnected |= s.connected();
            voicemail |= onVoicemail && s.connected();
            if (answer == null) {
                ringBeforeAnswer += s.ringSeconds();
                boolean person = s.connected() && !onVoicemail && (s.involves(SmdrRecord.Device.Kind.EXTENSION)
                        || s.involves(SmdrRecord.Device.Kind.CONFERENCE));
                if (person) {
                    answer = ringBeforeAnswer;
                    answeredBy = s;
                }
            }
            if (!s.account().isEmpty()) {
                account = s.account();
            }
            complete |= !s.continuation();
        }
        PhoneCall.Outcome outcome;
        if (direction == PhoneCall.Direction.INBOUND) {
            outcome = answer != null ? PhoneCall.Outcome.ANSWERED
                    : voicemail ? PhoneCall.Outcome.VOICEMAIL : PhoneCall.Outcome.ABANDONED;
        } else {
            outcome = anyConnected ? PhoneCall.Outcome.ANSWERED : PhoneCall.Outcome.NOT_ANSWERED;
            if (answer == null && anyConnected) {
                answer = ringBeforeAnswer;
            }
        }
        String agent = null;
        String agentName = null;
        SmdrRecord agentSegment = answeredBy != null ? answeredBy
                : direction == PhoneCall.Direction.INBOUND ? null : first;
        if (agentSegment != null && agentSegment.extensionParty() != null) {
            agent = agentSegment.extensionParty().extension();
            agentName = blankToNull(agentSegment.extensionPartyName());
        }
        return new PhoneCall(first.callId(), first.callStart(), direction, outcome, blankToNull(first.caller()),
                blankToNull(first.calledNumber()), blankToNull(first.dialledNumber()), ring,
                outcome == PhoneCall.Outcome.ANSWERED ? answer : null, talk, hold, park, agent, agentName, account,
                segments.size(), complete);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
