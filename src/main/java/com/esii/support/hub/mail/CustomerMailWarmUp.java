package com.esii.support.hub.mail;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.mailkit.MailSender;
import com.esii.support.hub.mailkit.OutgoingMail;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.Criticality;
import com.esii.support.hub.ticket.Kind;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketStatus;
import com.esii.support.hub.ticket.WarmUpStep;

/**
 * The acknowledgement's part of the start's warm-up: a sample ticket's acknowledgement written in each language
 * (the checked templates, the texts, the dates) and built as the SMTP server would receive it, without connecting
 * (the mail sessions, Jakarta Mail's MIME classes, the HTML part). Nothing is sent or stored.
 */
@ApplicationScoped
public class CustomerMailWarmUp implements WarmUpStep {

    private final AcknowledgementMail acknowledgement;
    private final MailSender sender;

    public CustomerMailWarmUp(AcknowledgementMail acknowledgement, MailSender sender) {
        this.acknowledgement = acknowledgement;
        this.sender = sender;
    }

    @Override
    public String name() {
        return "acknowledgement mail";
    }

    @Override
    public void run() throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (Language l : Language.values()) {
            Ticket t = new Ticket(0, "SUP-0000-000000", Channel.EMAIL, "Warm Up", "warm-up@example.com", null, null,
                    null, l, "Warm-up", "Warm-up", Kind.PROBLEM, Criticality.MINOR, TicketStatus.NEW, null, null, now,
                    now, Ticket.Triage.NONE, Ticket.Sla.NONE);
            String body = acknowledgement.text(t, "warm-up");
            sender.warmUp(new OutgoingMail(t.customerEmail(), t.customerName(), "[" + t.number() + "] " + t.subject(),
                    body, "<warm-up@support-hub.invalid>", null, List.of(), "auto-replied", l));
        }
    }
}
