package com.esii.support.hub.ticket;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The language a new ticket is answered in, decided once, when it is opened: the language the message declares
 * (a mail's {@code Content-Language}), else that of the customer's latest earlier ticket, else the language of what
 * they wrote ({@link LanguageDetection}), else the desk's default ({@code hub.default-language}). The ticket keeps
 * it: its acknowledgement, notices and status page use it.
 *
 * @param language the language decided
 * @param source   what decided it
 */
public record LanguageDecision(Language language, Source source) {

    /** What decided a ticket's language. */
    public enum Source {
        DECLARED, EARLIER_TICKET, DETECTED, DEFAULT
    }

    /**
     * @param declared       the language the message declares (a language tag such as {@code es-ES}), or null
     * @param earlierTickets the language of the customer's latest earlier ticket, asked only when needed
     * @param subject        the subject, or null
     * @param text           what the customer wrote this time (no quoted history), or null
     * @param fallback       the desk's default language
     */
    public static LanguageDecision decide(String declared, Supplier<Optional<Language>> earlierTickets,
            String subject, String text, Language fallback) {
        if (declared != null) {
            // A list ("da, en-GB") names every audience: the first supported language is taken.
            for (String tag : declared.split(",")) {
                Optional<Language> l = Language.fromCode(tag);
                if (l.isPresent()) {
                    return new LanguageDecision(l.get(), Source.DECLARED);
                }
            }
        }
        Optional<Language> l = earlierTickets.get();
        if (l.isPresent()) {
            return new LanguageDecision(l.get(), Source.EARLIER_TICKET);
        }
        l = LanguageDetection.of(subject, text);
        if (l.isPresent()) {
            return new LanguageDecision(l.get(), Source.DETECTED);
        }
        return new LanguageDecision(fallback, Source.DEFAULT);
    }
}
