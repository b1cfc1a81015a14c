package com.esii.support.hub.email;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;

import org.jboss.logging.Logger;

import com.esii.support.hub.cluster.Leases;
import com.esii.support.hub.email.MailboxFetch.FetchedMail;
import com.esii.support.hub.email.MailboxFetch.Pass;
import com.esii.support.hub.util.DatabaseAway;

/**
 * The flags of a {@link Mailbox}: the steps of the {@code mailbox-receive} route that answer the server for the mails
 * {@link MailboxFetch} fetched. Only once a mail's outcome is committed is it flagged seen or moved to the processed
 * folder, a batch's in one command; a mail that fails is recorded and moved to the error folder, so it never blocks
 * the mails behind it. The bean is the support mailbox's.
 */
@ApplicationScoped
@Named("mailboxFlags")
public class MailboxFlags {

    private static final Logger LOG = Logger.getLogger(MailboxFlags.class);

    private final Mailbox mailbox;
    private final MailboxFetch fetch;
    private final MailIntake intake;

    public MailboxFlags(Mailbox mailbox, MailboxFetch fetch, MailIntake intake) {
        this.mailbox = mailbox;
        this.fetch = fetch;
        this.intake = intake;
    }

    /** Its outcome is committed: it is flagged (or moved) with its batch. */
    public void committed(FetchedMail mail) {
        mail.committed(true);
        mail.release();
    }

    /**
     * A batch written together is committed: each mail's verdict counted and logged, and the mail flagged with its
     * batch ({@code mails}: the batch's mails as the intake took them, in the same order).
     */
    public void committed(List<FetchedMail> batch, List<IncomingMail> mails) {
        for (int i = 0; i < batch.size(); i++) {
            intake.received(mails.get(i));
            committed(batch.get(i));
        }
    }

    /** The batch's committed mails flagged (or moved) in one command, once all its senders are through. */
    public void flag(Pass pass) throws MessagingException {
        flagCommitted(pass);
    }

    /**
     * Whether a failure is the mail's own (then it is recorded and moved aside, and the pass goes on), rather than
     * the mailbox's, the lease's or the database's (then the pass stops and the mail stays unseen for the next one).
     */
    public boolean isMailFault(Throwable e) {
        if (DatabaseAway.isCause(e)) {
            // a database restart: the mail stays unseen, and is read once the database is back
            return false;
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof Leases.LeaseLost || c instanceof MessagingException me && isConnectionFailure(me)) {
                return false;
            }
        }
        return true;
    }

    /** A mail that failed: recorded with its reason and raw content, and moved to the error folder. */
    public void failed(FetchedMail mail, Throwable e) throws MessagingException {
        String errorFolder = mailbox.config().errorFolder();
        LOG.errorf(e, "Mail in %s could not be processed; moved to '%s'", mailbox.name(), errorFolder);
        // If the database is away this throws too: the mail stays unseen and is taken again next time.
        intake.recordError(fetch.incoming(mail), e instanceof Exception x ? x : new RuntimeException(e));
        mail.release();
        mailbox.moveTo(new Message[] { mail.message() }, errorFolder);
    }

    /** The end of a pass: the last batch flagged, moved mail expunged. */
    public void finish(Pass pass) throws MessagingException {
        flagCommitted(pass); // a failure here goes to unavailable, which ends the pass
        pass.release();
        if (pass.flagged() > 0 && mailbox.config().processedFolder().isPresent()) {
            mailbox.expunge();
        }
        if (pass.flagged() > 0) {
            // A pass that took mail is followed by one more (a NOOP and a search; the one after it finds nothing and
            // the watch idles): a mail that arrived during the pass is read now even when the server's announcement
            // of it was lost. GreenMail loses one when a mail is added while it reports the size to the session
            // (ImapSessionImpl.unsolicitedResponses reads the count, then clears its flag), which left the last
            // mail of a burst waiting for the re-sync (MailBurstOrderTest in the suite, issue 28;
            // MailboxIdleTest.aMailWhoseAnnouncementIsLostDuringAPassIsReadByTheNextOne).
            mailbox.news();
        }
        mailbox.passed();
        mailbox.passEnds();
    }

    /**
     * The pass stopped: the mailbox is away (the channel reports DOWN and the connection is opened again next
     * time), or this replica lost the mailbox's lease mid-pass (the new leader takes the mail that was not
     * committed). What was committed is still flagged when the mailbox answers.
     */
    public void unavailable(Pass pass, Throwable e) {
        mailbox.passFailed(true);
        if (pass != null) {
            try {
                flagCommitted(pass);
            } catch (MessagingException | RuntimeException ignored) {
                // the connection is gone: they come back as duplicates and open nothing
            }
            pass.release();
        }
        mailbox.unavailable(e);
        mailbox.passEnds();
    }

    /** Flags (or moves) the committed mails of the pass's current batch, in one command. */
    private void flagCommitted(Pass pass) throws MessagingException {
        Message[] committed = pass.batch().stream().filter(FetchedMail::committed).map(FetchedMail::message)
                .toArray(Message[]::new);
        pass.batch().forEach(m -> m.committed(false));
        if (committed.length == 0) {
            return;
        }
        if (mailbox.config().processedFolder().isPresent()) {
            mailbox.moveTo(committed, mailbox.config().processedFolder().get());
        } else {
            mailbox.flagSeen(committed);
        }
        pass.flagged(committed.length);
    }

    private static boolean isConnectionFailure(MessagingException e) {
        return e instanceof jakarta.mail.FolderClosedException || e instanceof jakarta.mail.StoreClosedException;
    }
}
