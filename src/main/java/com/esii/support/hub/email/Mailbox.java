package com.esii.support.hub.email;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;

import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.jboss.logging.Logger;

import com.esii.support.hub.cluster.Leases;
import com.esii.support.hub.mailkit.MailConfig;
import com.esii.support.hub.mailkit.MailLogin;

/**
 * One IMAP(S) mailbox, as its {@linkplain MailboxWatch watch}, {@linkplain MailboxFetch fetch} and
 * {@linkplain MailboxFlags flags} share it: its settings and login, the one connection kept open between passes (and
 * the folder in IDLE, if any), the news the server announces on it (EXISTS), the start point, the moves to another
 * folder and the low-level UID SEARCH and UID FETCH; and its state for the health check (up, last error, last poll).
 * The bean is the support mailbox ({@code hub.mail.imap.*}); the tests make more for mailboxes of their own.
 *
 * <p>One replica reads a mailbox at a time: the leader of {@link #LEADER_LEASE}.
 */
@ApplicationScoped
public class Mailbox {

    private static final Logger LOG = Logger.getLogger(Mailbox.class);
    /** The leader lease of the mail poller: one replica reads the mailbox at a time (see routes/email.yaml). */
    public static final String LEADER_LEASE = "mail-poller";

    private final MailConfig.Imap config;
    private final long maxSize;
    private final MailStore store;
    private final Clock clock;
    private final Leases leases;
    private final MailLogin login;
    private final java.nio.file.Path spoolDirectory;
    /** Why the last mail over the size cap could not be written to the spool; null while it can. */
    private volatile String spoolProblem;
    /** When a pass tries the spool again (a mail left in the mailbox for it); null while it works. */
    private volatile Instant spoolRetryAt;
    /** Whether the spool failed during the current pass. */
    private volatile boolean spoolFailedInPass;
    private Store imap;
    private Folder inbox;
    private volatile boolean up;
    private volatile String lastError = "not polled yet";
    private volatile Instant lastPoll;

    /**
     * A mail arrived since the last pass searched the mailbox (the server announced an EXISTS: in IDLE, or with a
     * command).
     */
    private final AtomicBoolean news = new AtomicBoolean();
    /** While a pass opens (its NOOP): what the server announces then, the search that follows sees. */
    private volatile boolean opening;
    /** Whether the server offers IDLE (read when the connection opens). */
    private volatile boolean idleOffered;
    /** The pass failed (the connection is closed): the turn ends; the watch's next tick opens it again. */
    private volatile boolean passFailed;
    private volatile boolean stopping;
    /** A pass is under way, from its search to its end (a stopping replica lets it end before handing the lease back). */
    private boolean passing;
    private final Object passLock = new Object();
    private volatile Instant lastPassStart = Instant.EPOCH;
    /** The folder in IDLE right now, if any. */
    private volatile IMAPFolder idling;

