package com.esii.support.hub.phone;

import com.esii.support.hub.security.AdminFrame;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The phone channel's admin page, {@code templates/phone/}, inside {@code admin/layout.html}; checked at build time. */
@CheckedTemplate(basePath = "phone", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
final class Templates {

    private Templates() {
    }

    /** The calls, the latest first, and the latest rejected SMDR lines. */
    static native TemplateInstance calls(AdminFrame frame, CallPages.CallsView view);
}
