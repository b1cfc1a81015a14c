package com.esii.support.hub.mailkit;

import java.io.UnsupportedEncodingException;
import java.util.Date;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.esii.support.hub.outbox.PermanentFailure;
import com.esii.support.hub.outbox.TargetUnavailable;
import com.esii.support.hub.ticket.TicketConfig;

import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sends the hub's mails over SMTP (Jakarta Mail), always marked as automatic. The recipient is written as RFC 5322
 * wants it: the display name RFC 2047-encoded, an internationalised domain in ASCII (IDNA); an address whose local
 * part is not ASCII goes as RFC 6531/6532 mail (SMTPUTF8 when the server offers it, UTF-8 headers).
 */
@ApplicationScoped
public class MailSender {

    public static final String HUB_HEADER = "X-Support-Hub";

    private final MailConfig config;
    /** The support mailbox's address and name ({@code hub.mail.from}, {@code hub.mail.from-name}). */
    private final TicketConfig core;
    private final Session session;
    /** For recipients whose local part is not ASCII (RFC 6531/6532). */
    private final Session utf8Session;
    /** One SMTP connection per relay worker thread (and per kind of session), kept open between mails. */
    private final ThreadLocal<Transport> transports = new ThreadLocal<>();
    private final ThreadLocal<Transport> utf8Transports = new ThreadLocal<>();

    private final MailLogin login;

    public MailSender(MailConfig config, TicketConfig core, MailLogin login) {
        this.config = config;
        this.core = core;
        this.login = login;
        this.session = session(this.config.smtp(), login, false);
        this.utf8Session = session(this.config.smtp(), login, true);
    }

    private static Session session(MailConfig.Smtp smtp, MailLogin login, boolean utf8) {
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
        if (login.smtpUser().isPresent()) {
            p.put("mail.smtp.auth", "true");
            login.configure(p, "mail.smtp");
        }
        return Session.getInstance(p);
    }

    /** Opens an SMTP connection, logged in when a login is set (a password, or an OAuth2 token: see MailLogin). */
    private void connect(Transport transport) throws MessagingException {
        MailConfig.Smtp smtp = config.smtp();
        java.util.Optional<String> user = login.smtpUser();
        if (user.isEmpty()) {
            transport.connect();
            return;
        }
        login.login("SMTP", user.get(), smtp.password().orElse(""),
                (u, secret) -> transport.connect(smtp.host(), smtp.port(), u, secret));
    }

    public void send(OutgoingMail mail) throws MessagingException {
        MailAddresses.Mailbox recipient = recipient(mail.to());
        boolean utf8 = recipient.internationalLocalPart();
        MimeMessage msg = message(mail, recipient, utf8);
        transmit(msg, utf8, utf8 ? utf8Transports : transports);
    }

    /** The mail as sent: headers, the text and its HTML alternative (and an invitation), with its fixed Message-ID. */
    private MimeMessage message(OutgoingMail mail, MailAddresses.Mailbox recipient, boolean utf8)
            throws MessagingException {
        MimeMessage msg = new FixedIdMessage(utf8 ? utf8Session : session, mail.messageId());
        try {
            msg.setFrom(new InternetAddress(core.mailFrom(), MailHeaders.clean(core.mailFromName(), 100), "UTF-8"));
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
        // The text and, beside it, the same in HTML (multipart/alternative). Both are sent as they are (8bit), not
        // quoted-printable, so that no line break is ever put inside a link (the status link must stay whole).
        jakarta.mail.internet.MimeMultipart alternative = new jakarta.mail.internet.MimeMultipart("alternative");
        alternative.addBodyPart(part(mail.textBody(), "plain"));
        alternative.addBodyPart(part(MailHtml.of(mail.textBody(), mail.language().code()), "html"));
        if (mail.calendar() != null) {
            // iMIP (RFC 6047): the invitation as the last alternative, which calendars (Outlook, Gmail, Thunderbird)
            // offer to accept or decline; its METHOD repeated in the Content-Type as the RFC asks
            jakarta.mail.internet.MimeBodyPart ics = new jakarta.mail.internet.MimeBodyPart();
            ics.setContent(mail.calendar(), "text/calendar; charset=UTF-8; method=" + mail.calendarMethod());
            ics.setHeader("Content-Transfer-Encoding", "8bit");
            alternative.addBodyPart(ics);
        }
        msg.setContent(alternative);
        msg.saveChanges();
        return msg;
    }

    /**
     * Builds a sample mail and writes it nowhere, without connecting to any server: what the first mail after a
     * start would otherwise pay (Jakarta Mail's sessions, MIME classes and encoders, the HTML part, the SMTP
     * transport and its login mechanisms, made and dropped unconnected; issue 29).
     */
    public void warmUp(OutgoingMail sample) throws MessagingException, java.io.IOException {
        MailAddresses.Mailbox recipient = recipient(sample.to());
        message(sample, recipient, recipient.internationalLocalPart()).writeTo(java.io.OutputStream.nullOutputStream());
        (recipient.internationalLocalPart() ? utf8Session : session).getTransport("smtp");
    }

    private void transmit(MimeMessage msg, boolean utf8, ThreadLocal<Transport> cached) throws MessagingException {
        Transport transport = cached.get();
        try {
            try {
                // isConnected() asks the server (NOOP): a connection it closed meanwhile is opened again here
                if (transport == null || !transport.isConnected()) {
                    close(transport);
                    transport = open(utf8, cached);
                }
                transport.sendMessage(msg, msg.getAllRecipients());
            } catch (SMTPSendFailedException e) {
                if (!sessionRefused(e)) {
                    throw e;
                }
                // The server ended the session or refused its login mid-way (421, 454, 530, 535: a token that
                // expired, a provider's session limit): the mail was not taken; a new connection, newly logged in
                close(transport);
                cached.remove();
                transport = open(utf8, cached);
                transport.sendMessage(msg, msg.getAllRecipients());
            }
        } catch (jakarta.mail.AuthenticationFailedException e) {
            close(transport);
            cached.remove();
            // a credentials problem (said in the mail channel's health and the log): the mail waits, never dead
            throw new TargetUnavailable("SMTP login refused: " + e.getMessage(), e);
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

    /**
     * A text part in UTF-8, unencoded: 7bit when it is ASCII, else 8bit (every server today takes 8BITMIME); base64
     * only when a line is longer than mail allows (998 octets), which no hub template writes.
     */
    static jakarta.mail.internet.MimeBodyPart part(String text, String subtype) throws MessagingException {
        String body = text.replace("\r\n", "\n").replace("\r", "\n");
        jakarta.mail.internet.MimeBodyPart part = new jakarta.mail.internet.MimeBodyPart();
        part.setText(body, "UTF-8", subtype);
        boolean shortLines = body.lines().allMatch(l -> l.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 998);
        boolean ascii = body.chars().allMatch(c -> c < 128);
        part.setHeader("Content-Transfer-Encoding", !shortLines ? "base64" : ascii ? "7bit" : "8bit");
        return part;
    }

    private Transport open(boolean utf8, ThreadLocal<Transport> cached) throws MessagingException {
        Transport t = (utf8 ? utf8Session : session).getTransport("smtp");
        connect(t);
        cached.set(t);
        return t;
    }

    /** An answer to MAIL, RCPT or DATA that says the session, not the mail, is refused. */
    static boolean sessionRefused(SMTPSendFailedException e) {
        int code = e.getReturnCode();
        return code == 421 || code == 454 || code == 530 || code == 535;
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