    public Mailbox(MailConfig config, MailStore store, Clock clock, Leases leases, MailLogin login) {
        this.login = login;
        this.leases = leases;
        this.config = config.imap();
        this.maxSize = config.maxSize();
        this.spoolDirectory = config.spoolDirectory().filter(d -> !d.isBlank()).map(java.nio.file.Path::of)
                .orElseGet(SpooledMail::defaultDirectory);
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
    public String name() {
        return config.username().orElse("") + "@" + config.host() + "/" + config.folder();
    }

    MailConfig.Imap config() {
        return config;
    }

    /** {@code hub.mail.max-size}: a mail over it is kept in a temporary file, never whole in memory. */
    long maxSize() {
        return maxSize;
    }

    Clock clock() {
        return clock;
    }

    // --- the spool (mail over the size cap, on its way to the raw store) -------------------------------------

    /** How long a mail that could not be spooled waits in the mailbox before a pass tries it again. */
    static final Duration SPOOL_RETRY = Duration.ofSeconds(5);

    /** {@code hub.mail.spool-directory}: where a mail over the size cap is written as it is fetched. */
    java.nio.file.Path spoolDirectory() {
        return spoolDirectory;
    }

    /** Why mail over the size cap cannot be written to the spool now (for the health check); null while it can. */
    public String spoolProblem() {
        return spoolProblem;
    }

    /** When a pass should try the spool again; null while it works. */
    Instant spoolRetryAt() {
        return spoolRetryAt;
    }

    /**
     * A mail could not be written to the spool (a full disk, a directory that cannot be written): it stays in the
     * mailbox, unseen, and a pass tries it again after {@link #SPOOL_RETRY}. Logged once, until the spool works again.
     */
    void spoolFailed(java.io.IOException e) {
        String why = "cannot write mail over hub.mail.max-size to " + spoolDirectory + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                        + e.getMessage());
        if (spoolProblem == null) {
            LOG.errorf("Mailbox %s: %s; such mail stays in the mailbox and is tried again every %d s until it can",
                    name(), why, SPOOL_RETRY.toSeconds());
        }
        spoolProblem = why;
        spoolFailedInPass = true;
        spoolRetryAt = clock.instant().plus(SPOOL_RETRY);
    }

    /**
     * A mail was written to the spool, or a whole pass went by without failing to (the mail that waited for it is
     * gone from the mailbox): a problem reported before is over.
     */
    void spoolWritten() {
        if (spoolProblem != null) {
            LOG.infof("Mailbox %s: the spool %s takes mail again (no mail waits for it)", name(), spoolDirectory);
            spoolProblem = null;
            spoolRetryAt = null;
        }
    }

    // --- the lease ------------------------------------------------------------------------------------------

    /** Whether this replica leads the mailbox now ({@link #LEADER_LEASE}). */
    boolean isLeader() {
        return leases.isLeader(LEADER_LEASE);
    }

    /** Whether this replica holds the mailbox's lease (asks nobody). */
    boolean holdsLease() {
        return leases.holds(LEADER_LEASE);
    }

    /** Throws {@link Leases.LeaseLost} when this replica no longer holds the mailbox's lease. */
    void fence() {
        leases.fence(LEADER_LEASE);
    }

    Duration renewalInterval() {
        return leases.renewalInterval();
    }

    /** {@code action} runs when the lease is lost or handed back; it must never block. */
    void whenLeaseLost(Runnable action) {
        leases.whenLost(LEADER_LEASE, action);
    }

    // --- the state the watch, the fetch and the flags share ---------------------------------------------------

    /** Whether the server announced news since the last pass searched the mailbox (or a pass asked for one more). */
    boolean hasNews() {
        return news.get();
    }

    /** One more pass is due (see where it is called for why). */
    void news() {
        news.set(true);
    }

    boolean passFailed() {
        return passFailed;
    }

    void passFailed(boolean failed) {
        passFailed = failed;
    }

    boolean stopping() {
        return stopping;
    }

    /**
     * The replica stops: no wait and no pass starts any more, a pass under way ends after its current batch, and a
     * failure from now on is not the mailbox's.
     */
    void stop() {
        stopping = true;
    }

    void passStarts() {
        synchronized (passLock) {
            passing = true;
        }
    }

    void passEnds() {
        synchronized (passLock) {
            passing = false;
            passLock.notifyAll();
        }
    }

    boolean passing() {
        synchronized (passLock) {
            return passing;
        }
    }

