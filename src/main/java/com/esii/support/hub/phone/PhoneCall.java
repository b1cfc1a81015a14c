package com.esii.support.hub.phone;

import java.time.LocalDateTime;
import java.util.Locale;

/**
 * A call assembled from its SMDR segments (same Call ID and Call Start).
 *
 * @param ringSeconds    ring time of all its segments (the caller waiting, transfers ringing included)
 * @param answerSeconds  how long the caller waited before a person (or a conference) answered; null when nobody did
 * @param talkSeconds    time connected to people (voicemail excluded)
 * @param agentExtension the extension that answered first (without the {@code E}), null when none did
 * @param accountCode    the last account code entered on the call (the customer's access code, or a ticket number)
 * @param complete       false when the final segment (Continuation = 0) never came and the call was closed as is
 */
public record PhoneCall(
        long callId,
        LocalDateTime callStart,
        Direction direction,
        Outcome outcome,
        String caller,
        String calledNumber,
        String dialledNumber,
        int ringSeconds,
        Integer answerSeconds,
        int talkSeconds,
        int holdSeconds,
        int parkSeconds,
        String agentExtension,
        String agentName,
        String accountCode,
        int segments,
        boolean complete) {

    public enum Direction {
        /** A customer calling in (Direction I, not internal): the calls the figures are about. */
        INBOUND,
        /** Support calling out. */
        OUTBOUND,
        /** Extension to extension. */
        INTERNAL;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Outcome {
        /** A person (or a conference) took the call. */
        ANSWERED,
        /** An inbound call that rang and was never connected: the caller hung up. */
        ABANDONED,
        /** An inbound call nobody took that reached voicemail (or hung up in the auto-attendant). */
        VOICEMAIL,
        /** An outbound or internal call the other side did not take. */
        NOT_ANSWERED;

        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The number of the other party: the caller of an inbound call, the number dialled for an outbound one. */
    public String customerNumber() {
        return switch (direction) {
            case INBOUND -> caller;
            case OUTBOUND -> dialledNumber == null || dialledNumber.isBlank() ? calledNumber : dialledNumber;
            case INTERNAL -> null;
        };
    }
}
