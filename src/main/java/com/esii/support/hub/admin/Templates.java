package com.esii.support.hub.admin;

import java.util.List;

import com.esii.support.hub.security.AdminFrame;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The admin home and the outbox's pages, {@code templates/admin/} ({@code outboxRow} is {@code outbox-row.html}),
 * each inside {@code layout.html}; checked when the application is built.
 */
@CheckedTemplate(basePath = "admin", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
final class Templates {

    private Templates() {
    }

    /** The admin home: every admin page, and the dead rows that wait for an operator. */
    static native TemplateInstance home(AdminFrame frame, List<AdminHome.Entry> entries, long dead);

    /** The outbox's rows in one state. */
    static native TemplateInstance outbox(AdminFrame frame, OutboxPages.ListView view);

    /** One dead row and the decision to confirm: replay or skip. */
    static native TemplateInstance outboxConfirm(AdminFrame frame, OutboxPages.RowView row, String action, String title,
            String explain, String button);
}