    /** Waits until no pass is under way, at most {@code limit}; false when one still is. */
    boolean awaitPassEnd(Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (passLock) {
            while (passing) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    passLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    Instant lastPassStart() {
        return lastPassStart;
    }

    /** Whether the server offers IDLE (as of the last connection). */
    boolean idleOffered() {
        return idleOffered;
    }

    IMAPFolder idling() {
        return idling;
    }

    /** The folder now in IDLE, or null once the IDLE is over. */
    void idling(IMAPFolder folder) {
        idling = folder;
    }

    /** The IDLE ended (news, its time up, or an end asked): the mailbox was watched until now. */
    void polled() {
        lastPoll = clock.instant();
    }

    /** A pass went through: the mailbox answers. */
    void passed() {
        if (!spoolFailedInPass) {
            spoolWritten();
        }
        up = true;
        lastError = null;
        lastPoll = clock.instant();
    }

    /**
     * The pass stopped: the mailbox is away (the channel reports DOWN and the connection is opened again next
     * time), or this replica lost the mailbox's lease mid-pass (the new leader takes the mail that was not
     * committed). The connection is closed either way.
     */
    void unavailable(Throwable e) {
        passFailed = true;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof Leases.LeaseLost lost) {
                LOG.warnf("Mailbox %s: %s; this pass stops here", name(), lost.getMessage());
                close();
                lastPoll = clock.instant();
                return;
            }
        }
        if (stopping) {
            close();
            return;
        }
        if (up || lastError == null || !lastError.equals(e.toString())) {
            LOG.warnf("Mailbox %s unavailable: %s (retrying every second)", name(), e.toString());
        }
        up = false;
        lastError = e.toString();
        close();
        lastPoll = clock.instant();
    }

    // --- the connection -------------------------------------------------------------------------------------

    /** Whether the mailbox is open now. */
    boolean isOpen() {
        Folder f = inbox;
        return f != null && f.isOpen();
    }

    /** The open folder (null when closed). */
    IMAPFolder folder() {
        return inbox instanceof IMAPFolder f ? f : null;
    }

    /**
     * A pass begins: its start noted (the watch's next wait counts from it), the mailbox opened (kept open between
     * passes).
     */
    void openForPass() throws MessagingException {
        lastPassStart = clock.instant();
        spoolFailedInPass = false;
        open();
        // What the server announces from now on is news for the next pass; this one reads the mailbox as it is.
        news.set(false);
    }

    /** NOOP; what the server announces meanwhile is logged as announced before the search. */
    void noop() throws MessagingException {
        opening = true;
        try {
            ((IMAPFolder) inbox).doCommand(protocol -> {
                protocol.simpleCommand("NOOP", null);
                return null;
            });
        } finally {
            opening = false;
        }
    }

    void open() throws MessagingException {
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
        // after an IDLE the next pass starts at once (Angus waits 10 ms by default)
        p.put("mail." + protocol + ".minidletime", "0");
        login.configure(p, "mail." + protocol);
        Session session = Session.getInstance(p);
        Store s = session.getStore(protocol);
        // a password, or an OAuth2 token (XOAUTH2), renewed and tried once more at once when the server refuses it
        login.login("IMAP", config.username().orElse(null), config.password().orElse(null),
                (user, secret) -> s.connect(config.host(), config.port(), user, secret));
        Folder f = s.getFolder(config.folder());
        f.open(Folder.READ_WRITE);
        boolean offered = ((IMAPStore) s).hasCapability("IDLE");
        if (config.idle() && !offered && (imap == null || idleOffered)) {
            LOG.infof("Mailbox %s: the server does not offer IDLE; reading it every %d ms", name(),
                    config.pollIntervalMs());
        }
        idleOffered = offered;
        ((IMAPFolder) f).doCommand(protocol1 -> {
            protocol1.addResponseHandler(this::onResponse);
            return null;
        });
        imap = s;
        inbox = f;
    }

