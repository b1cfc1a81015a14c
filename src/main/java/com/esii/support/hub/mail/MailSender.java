package com.esii.support.hub.mail;

import java.io.UnsupportedEncodingException;
import java.util.Date;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.esii.support.hub.config.HubConfig;
import com.esii.support.hub.outbox.PermanentFailure;

/**
 * Sends the hub's mails over SMTP (Jakarta Mail), always marked as automatic. The recipient is written as RFC 5322
 * wants it: the display name RFC 2047-encoded, an internationalised domain in ASCII (IDNA); an address whose local
 * part is not ASCII goes as RFC 6531/6532 mail (SMTPUTF8 when the server offers it, UTF-8 headers).
 */
@ApplicationScoped
public class MailSender {

    public static final String HUB_HEADER = "X-Support-Hub";

    private final HubConfig.Mail config;
    private final Session session;
    /** For recipients whose local part is not ASCII (RFC 6531/6532). */
    private final Session utf8Session;
    /** One SMTP connection per relay worker thread (and per kind of session), kept open between mails. */
    private final ThreadLocal<Transport> transports = new ThreadLocal<>();
    private final ThreadLocal<Transport> utf8Transports = new ThreadLocal<>();

    public MailSender(HubConfig config) {
        this.config = config.mail();
        this.session = session(this.config.smtp(), false);
        this.utf8Session = session(this.config.smtp(), true);
    }

    private static Session session(HubConfig.Mail.Smtp smtp, boolean utf8) {
        Properties p = new Properties();
        if (utf8) {
            p.put("mail.mime.allowutf8", "true");
        }
        String timeout = String.valueOf(smtp.timeout().toMillis());
        p.put("mail.smtp.host", smtp.host());
        p.put("mail.smtp.port", String.valueOf(smtp.port()));
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        p.put("mail.smtp.ssl.enable", String.valueOf(smtp.ssl()));
        p.put("mail.smtp.starttls.enable", String.valueOf(smtp.starttls()));
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        if (!smtp.ssl()) {
            p.put("mail.smtp.socketFactory", new NoDelaySocketFactory());
        }
        // Name ourselves in EHLO instead of asking DNS for this host's name (slow or failing in containers).
        p.put("mail.smtp.localhost", smtp.heloName().orElse("localhost"));
        Authenticator auth = null;
        if (smtp.username().isPresent()) {
            p.put("mail.smtp.auth", "true");
            String user = smtp.username().get();
            String password = smtp.password().orElse("");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        return Session.getInstance(p, auth);
    }

    public void send(OutgoingMail mail) throws MessagingException {
        MailAddresses.Mailbox recipient = recipient(mail.to());
        boolean utf8 = recipient.internationalLocalPart();
        MimeMessage msg = new FixedIdMessage(utf8 ? utf8Session : session, mail.messageId());
        try {
            msg.setFrom(new InternetAddress(config.from(), MailHeaders.clean(config.fromName(), 100), "UTF-8"));
            InternetAddress to = new InternetAddress(recipient.address(), true);
            if (mail.toName() != null && !mail.toName().isBlank()) {
                to.setPersonal(MailHeaders.clean(mail.toName(), 200), "UTF-8");
            }
            msg.setRecipient(Message.RecipientType.TO, to);
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new PermanentFailure("Invalid recipient address", e);
        }
        msg.setSubject(MailHeaders.clean(mail.subject(), 400), "UTF-8");
        msg.setSentDate(new Date());
        // RFC 3834: every mail the hub sends is automatic; X-Auto-Response-Suppress keeps Exchange from answering it.
        msg.setHeader("Auto-Submitted", mail.autoSubmitted());
        msg.setHeader("X-Auto-Response-Suppress", "All");
        // Recognised when one of our mails comes back to the support mailbox.
        msg.setHeader(HUB_HEADER, "1");
        msg.setHeader("Content-Language", mail.language().code());
        if (mail.inReplyTo() != null) {
            msg.setHeader("In-Reply-To", MailHeaders.clean(mail.inReplyTo(), 998));
        }
        if (mail.references() != null && !mail.references().isEmpty()) {
            msg.setHeader("References", MailHeaders.clean(String.join(" ", mail.references()), 998));
        }
        msg.setText(mail.textBody(), "UTF-8");
        msg.saveChanges();
        ThreadLocal<Transport> cached = utf8 ? utf8Transports : transports;
        Transport transport = cached.get();
        try {
            if (transport == null || !transport.isConnected()) {
                close(transport);
                transport = (utf8 ? utf8Session : session).getTransport("smtp");
                transport.connect();
                cached.set(transport);
            }
            transport.sendMessage(msg, msg.getAllRecipients());
        } catch (SendFailedException e) {
            if (e.getValidSentAddresses() == null || e.getValidSentAddresses().length == 0) {
                if (e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0) {
                    throw new PermanentFailure("Recipient refused by the mail server: " + e.getMessage(), e);
                }
            }
            throw e;
        } catch (MessagingException | RuntimeException e) {
            // The connection may be broken: start afresh next time.
            close(transport);
            cached.remove();
            throw e;
        }
    }

    /**
     * The recipient as SMTP takes it: read as one mailbox, its domain in ASCII when the local part is ASCII (so that
     * no SMTPUTF8 is needed), kept in Unicode otherwise.
     */
    static MailAddresses.Mailbox recipient(String address) {
        // Which customer addresses the hub answers is decided at intake (MailAddresses.unanswerable); staff
        // addresses may be local names of an internal relay, so only an address that is not one is refused here.
        java.util.List<MailAddresses.Mailbox> parsed = MailAddresses.parse(address);
        if (parsed.size() != 1 || parsed.get(0).domain() == null || parsed.get(0).localPart().isEmpty()) {
            throw new PermanentFailure("Invalid recipient address " + address);
        }
        MailAddresses.Mailbox m = parsed.get(0);
        String ascii = m.domain().startsWith("[") ? null : MailAddresses.asciiDomain(m.domain());
        return m.internationalLocalPart() || ascii == null ? m : new MailAddresses.Mailbox(m.localPart(), ascii, null);
    }

    private static void close(Transport t) {
        if (t != null) {
            try {
                t.close();
            } catch (MessagingException ignored) {
                // already gone
            }
        }
    }

    /** Keeps the Message-ID chosen when the mail was queued, so that a resend carries the same one. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
