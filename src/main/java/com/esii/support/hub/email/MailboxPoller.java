package com.esii.support.hub.email;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.FlagTerm;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.jboss.logging.Logger;

import com.esii.support.hub.cluster.Leases;
import com.esii.support.hub.config.HubConfig;

import io.quarkus.runtime.ShutdownEvent;

/**
 * Reads the support mailbox over IMAP(S): every unseen mail (from the configured start point on) goes through
 * {@link MailIntake}; only once its outcome is committed is it flagged seen or moved to the processed folder. A
 * mail that fails is recorded and moved to the error folder, so it never blocks the mails behind it. The IMAP
 * connection is kept open between polls and reopened after any failure; a server that is down only makes the
 * mail channel report DOWN (see {@link MailChannelHealth}).
 */
@ApplicationScoped
@Named("mailboxPoller")
public class MailboxPoller {

    private static final Logger LOG = Logger.getLogger(MailboxPoller.class);
    /** The leader lease of the mail poller: one replica reads the mailbox at a time (see routes/email.yaml). */
    public static final String LEADER_LEASE = "mail-poller";
    /** Mails fetched (and then flagged) per IMAP round trip. */
    private static final int BATCH = 50;

    private final HubConfig.Mail.Imap config;
    private final MailIntake intake;
    private final MailStore store;
    private final Clock clock;
    private Store imap;
    private Folder inbox;
    private volatile boolean up;
    private volatile String lastError = "not polled yet";
    private volatile Instant lastPoll;

    private final Leases leases;
    /** True while a poll runs as the leader of {@link #LEADER_LEASE}: each mail's commit is then fenced by it. */
    private boolean leading;

    public MailboxPoller(HubConfig config, MailIntake intake, MailStore store, Clock clock, Leases leases) {
        this.leases = leases;
        this.config = config.mail().imap();
        this.intake = intake;
        this.store = store;
        this.clock = clock;
    }

    public boolean enabled() {
        return config.enabled();
    }

