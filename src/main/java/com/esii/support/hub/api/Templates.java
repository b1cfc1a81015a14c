package com.esii.support.hub.api;

import com.esii.support.hub.security.AdminFrame;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The tickets' admin pages, {@code templates/api/}, inside {@code admin/layout.html}; checked at build time. */
@CheckedTemplate(basePath = "api", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
final class Templates {

    private Templates() {
    }

    /** The tickets that match the filters, newest first. */
    static native TemplateInstance tickets(AdminFrame frame, TicketPages.ListView view);

    /** One ticket as staff see it: its facts, history, messages and outbox rows. */
    static native TemplateInstance ticket(AdminFrame frame, TicketPages.TicketPage page);
}
