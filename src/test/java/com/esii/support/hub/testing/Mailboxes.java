package com.esii.support.hub.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;

import com.icegreen.greenmail.util.GreenMail;

/** Reading what the hub sent, as GreenMail received it. */
public final class Mailboxes {
    private Mailboxes() {
    }

    /** Mails the hub sent (they carry its header) to this address. */
    public static List<MimeMessage> to(String address) {
        return Arrays.stream(GreenMailResource.mail().getReceivedMessages())
                .filter(m -> {
                    try {
                        if (m.getAllRecipients() == null || m.getHeader("X-Support-Hub") == null) {
                            return false;
                        }
                        return Arrays.stream(m.getAllRecipients()).anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(address));
                    } catch (jakarta.mail.MessagingException e) {
                        return false;
                    }
                })
                .toList();
    }

    /** The text part of a mail the hub sent (beside it is the same in HTML), decoded. */
    public static String text(jakarta.mail.Part m) {
        try {
            Object c = m.getContent();
            if (c instanceof String s) {
                return s.replace("\r\n", "\n");
            }
            if (c instanceof jakarta.mail.Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    if (mp.getBodyPart(i).isMimeType("text/plain")) {
                        return ((String) mp.getBodyPart(i).getContent()).replace("\r\n", "\n");
                    }
                }
            }
            throw new AssertionError("no text part in " + m.getContentType());
        } catch (java.io.IOException | jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The HTML part of a mail the hub sent, decoded. */
    public static String html(jakarta.mail.Part m) {
        try {
            jakarta.mail.Multipart mp = (jakarta.mail.Multipart) m.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                if (mp.getBodyPart(i).isMimeType("text/html")) {
                    return ((String) mp.getBodyPart(i).getContent()).replace("\r\n", "\n");
                }
            }
            throw new AssertionError("no HTML part in " + m.getContentType());
        } catch (java.io.IOException | jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every mail {@code server} received, by the addresses it was sent to (To, in lower case). */
    public static Map<String, List<MimeMessage>> byRecipient(GreenMail server) {
        Map<String, List<MimeMessage>> inbox = new HashMap<>();
        for (MimeMessage m : server.getReceivedMessages()) {
            try {
                var to = m.getRecipients(Message.RecipientType.TO);
                for (var a : to == null ? new Address[0] : to) {
                    String address = a instanceof InternetAddress ia ? ia.getAddress() : a.toString();
                    inbox.computeIfAbsent(address.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(m);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return inbox;
    }

    public static String messageId(MimeMessage m) {
        try {
            return String.valueOf(m.getMessageID());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String subject(MimeMessage m) {
        try {
            return String.valueOf(m.getSubject());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code address} has received exactly {@code count} mails, and returns them. */
    public static List<MimeMessage> await(String address, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> to(address).size() >= count);
        return to(address);
    }
}