    public boolean up() {
        return up;
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastPoll() {
        return lastPoll;
    }

    /** The mailbox's name in receipts: user@host/folder. */
    public String mailboxName() {
        return config.username().orElse("") + "@" + config.host() + "/" + config.folder();
    }

    /**
     * One pass over the mailbox in plain Java, with the same steps as the {@code email-receive} route (for a
     * replica's second poller in the tests, and the tests that read one folder). Returns the number of mails handled.
     */
    public synchronized int poll() {
        if (!config.enabled()) {
            return 0;
        }
        Pass pass = null;
        int handled = 0;
        try {
            pass = unseen();
            for (FetchedMail mail : pass) {
                try {
                    MailIntake.Outcome o = intake.receive(incoming(mail));
                    intake.received(o, mailboxName());
                    committed(mail);
                } catch (RuntimeException e) {
                    if (!isMailFault(e)) {
                        throw e;
                    }
                    failed(mail, e);
                }
                handled++;
            }
            finish(pass);
        } catch (MessagingException | RuntimeException e) {
            unavailable(pass, e);
        }
        return handled;
    }

    /** A mail fetched whole from the mailbox, and whether its outcome is committed (then it is flagged or moved). */
    public static final class FetchedMail {
        private final Message message;
        private final byte[] raw;
        private boolean committed;

        FetchedMail(Message message, byte[] raw) {
            this.message = message;
            this.raw = raw;
        }

        public byte[] raw() {
            return raw;
        }
    }

    /**
     * One pass over the unseen mails from the start point on, fetched whole 50 at a time (one IMAP round trip a
     * batch); moving to the next batch flags (or moves) the committed mails of the one before in one command. A
     * crash in between leaves committed mails unflagged: they come back as duplicates and open nothing.
     */
    public final class Pass implements Iterable<FetchedMail>, java.util.Iterator<FetchedMail> {
        private final java.util.List<Message> due;
        private int next;
        private java.util.List<FetchedMail> batch = java.util.List.of();
        private int inBatch;

        Pass(java.util.List<Message> due) {
            this.due = due;
        }

        @Override
        public java.util.Iterator<FetchedMail> iterator() {
            return this;
        }

        @Override
        public boolean hasNext() {
            return inBatch < batch.size() || next < due.size();
        }

        @Override
        public FetchedMail next() {
            if (inBatch >= batch.size()) {
                try {
                    flagCommitted();
                    fetchBatch();
                } catch (MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }
            return batch.get(inBatch++);
        }

        private void fetchBatch() throws MessagingException {
            Message[] msgs = due.subList(next, Math.min(due.size(), next + BATCH)).toArray(new Message[0]);
            next += msgs.length;
            FetchProfile whole = new FetchProfile();
            whole.add(IMAPFolder.FetchProfileItem.MESSAGE);
            inbox.fetch(msgs, whole);
            java.util.List<FetchedMail> fetched = new java.util.ArrayList<>(msgs.length);
            for (Message msg : msgs) {
                if (msg instanceof IMAPMessage im) {
                    im.setPeek(true); // reading must not mark it seen: only a committed outcome does
                }
                try {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    msg.writeTo(out);
                    fetched.add(new FetchedMail(msg, out.toByteArray()));
                } catch (java.io.IOException e) {
                    throw new MessagingException("Could not fetch a mail", e);
                }
            }
            batch = fetched;
            inBatch = 0;
        }

        /** Flags (or moves) the committed mails of the current batch, in one command. */
        void flagCommitted() throws MessagingException {
            Message[] committed = batch.stream().filter(m -> m.committed).map(m -> m.message).toArray(Message[]::new);
            batch.forEach(m -> m.committed = false);
            if (committed.length == 0) {
                return;
            }
            if (config.processedFolder().isPresent()) {
                moveTo(committed, config.processedFolder().get());
            } else {
                inbox.setFlags(committed, new Flags(Flags.Flag.SEEN), true);
            }
            flagged += committed.length;
        }

        private int flagged;
    }

    // --- the steps of the email-receive route ---------------------------------------------------------------

    /** Opens the mailbox (kept open between passes) and lists the unseen mails from the start point on. */
    public Pass unseen() throws MessagingException {
        leading = leases.holds(LEADER_LEASE);
        open();
        // NOOP: the server's pending news (new mail, mail moved away) reach the folder before the search. Without it
        // a search right after moving a mail aside missed the mail that arrived meanwhile for up to 15 s (GreenMail).
        ((IMAPFolder) inbox).doCommand(protocol -> {
            protocol.simpleCommand("NOOP", null);
            return null;
        });
        long firstUid = firstUid();
        Message[] unseen = inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        FetchProfile fp = new FetchProfile();
        fp.add(UIDFolder.FetchProfileItem.UID);
        inbox.fetch(unseen, fp);
        UIDFolder uids = (UIDFolder) inbox;
        java.util.List<Message> due = new java.util.ArrayList<>();
        for (Message msg : unseen) {
            if (uids.getUID(msg) >= firstUid) {
                due.add(msg);
            }
        }
        return new Pass(due);
    }

    /** The mail for the intake route; as the leader, its commit is fenced by the mailbox's lease. */
    public IncomingMail incoming(FetchedMail mail) {
        return new IncomingMail(mail.raw, mailboxName(), leading ? () -> leases.fence(LEADER_LEASE) : null);
    }

    /** Its outcome is committed: it is flagged (or moved) with its batch. */
    public void committed(FetchedMail mail) {
        mail.committed = true;
    }

    /**
     * Whether a failure is the mail's own (then it is recorded and moved aside, and the pass goes on), rather than
     * the mailbox's or the lease's (then the pass stops and the mail stays unseen for the next one).
     */
    public boolean isMailFault(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof Leases.LeaseLost || c instanceof MessagingException me && isConnectionFailure(me)) {
                return false;
            }
        }
        return true;
    }

    /** A mail that failed: recorded with its reason and raw content, and moved to the error folder. */
    public void failed(FetchedMail mail, Throwable e) throws MessagingException {
        LOG.errorf(e, "Mail in %s could not be processed; moved to '%s'", mailboxName(), config.errorFolder());
        // If the database is away this throws too: the mail stays unseen and is taken again next time.
        intake.recordError(mail.raw, mailboxName(), e instanceof Exception x ? x : new RuntimeException(e));
        moveTo(new Message[] { mail.message }, config.errorFolder());
    }

    /** The end of a pass: the last batch flagged, moved mail expunged. */
    public void finish(Pass pass) throws MessagingException {
        pass.flagCommitted();
        if (pass.flagged > 0 && config.processedFolder().isPresent()) {
            inbox.expunge();
        }
        up = true;
        lastError = null;
        lastPoll = clock.instant();
    }

