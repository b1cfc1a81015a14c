package com.esii.support.hub.oncall;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.ticket.RequestLinks;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketEvent;
import com.esii.support.hub.ticket.TicketIntake;

/**
 * A poor rating alerts the desk (issue 26.11): when the customer's "how did we do?" is at or below
 * {@code hub.satisfaction.poor-at-most}, a mail to the support team ({@code hub.oncall.team-email}), in the desk's
 * language, naming the ticket, the rating, the comment and the JSM request, queued as a {@value StaffMail#TYPE} row
 * in the transaction that records the rating (so it is sent once, whatever crashes). Without a team address, staff
 * read the rating in JSM's internal comment only.
 */
@ApplicationScoped
public class PoorRatingAlert {

    private static final Logger LOG = Logger.getLogger(PoorRatingAlert.class);

    private final OnCallConfig config;
    private final Outbox outbox;
    private final StaffTexts texts;
    private final RequestLinks requests;
    private final TicketIntake intake;

    public PoorRatingAlert(OnCallConfig config, Outbox outbox, StaffTexts texts, RequestLinks requests,
            TicketIntake intake) {
        this.config = config;
        this.outbox = outbox;
        this.texts = texts;
        this.requests = requests;
        this.intake = intake;
    }

    void onRating(@Observes TicketEvent.SatisfactionGiven e) {
        if (!e.poor() || config.teamEmail().isEmpty()) {
            return;
        }
        Ticket t = e.ticket();
        int r = e.rating();
        String label = texts.text("satisfaction.label." + r);
        String url = requests.agentView(t).orElse(null);
        String subject = (switch (texts.language()) {
            case FR -> Templates.poorRatingFr$subject(t, r);
            case EN -> Templates.poorRatingEn$subject(t, r);
            case ES -> Templates.poorRatingEs$subject(t, r);
        }).render().strip();
        String body = (switch (texts.language()) {
            case FR -> Templates.poorRatingFr(t, r, label, e.comment(), url);
            case EN -> Templates.poorRatingEn(t, r, label, e.comment(), url);
            case ES -> Templates.poorRatingEs(t, r, label, e.comment(), url);
        }).render();
        outbox.enqueue(StaffMail.TYPE, "staff:" + t.number(), t.id(), new StaffMail.Payload(config.teamEmail().get(),
                texts.text("watchdog.team"), subject, body, intake.newMessageId("poor-rating." + t.number())), e.at());
        LOG.infof("Ticket %s: rated %d/5, the support team is alerted", t.number(), r);
    }
}
