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

    /** One pass over the mailbox. Returns the number of mails handled. */
    public synchronized int poll() {
        if (!config.enabled()) {
            return 0;
        }
        int handled = 0;
        leading = leases.holds(LEADER_LEASE);
        try {
            open();
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
            for (int from = 0; from < due.size(); from += BATCH) {
                handled += handleBatch(due.subList(from, Math.min(due.size(), from + BATCH)).toArray(new Message[0]));
            }
            if (handled > 0 && config.processedFolder().isPresent()) {
                inbox.expunge();
            }
            up = true;
            lastError = null;
        } catch (Leases.LeaseLost e) {
            // A poll that outlasted the lease: the mail being handled was not committed and stays unseen; the new
            // leader takes it.
            LOG.warnf("Mailbox %s: %s; this poll stops here", mailboxName(), e.getMessage());
        } catch (MessagingException | RuntimeException e) {
            if (up || lastError == null || !lastError.equals(e.toString())) {
                LOG.warnf("Mailbox %s unavailable: %s (retrying every %d ms)", mailboxName(), e.toString(),
                        config.pollIntervalMs());
            }
            up = false;
            lastError = e.toString();
            close();
        }
        lastPoll = clock.instant();
        return handled;
    }

    /**
     * One IMAP round trip fetches a batch of mails whole; each is committed on its own; then one round trip flags
     * (or moves) every committed one. A crash in between leaves committed mails unflagged: they come back as
     * duplicates and open nothing.
     */
    private int handleBatch(Message[] batch) throws MessagingException {
        FetchProfile whole = new FetchProfile();
        whole.add(IMAPFolder.FetchProfileItem.MESSAGE);
        inbox.fetch(batch, whole);
        java.util.List<Message> done = new java.util.ArrayList<>();
        try {
            for (Message msg : batch) {
                if (handle(msg)) {
                    done.add(msg);
                }
            }
        } finally {
            if (!done.isEmpty()) {
                Message[] committed = done.toArray(new Message[0]);
                if (config.processedFolder().isPresent()) {
                    moveTo(committed, config.processedFolder().get());
                } else {
                    inbox.setFlags(committed, new Flags(Flags.Flag.SEEN), true);
                }
            }
        }
        return batch.length;
    }

    /** True when the mail's outcome is committed; false when it was recorded as an error and moved aside. */
    private boolean handle(Message msg) throws MessagingException {
        if (msg instanceof IMAPMessage im) {
            im.setPeek(true); // reading must not mark it seen: only a committed outcome does
        }
        byte[] raw;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            msg.writeTo(out);
            raw = out.toByteArray();
        } catch (java.io.IOException e) {
            throw new MessagingException("Could not fetch a mail", e);
        }
        try {
            intake.receive(raw, mailboxName(), leading ? () -> leases.fence(LEADER_LEASE) : () -> { });
            return true;
        } catch (Exception e) {
            if (e instanceof MessagingException me && isConnectionFailure(me)) {
                throw me;
            }
            if (e instanceof Leases.LeaseLost lost) {
                throw lost;
            }
            LOG.errorf(e, "Mail in %s could not be processed; moved to '%s'", mailboxName(), config.errorFolder());
            // If the database is away this throws too: the mail stays unseen and is taken again next time.
            intake.recordError(raw, mailboxName(), e);
            moveTo(new Message[] { msg }, config.errorFolder());
            return false;
        }
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