    /**
     * The pass stopped: the mailbox is away (the channel reports DOWN and the connection is opened again next
     * time), or this replica lost the mailbox's lease mid-pass (the new leader takes the mail that was not
     * committed). What was committed is still flagged when the mailbox answers.
     */
    public void unavailable(Pass pass, Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof Leases.LeaseLost lost) {
                LOG.warnf("Mailbox %s: %s; this pass stops here", mailboxName(), lost.getMessage());
                try {
                    if (pass != null) {
                        pass.flagCommitted();
                    }
                } catch (MessagingException | RuntimeException ignored) {
                    // they come back as duplicates
                }
                lastPoll = clock.instant();
                return;
            }
        }
        if (pass != null) {
            try {
                pass.flagCommitted();
            } catch (MessagingException | RuntimeException ignored) {
                // the connection is gone: they come back as duplicates and open nothing
            }
        }
        if (up || lastError == null || !lastError.equals(e.toString())) {
            LOG.warnf("Mailbox %s unavailable: %s (retrying every %d ms)", mailboxName(), e.toString(),
                    config.pollIntervalMs());
        }
        up = false;
        lastError = e.toString();
        close();
        lastPoll = clock.instant();
    }

    private void moveTo(Message[] msgs, String folderName) throws MessagingException {
        Folder target = imap.getFolder(folderName);
        if (!target.exists()) {
            target.create(Folder.HOLDS_MESSAGES);
        }
        if (inbox instanceof IMAPFolder f) {
            try {
                f.moveMessages(msgs, target);
                return;
            } catch (MessagingException e) {
                // no MOVE support: copy, then delete below
            }
        }
        inbox.copyMessages(msgs, target);
        inbox.setFlags(msgs, new Flags(Flags.Flag.SEEN), true);
        inbox.setFlags(msgs, new Flags(Flags.Flag.DELETED), true);
    }
    /** The first UID to answer: on the first start with start=new, the mail already there is history. */
    private long firstUid() throws MessagingException {
        UIDFolder uids = (UIDFolder) inbox;
        long validity = uids.getUIDValidity();
        var state = store.mailboxState(mailboxName());
        if (state.isPresent() && state.get()[0] == validity) {
            return state.get()[1];
        }
        long first = 1;
        if (state.isEmpty() && "new".equalsIgnoreCase(config.start()) && inbox.getMessageCount() > 0) {
            first = ((IMAPFolder) inbox).getUIDNext();
            LOG.infof("First start on %s: the %d mails already there are history and are not answered",
                    mailboxName(), inbox.getMessageCount());
        }
        store.saveMailboxState(mailboxName(), validity, first, OffsetDateTime.now(clock));
        return store.mailboxState(mailboxName()).map(s -> s[1]).orElse(first);
    }

    private void open() throws MessagingException {
        if (imap != null && imap.isConnected() && inbox != null && inbox.isOpen()) {
            return;
        }
        close();
        String protocol = config.ssl() ? "imaps" : "imap";
        Properties p = new Properties();
        String timeout = String.valueOf(config.timeout().toMillis());
        p.put("mail." + protocol + ".connectiontimeout", timeout);
        p.put("mail." + protocol + ".timeout", timeout);
        p.put("mail." + protocol + ".writetimeout", timeout);
        p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        p.put("mail." + protocol + ".peek", "true");
        Session session = Session.getInstance(p);
        Store s = session.getStore(protocol);
        s.connect(config.host(), config.port(), config.username().orElse(null), config.password().orElse(null));
        Folder f = s.getFolder(config.folder());
        f.open(Folder.READ_WRITE);
        imap = s;
        inbox = f;
    }

    private synchronized void close() {
        try {
            if (inbox != null && inbox.isOpen()) {
                inbox.close(false);
            }
        } catch (Exception ignored) {
            // going away anyway
        }
        try {
            if (imap != null) {
                imap.close();
            }
        } catch (Exception ignored) {
            // going away anyway
        }
        inbox = null;
        imap = null;
    }

    private static boolean isConnectionFailure(MessagingException e) {
        return e instanceof jakarta.mail.FolderClosedException || e instanceof jakarta.mail.StoreClosedException;
    }

    void stop(@Observes ShutdownEvent event) {
        close();
    }
}