    synchronized void close() {
        try {
            if (inbox != null && inbox.isOpen()) {
                if (idling != null) {
                    // closing waits for the IDLE to end; a server that does not answer ends it at the read timeout
                    ((IMAPFolder) inbox).forceClose();
                } else {
                    inbox.close(false);
                }
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

    /**
     * Server news: a server announces EXISTS only when the mailbox's size changed (RFC 3501 7.3.1), and a decrease
     * with EXPUNGE, so an EXISTS after the pass's search is a mail the pass did not see. (Comparing the count with
     * the one known would miss mail on a server that does not announce the mail moved away: GreenMail after a MOVE.)
     */
    private void onResponse(Response r) {
        if (r instanceof IMAPResponse ir && !(r instanceof FetchResponse) && ir.keyEquals("EXISTS")) {
            LOG.debugf("%s: %d EXISTS%s", name(), ir.getNumber(), opening ? " (before the search)" : "");
            // Announced before the pass's search too: the search should see that mail, but GreenMail once announced
            // the last mail of a burst with the NOOP and left it out of the search that followed (MailBurstOrderTest,
            // one run in four under load: the mail waited 30 s for the re-sync). One more pass costs a NOOP and a
            // search; a mail the search already took is not taken twice (it is flagged, or its key is known).
            news.set(true);
        }
    }

    // --- the mailbox ----------------------------------------------------------------------------------------

    /** The first UID to answer: on the first start with start=new, the mail already there is history. */
    long firstUid() throws MessagingException {
        UIDFolder uids = (UIDFolder) inbox;
        long validity = uids.getUIDValidity();
        var state = store.mailboxState(name());
        if (state.isPresent() && state.get()[0] == validity) {
            return state.get()[1];
        }
        long first = 1;
        if (state.isEmpty() && "new".equalsIgnoreCase(config.start()) && inbox.getMessageCount() > 0) {
            first = ((IMAPFolder) inbox).getUIDNext();
            LOG.infof("First start on %s: the %d mails already there are history and are not answered",
                    name(), inbox.getMessageCount());
        }
        store.saveMailboxState(name(), validity, first, OffsetDateTime.now(clock));
        return store.mailboxState(name()).map(s -> s[1]).orElse(first);
    }

    /** The mails flagged seen, in one command. */
    void flagSeen(Message[] msgs) throws MessagingException {
        inbox.setFlags(msgs, new Flags(Flags.Flag.SEEN), true);
    }

    /** The mails moved away for good (the ones moved to another folder). */
    void expunge() throws MessagingException {
        inbox.expunge();
    }

    void moveTo(Message[] msgs, String folderName) throws MessagingException {
        // A mail that arrives while mail is moved away may go unannounced (seen with GreenMail, once in a few runs of
        // the tests): one more pass after a move reads the mailbox again.
        news.set(true);
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

    /** UID SEARCH UNSEEN UID firstUid:* (the server's answer, whatever this connection knows of the mailbox). */
    long[] uidSearchUnseen(long firstUid) throws MessagingException {
        return (long[]) ((IMAPFolder) inbox).doCommand(p -> {
            Response[] r = p.command("UID SEARCH UNSEEN UID " + Math.max(1, firstUid) + ":*", null);
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < r.length - 1; i++) {
                if (r[i] instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                    for (long n = ir.readLong(); n != -1; n = ir.readLong()) {
                        if (n >= firstUid) {
                            out.add(n);
                        }
                    }
                    r[i] = null;
                }
            }
            p.notifyResponseHandlers(r);
            p.handleResult(r[r.length - 1]);
            return out.stream().mapToLong(Long::longValue).toArray();
        });
    }

    /**
     * One UID FETCH whose message bodies are read here and not kept in the folder's message cache (which would hold
     * every mail of the pass until the folder closes); the server's other news go to the folder as usual.
     */
    @SuppressWarnings("unchecked")
    List<FetchResponse> uidFetch(String uids, String items) throws MessagingException {
        return (List<FetchResponse>) ((IMAPFolder) inbox).doCommand(p -> {
            Response[] r = p.command("UID FETCH " + uids + " (" + items + ")", null);
            List<FetchResponse> bodies = new ArrayList<>();
            for (int i = 0; i < r.length - 1; i++) {
                if (r[i] instanceof FetchResponse f && f.getItem(BODY.class) != null) {
                    bodies.add(f);
                    r[i] = null;
                }
            }
            p.notifyResponseHandlers(r);
            p.handleResult(r[r.length - 1]);
            return bodies;
        });
    }
}
