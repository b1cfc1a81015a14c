package com.esii.support.hub.mail;

import java.util.List;

import com.esii.support.hub.ticket.Ticket;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The customers' mails, {@code templates/mail/<kind>-<language>.txt} ({@code ackFr} is {@code ack-fr.txt}), and the
 * HTML part sent beside each ({@code html-part.html}). Checked when the application is built: a template missing, or
 * an expression that its parameters do not have, fails the build.
 */
@CheckedTemplate(basePath = "mail", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
final class Templates {

    private Templates() {
    }

    // The acknowledgement (AcknowledgementMail): this ticket's own commitment. takeChargeBy: its take-charge
    // deadline in words (null: no maintenance contract, a quote first); provisional: the contract is not known yet;
    // paged: the on-call technician was paged; unknownCode: the access code given, when it named no contract;
    // takenInChargeFrom is null unless the ticket was written while the desk was closed and pages nobody.

    static native TemplateInstance ackFr(Ticket t, String kind, String impact, String takeChargeHours,
            String deskHours, String takeChargeBy, boolean provisional, boolean paged, String unknownCode,
            String takenInChargeFrom, String statusUrl);

    static native TemplateInstance ackEn(Ticket t, String kind, String impact, String takeChargeHours,
            String deskHours, String takeChargeBy, boolean provisional, boolean paged, String unknownCode,
            String takenInChargeFrom, String statusUrl);

    static native TemplateInstance ackEs(Ticket t, String kind, String impact, String takeChargeHours,
            String deskHours, String takeChargeBy, boolean provisional, boolean paged, String unknownCode,
            String takenInChargeFrom, String statusUrl);

    // A notice (CustomerNotice): statusUrl is null for a row queued before notices carried a link; rate, the
    // resolution's "how did we do?" links, empty when not asked.

    static native TemplateInstance noticeFr(Ticket t, String kind, String author, String ref, String text,
            long reopenDays, String statusUrl, List<CustomerNotice.Rate> rate);

    static native TemplateInstance noticeEn(Ticket t, String kind, String author, String ref, String text,
            long reopenDays, String statusUrl, List<CustomerNotice.Rate> rate);

    static native TemplateInstance noticeEs(Ticket t, String kind, String author, String ref, String text,
            long reopenDays, String statusUrl, List<CustomerNotice.Rate> rate);

    // The links sent again (LinkReminder).

    static native TemplateInstance linksFr(String name, List<LinkReminder.Shown> links);

    static native TemplateInstance linksEn(String name, List<LinkReminder.Shown> links);

    static native TemplateInstance linksEs(String name, List<LinkReminder.Shown> links);

    static native TemplateInstance linksFr$subject();

    static native TemplateInstance linksEn$subject();

    static native TemplateInstance linksEs$subject();

    // The link to the list of the customer's requests (RequestListMail): until, its expiry written out.

    static native TemplateInstance requestsFr(String name, String url, String until);

    static native TemplateInstance requestsEn(String name, String url, String until);

    static native TemplateInstance requestsEs(String name, String url, String until);

    static native TemplateInstance requestsFr$subject();

    static native TemplateInstance requestsEn$subject();

    static native TemplateInstance requestsEs$subject();

}
