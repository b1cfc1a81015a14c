package com.esii.support.hub.email;

import com.esii.support.hub.security.AdminFrame;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The email channel's admin pages, {@code templates/email/}, inside {@code admin/layout.html}; checked at build time.
 */
@CheckedTemplate(basePath = "email", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
final class AdminTemplates {

    private AdminTemplates() {
    }

    /** The mail verdicts, the latest first. */
    static native TemplateInstance verdicts(AdminFrame frame, MailPages.ListView view);

    /** One verdict and its raw mail as text. */
    static native TemplateInstance verdict(AdminFrame frame, MailPages.VerdictView verdict, String raw,
            boolean cut, String emlHref);

    /** The suppressed addresses. */
    static native TemplateInstance suppressions(AdminFrame frame, SuppressionPages.ListView view);

    /** One suppression and the form that lifts it. */
    static native TemplateInstance suppression(AdminFrame frame, SuppressionPages.Row row, String action);
}
