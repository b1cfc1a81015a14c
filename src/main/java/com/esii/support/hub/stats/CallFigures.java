package com.esii.support.hub.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;

import com.esii.support.hub.ticket.CallLog;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The brochure's call figures over inbound customer calls: how many, how many answered by a person, abandoned
 * (rang, never connected) or left to voicemail; the abandoned-call rate (abandoned / all inbound calls) and the
 * average answer time (how long answered callers waited, in seconds).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CallFigures(int total, int answered, int abandoned, int voicemail, double abandonedRate,
        Double averageAnswerSeconds, Double averageTalkSeconds) {

    public static CallFigures of(Collection<CallLog.InboundCall> calls) {
        int answered = 0;
        int abandoned = 0;
        int voicemail = 0;
        long answerSum = 0;
        long talkSum = 0;
        int answerCount = 0;
        for (CallLog.InboundCall c : calls) {
            switch (c.outcome()) {
                case "ANSWERED" -> {
                    answered++;
                    talkSum += c.talkSeconds();
                    if (c.answerSeconds() != null) {
                        answerSum += c.answerSeconds();
                        answerCount++;
                    }
                }
                case "ABANDONED" -> abandoned++;
                case "VOICEMAIL" -> voicemail++;
                default -> {
                }
            }
        }
        int total = calls.size();
        return new CallFigures(total, answered, abandoned, voicemail,
                total == 0 ? 0.0 : round((double) abandoned / total, 4),
                answerCount == 0 ? null : round((double) answerSum / answerCount, 1),
                answered == 0 ? null : round((double) talkSum / answered, 1));
    }

    private static double round(double v, int digits) {
        return BigDecimal.valueOf(v).setScale(digits, RoundingMode.HALF_UP).doubleValue();
    }
}
