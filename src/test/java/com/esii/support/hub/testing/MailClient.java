package com.esii.support.hub.testing;

import java.io.ByteArrayInputStream;
import java.util.Properties;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/** A customer's mail program: sends over SMTP, or drops raw mail in the support mailbox over IMAP. */
public final class MailClient {

    private MailClient() {
    }

    public static Session smtpSession() {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(GreenMailResource.mail().getSmtp().getPort()));
        p.put("mail.smtp.localhost", "customer.example");
        return Session.getInstance(p);
    }

    public static MimeMessage message(String from, String subject, String text) throws Exception {
        MimeMessage m = new MimeMessage(smtpSession());
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(GreenMailResource.SUPPORT));
        m.setSubject(subject, "UTF-8");
        m.setText(text, "UTF-8");
        return m;
    }

    public static MimeMessage send(MimeMessage m) throws Exception {
        m.saveChanges();
        Transport.send(m);
        return m;
    }

    /** An IMAP connection to the support mailbox, as its owner. */
    static Store support() throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", GreenMailResource.mail().getImap().getPort(), GreenMailResource.SUPPORT,
                GreenMailResource.SUPPORT);
        return store;
    }

    /** Puts raw bytes, exactly as given, in the support mailbox's INBOX (IMAP APPEND). */
    public static void append(byte[] raw) throws Exception {
        Session s = Session.getInstance(new Properties());
        try (Store store = support()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            MimeMessage m = new MimeMessage(s, new ByteArrayInputStream(raw));
            inbox.appendMessages(new Message[] { m });
            inbox.close(false);
        }
    }

    /** Puts several raw mails in the support INBOX in one IMAP APPEND each, over one connection, in this order. */
    public static void appendAll(java.util.List<byte[]> raws) throws Exception {
        Session s = Session.getInstance(new Properties());
        try (Store store = support()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] all = new Message[raws.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = new MimeMessage(s, new ByteArrayInputStream(raws.get(i)));
            }
            inbox.appendMessages(all);
            inbox.close(false);
        }
    }

    /**
     * Puts each raw mail in the support INBOX with an APPEND of its own, over one connection (opened again after a
     * mail the server refused by dropping it). Returns the indexes of the refused mails.
     */
    public static java.util.List<Integer> appendEach(java.util.List<byte[]> raws) throws Exception {
        Session s = Session.getInstance(new Properties());
        java.util.List<Integer> refused = new java.util.ArrayList<>();
        Store store = null;
        Folder inbox = null;
        try {
            for (int i = 0; i < raws.size(); i++) {
                if (inbox == null) {
                    store = support();
                    inbox = store.getFolder("INBOX");
                    inbox.open(Folder.READ_WRITE);
                }
                try {
                    inbox.appendMessages(new Message[] { new MimeMessage(s, new ByteArrayInputStream(raws.get(i))) });
                } catch (jakarta.mail.MessagingException | IllegalStateException dropped) {
                    refused.add(i);
                    closeQuietly(store);
                    store = null;
                    inbox = null;
                }
            }
        } finally {
            closeQuietly(store);
        }
        return refused;
    }

    private static void closeQuietly(Store store) {
        if (store != null) {
            try {
                store.close();
            } catch (Exception ignored) {
                // the server dropped the connection already
            }
        }
    }

    /** Whether the mail with this Message-ID is flagged seen in the support INBOX. */
    public static boolean seen(String messageId) throws Exception {
        try (Store store = support()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message m : inbox.search(new jakarta.mail.search.MessageIDTerm(messageId))) {
                return m.isSet(Flags.Flag.SEEN);
            }
            return false;
        }
    }

    /** Whether a folder of the support mailbox holds the mail with this Message-ID. */
    public static boolean inFolder(String folder, String messageId) throws Exception {
        try (Store store = support()) {
            Folder f = store.getFolder(folder);
            if (!f.exists()) {
                return false;
            }
            f.open(Folder.READ_ONLY);
            return f.search(new jakarta.mail.search.MessageIDTerm(messageId)).length > 0;
        }
    }
}
