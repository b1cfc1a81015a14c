package com.esii.support.hub.mail;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.mailkit.MailSender;
import com.esii.support.hub.mailkit.OutgoingMail;
import com.esii.support.hub.ticket.Letter;
import com.esii.support.hub.ticket.Letters;

/** The mail edge's side of {@link Letters}: a letter becomes one mail, sent at once. */
@ApplicationScoped
public class MailLetters implements Letters {

    private final MailSender sender;

    public MailLetters(MailSender sender) {
        this.sender = sender;
    }

    @Override
    public void send(Letter l) throws Exception {
        sender.send(new OutgoingMail(l.to(), l.toName(), l.subject(), l.text(), l.messageId(), null, List.of(),
                "auto-generated", l.language(), l.calendar(), l.calendarMethod()));
    }
}
