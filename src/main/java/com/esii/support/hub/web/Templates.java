package com.esii.support.hub.web;

import java.util.List;
import java.util.Map;

import com.esii.support.hub.ticket.Ticket;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The customers' pages, {@code templates/web/} ({@code lostLink} is {@code lost-link.html}), each inside
 * {@code layout.html}. Checked when the application is built: a template missing, or an expression that its
 * parameters do not have, fails the build. Every page has the texts of its language ({@code m}, from
 * {@code CustomerTexts}) and the language's code ({@code lang}).
 */
@CheckedTemplate(basePath = "web", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
final class Templates {

    private Templates() {
    }

    // WebForm

    /**
     * The form: what was typed, one error sentence per field (empty: none), the desk's notices; {@code unavailable}
     * the sentence saying the form could not be taken now (the database away: empty otherwise).
     */
    static native TemplateInstance form(Map<String, String> m, String lang, WebForm.Fields f,
            Map<String, String> errors, boolean hasErrors, List<WebForm.LanguageOption> langs, boolean switched,
            String urgentCall, String urgentPhone, String urgentTel, String urgentAbroad, String urgentHours,
            String limits, String privacyNotice, String privacyUrl, String lostFiles, String unavailable);

    /**
     * A ticket opened; {@code statusUrl} null when the link is only in the mail; {@code codeNotice} null unless the
     * access code given named no contract.
     */
    static native TemplateInstance submitted(Map<String, String> m, String lang, String number, String email,
            boolean again, String statusUrl, String codeNotice);

    /** What a bot that filled the honeypot is answered. */
    static native TemplateInstance received(Map<String, String> m, String lang);

    // RequestPage

    /** The page that sends the browser on to {@code target}, the request page without the token. */
    static native TemplateInstance opening(Map<String, String> m, String lang, String target);

    /** The request page; each time written out ({@code takenAt}) beside its machine form ({@code takenIso}). */
    static native TemplateInstance status(Map<String, String> m, String lang, Ticket t, String pagePath,
            String state, String next, boolean resolved, String resolvedAt, String resolvedIso, String takenAt,
            String takenIso, boolean canReopen, boolean tooLate, String confirmedAt, String confirmedIso,
            boolean canReply, String created, String createdIso, String kind,
            String impact, List<RequestPage.Message> conversation, RequestPage.VisitView visit,
            List<RequestPage.ExchangeStep> exchange, String done, boolean hasErrors, String messageError,
            String attachmentsError, String typed, String lostFiles, String limits, String reopenHelp,
            SatisfactionForm rate);

    // SatisfactionPage

    /**
     * "How did we do?" for one ticket: the form ({@code web/satisfaction-form.html}, which the request page includes
     * too), the rating given, or why none can be given yet; {@code keep} the query the language links keep (the
     * rating chosen), {@code notice} a sentence above it (empty: none).
     */
    static native TemplateInstance satisfaction(Map<String, String> m, String lang, Ticket t, String pagePath,
            SatisfactionForm rate, String keep, boolean hasErrors, String notice);

    /** "Lost your link?": the form, or {@code sent}. */
    static native TemplateInstance lostLink(Map<String, String> m, String lang, String email, String error,
            boolean sent);

    // MyRequestsPage

    /**
     * "My requests": the form, or {@code sent}; {@code invalid} when a link to the list did not (or no longer) open
     * it.
     */
    static native TemplateInstance myRequests(Map<String, String> m, String lang, String email, String error,
            boolean sent, boolean invalid);

    /** The list of an address's requests, newest first; {@code more} says when only the latest are shown. */
    static native TemplateInstance myRequestsList(Map<String, String> m, String lang, String intro,
            List<MyRequestsPage.Row> requests, String more);

    // DatabaseAwayPages

    /** The database is away: try again in a few moments. */
    static native TemplateInstance unavailable(Map<String, String> m, String lang);

    /** No such request, or no session on it. */
    static native TemplateInstance notFound(Map<String, String> m, String lang);
}
