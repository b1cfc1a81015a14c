package com.esii.support.hub.bench;

import java.util.Properties;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;

import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * The baseline: the least a program must do to answer a mailbox. Every second it searches the unseen mail (one
 * command), fetches all of it whole (one command), answers each over one kept-open SMTP connection, and flags them
 * all seen (one command). No database, no parsing beyond the sender, no loop rules.
 */
final class BareClient implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    BareClient(int imapPort, String user, String password, int smtpPort) {
        thread = new Thread(() -> run(imapPort, user, password, smtpPort), "bare-client");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(int imapPort, String user, String password, int smtpPort) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(smtpPort));
        p.put("mail.smtp.localhost", "bare.example");
        Session session = Session.getInstance(p);
        try (Store store = session.getStore("imap"); Transport smtp = session.getTransport("smtp")) {
            store.connect("127.0.0.1", imapPort, user, password);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            smtp.connect();
            while (running) {
                long start = System.nanoTime();
                Message[] unseen = inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
                if (unseen.length > 0) {
                    FetchProfile whole = new FetchProfile();
                    whole.add(IMAPFolder.FetchProfileItem.MESSAGE);
                    inbox.fetch(unseen, whole);
                    for (Message m : unseen) {
                        MimeMessage answer = new MimeMessage(session);
                        answer.setFrom(new InternetAddress(user));
                        answer.setRecipients(Message.RecipientType.TO, m.getFrom());
                        answer.setSubject("Re: " + m.getSubject());
                        answer.setText("Received, we are on it.");
                        answer.saveChanges();
                        smtp.sendMessage(answer, answer.getAllRecipients());
                    }
                    inbox.setFlags(unseen, new Flags(Flags.Flag.SEEN), true);
                }
                long spent = (System.nanoTime() - start) / 1_000_000;
                if (spent < 1000) {
                    Thread.sleep(1000 - spent);
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(30_000);
        if (failure != null) {
            throw new IllegalStateException("The bare client failed", failure);
        }
    }
}
