package com.esii.support.hub.web;

import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.TicketConfig;

/**
 * The language of a customer's page: the one asked for ({@code ?lang=}), else the one chosen before (the {@code lang}
 * cookie), else the browser's ({@code Accept-Language}), else the desk's default.
 */
final class PageLanguage {

    private PageLanguage() {
    }

    static Language of(String param, String cookie, String acceptLanguage, TicketConfig config) {
        return Language.fromCode(param)
                .or(() -> Language.fromCode(cookie))
                .or(() -> Language.fromAcceptLanguage(acceptLanguage))
                .orElse(config.language());
    }
}
