package com.esii.support.hub.oncall;

import com.esii.support.hub.security.AdminFrame;
import com.esii.support.hub.ticket.Ticket;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * On-call's templates, {@code templates/oncall/}: the staff mails in the desk's language ({@code pageFr} is
 * {@code page-fr.txt}; a {@code $subject} method renders the mail's subject, a hidden fragment of the same file, whose
 * parameters the whole file's method takes too) and the page acknowledgement page. Checked when the application is built: a template missing, or an expression that its
 * parameters do not have, fails the build.
 */
@CheckedTemplate(basePath = "oncall", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
final class Templates {

    private Templates() {
    }

    // A page (Paging): level is the level's name, headline the page's text (the webhook's too), ackLink null
    // without a signing key, timeout how long before the next level is paged, requestUrl the JSM request's agent
    // view (null before the request exists; a warning's too).

    static native TemplateInstance pageFr(Ticket t, int page, String level, String headline, String ackLink,
            String timeout, String requestUrl);

    static native TemplateInstance pageEn(Ticket t, int page, String level, String headline, String ackLink,
            String timeout, String requestUrl);

    static native TemplateInstance pageEs(Ticket t, int page, String level, String headline, String ackLink,
            String timeout, String requestUrl);

    static native TemplateInstance pageFr$subject(Ticket t);

    static native TemplateInstance pageEn$subject(Ticket t);

    static native TemplateInstance pageEs$subject(Ticket t);

    // A take-charge warning or the breach (DeadlineWatchdog): detail is what the history and the comment say too.

    static native TemplateInstance warningFr(Ticket t, TakeChargeWatchdog.Step step, String detail, String requestUrl);

    static native TemplateInstance warningEn(Ticket t, TakeChargeWatchdog.Step step, String detail, String requestUrl);

    static native TemplateInstance warningEs(Ticket t, TakeChargeWatchdog.Step step, String detail, String requestUrl);

    static native TemplateInstance warningFr$subject(Ticket t, TakeChargeWatchdog.Step step);

    static native TemplateInstance warningEn$subject(Ticket t, TakeChargeWatchdog.Step step);

    static native TemplateInstance warningEs$subject(Ticket t, TakeChargeWatchdog.Step step);

    // A poor rating (PoorRatingAlert): label is the rating in words, comment the customer's (null: none),
    // requestUrl the JSM request's agent view (null when unknown).

    static native TemplateInstance poorRatingFr(Ticket t, int rating, String label, String comment, String requestUrl);

    static native TemplateInstance poorRatingEn(Ticket t, int rating, String label, String comment, String requestUrl);

    static native TemplateInstance poorRatingEs(Ticket t, int rating, String label, String comment, String requestUrl);

    static native TemplateInstance poorRatingFr$subject(Ticket t, int rating);

    static native TemplateInstance poorRatingEn$subject(Ticket t, int rating);

    static native TemplateInstance poorRatingEs$subject(Ticket t, int rating);

    // The page acknowledgement page (PageAckResource): the form (confirm), or else message.

    static native TemplateInstance pageAck(String lang, String title, PageAckResource.Confirm confirm,
            String message);

    // The rota's admin page (RotaPages), inside admin/layout.html.

    static native TemplateInstance rota(AdminFrame frame, RotaPages.RotaView view);
}
