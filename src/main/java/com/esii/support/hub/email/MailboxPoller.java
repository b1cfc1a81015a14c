package com.esii.support.hub.email;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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

import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.jboss.logging.Logger;

import com.esii.support.hub.cluster.Leases;
import com.esii.support.hub.mailkit.MailAddresses;
import com.esii.support.hub.mailkit.MailConfig;
import com.esii.support.hub.mailkit.MailLogin;
import com.esii.support.hub.util.DaemonThreads;

import io.quarkus.runtime.ShutdownEvent;

/**
 * Reads the support mailbox over IMAP(S): every unseen mail (from the configured start point on) goes through
 * {@link MailIntake}; only once its outcome is committed is it flagged seen or moved to the processed folder. A
 * mail that fails is recorded and moved to the error folder, so it never blocks the mails behind it.
 *
 * <p>The leader of {@link #LEADER_LEASE} keeps one connection open and {@linkplain #awaitNews(String) waits} on it for new
 * mail: with IMAP IDLE where the server offers it (the server announces a mail as it arrives, and the pass starts
 * at once), else by reading the mailbox every poll interval. With IDLE the whole mailbox is read again every
 * {@code hub.mail.imap.resync-interval} anyway. The wait ends when the lease is lost or handed back (the replica
 * stopping), and the connection is reopened after any failure; a server that is down only makes the mail channel
 * report DOWN (see {@link MailChannelHealth}).
 *
 * <p>Memory: a pass fetches mails whole in batches of at most 50 mails and {@value #BATCH_BYTES} bytes (one round
 * trip each); a larger mail is fetched alone, in pieces, and one over {@code hub.mail.max-size} goes to a temporary
 * file ({@link SpooledMail}) and from there to the raw store, never held in memory whole.
 */
@ApplicationScoped
@Named("mailboxPoller")
public class MailboxPoller {

    private static final Logger LOG = Logger.getLogger(MailboxPoller.class);
    /** The leader lease of the mail poller: one replica reads the mailbox at a time (see routes/email.yaml). */
    public static final String LEADER_LEASE = "mail-poller";
    /** How often an IDLE in progress looks for news announced with its own start (and for its end). */
    private static final long NEWS_CHECK_MS = 100;
    /** Most mails fetched (and then flagged) per IMAP round trip. */
    private static final int BATCH = 50;
    /** Most bytes of mail fetched per round trip: a mail larger than this is fetched alone, in pieces. */
    static final int BATCH_BYTES = 4 * 1024 * 1024;
    /** The piece of a large mail fetched per round trip. */
    private static final int PIECE = 1024 * 1024;

    private final MailConfig.Imap config;
    private final long maxSize;
    private final MailIntake intake;
    private final MailStore store;
    private final Clock clock;
    private Store imap;
    private Folder inbox;
    private volatile boolean up;
    private volatile String lastError = "not polled yet";
    private volatile Instant lastPoll;

    private final Leases leases;
    private final io.micrometer.core.instrument.Counter spooledMails;
    /** True while a poll runs as the leader of {@link #LEADER_LEASE}: each mail's commit is then fenced by it. */
    private boolean leading;

    // --- the watch (awaitNews), run by the email-watch route's thread -----------------------------------------
    /** A mail arrived since the last pass searched the mailbox (the server announced an EXISTS: in IDLE, or with a command). */
    private final AtomicBoolean news = new AtomicBoolean();
    /** While a pass opens (its NOOP): what the server announces then, the search that follows sees. */
    private volatile boolean opening;
    /** Whether the server offers IDLE (read when the connection opens). */
    private volatile boolean idleOffered;
    /** The turn under way (the watch's exchange), between its first pass and its end (lease lost, failure, stop). */
    private String turn;
    /** The pass failed (the connection is closed): the turn ends; the watch's next tick opens it again. */
    private volatile boolean passFailed;
    private volatile boolean stopping;
    /** Set to end a wait early: the lease was lost or the replica stops. */
    private volatile boolean wake;
    private volatile Instant lastPassStart = Instant.EPOCH;
    /** The folder in IDLE right now, if any. */
    private volatile IMAPFolder idling;
    private ScheduledExecutorService alarms;
    private final Object alarmsLock = new Object();
    private final Object sleeper = new Object();

    private final MailLogin login;

    public MailboxPoller(MailConfig config, MailIntake intake, MailStore store, Clock clock, Leases leases,
            MailLogin login) {
        this.login = login;
        this.spooledMails = io.micrometer.core.instrument.Metrics.counter("hub.mail.spooled");
        this.leases = leases;
        this.config = config.imap();
        this.maxSize = config.maxSize();
        this.intake = intake;
        this.store = store;
        this.clock = clock;
        leases.whenLost(LEADER_LEASE, this::wakeUp);
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

    /** How the leader waits for mail: "idle" (IMAP IDLE), "poll", or "none" (not connected). */
    public String mode() {
        Folder f = inbox;
        if (f == null || !f.isOpen()) {
            return "none";
        }
        return idleMode() ? "idle" : "poll";
    }

    /** Whether the mailbox is in IDLE right now (for the tests and health). */
    public boolean isIdling() {
        return idling != null;
    }

    /** The mailbox's name in receipts: user@host/folder. */
    public String mailboxName() {
        return config.username().orElse("") + "@" + config.host() + "/" + config.folder();
    }

    /** Whether this replica leads the mailbox now ({@link #LEADER_LEASE}): the watch route's filter. */
    public boolean isLeader() {
        return leases.isLeader(LEADER_LEASE);
    }

    /** A mail fetched from the mailbox (whole in memory, or spooled), and whether its outcome is committed. */
    public static final class FetchedMail {
        private final Message message;
        private final byte[] raw;
        private final SpooledMail spooled;
        /** Set by the intake's thread, read by the pass's when it flags the batch. */
        private volatile boolean committed;

        FetchedMail(Message message, byte[] raw, SpooledMail spooled) {
            this.message = message;
            this.raw = raw;
            this.spooled = spooled;
        }

        /**
         * Who wrote it, for keeping a sender's mails in order: the first address of its From field, lower-cased (an
         * empty string when it has none; a mail kept in a temporary file is a batch of its own).
         */
        String sender() {
            String known = sender;
            if (known == null) {
                known = readSender();
                sender = known;
            }
            return known;
        }

        /** Read once: the look-ahead step and the split by sender both ask. */
        private volatile String sender;

        private String readSender() {
            if (raw == null) {
                return "";
            }
            String from = headerField(raw, "from");
            if (from == null) {
                return "";
            }
            try {
                List<MailAddresses.Mailbox> boxes =
                        MailAddresses.parse(from);
                return boxes.isEmpty() ? from.strip().toLowerCase(java.util.Locale.ROOT)
                        : boxes.get(0).address().toLowerCase(java.util.Locale.ROOT);
            } catch (RuntimeException e) {
                return from.strip().toLowerCase(java.util.Locale.ROOT);
            }
        }

        public byte[] raw() {
            return raw;
        }

        /** Its temporary file deleted, if it has one (it is in the raw store by then, or comes back next pass). */
        void release() {
            if (spooled != null) {
                spooled.close();
            }
        }
    }

    /** A mail the pass will fetch: its message, UID and size. */
    private record Due(Message message, long uid, long size) {
    }

    /**
     * One pass over the unseen mails from the start point on, fetched whole in batches (one IMAP round trip a batch,
     * at most {@value #BATCH} mails and {@value #BATCH_BYTES} bytes); a larger mail is fetched alone. Once a batch's
     * mails are through, {@link MailboxPoller#flag} flags (or moves) its committed ones in one command. A crash in between leaves
     * committed mails unflagged: they come back as duplicates and open nothing.
     */
    public final class Pass implements Iterable<List<FetchedMail>>, java.util.Iterator<List<FetchedMail>> {
        private final List<Due> due;
        private int next;
        private List<FetchedMail> batch = List.of();

        Pass(List<Due> due) {
            this.due = due;
        }

        @Override
        public java.util.Iterator<List<FetchedMail>> iterator() {
            return this;
        }

        @Override
        public boolean hasNext() {
            return next < due.size();
        }

        /** The next batch (the one before was flagged by {@link MailboxPoller#flag}). */
        @Override
        public List<FetchedMail> next() {
            if (next >= due.size()) {
                throw new java.util.NoSuchElementException();
            }
            try {
                fetchBatch();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
            return batch;
        }

        private void fetchBatch() throws MessagingException {
            batch.forEach(FetchedMail::release);
            List<Due> group = new ArrayList<>();
            long bytes = 0;
            while (next < due.size() && group.size() < BATCH) {
                Due d = due.get(next);
                if (!group.isEmpty() && (alone(d) || bytes + d.size() > BATCH_BYTES)) {
                    break;
                }
                group.add(d);
                bytes += d.size();
                next++;
                if (alone(d)) {
                    break;
                }
            }
            List<FetchedMail> fetched = new ArrayList<>(group.size());
            if (group.size() == 1 && alone(group.get(0))) {
                FetchedMail large = fetchLarge(group.get(0));
                if (large != null) {
                    fetched.add(large);
                }
            } else {
                Map<Long, byte[]> bodies = fetchWhole(group);
                for (Due d : group) {
                    byte[] raw = bodies.get(d.uid());
                    if (raw != null) { // else: gone from the mailbox since the search
                        fetched.add(new FetchedMail(d.message(), raw, null));
                    }
                }
            }
            batch = fetched;
        }

        /** Fetched alone: larger than a batch, or over the size cap (then spooled). */
        private boolean alone(Due d) {
            return d.size() > BATCH_BYTES || d.size() > maxSize;
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

        /** The temporary files of the current batch deleted. */
        void release() {
            batch.forEach(FetchedMail::release);
        }

        private int flagged;
    }

    // --- the steps of the email-watch and email-receive routes ----------------------------------------------

    /**
     * The watch: whether to make a pass now. The first call of a turn (a new exchange of the watch route) answers
     * yes at once (a full pass); then the leader waits, with IDLE until the server announces a mail (or the re-sync
     * is due), else until the poll interval has passed, renewing its lease meanwhile. No ends the turn: the lease was lost or handed back, the
     * replica stops, or the last pass failed (the watch's next tick opens the mailbox again).
     */
    public boolean awaitNews(String turnId) {
        if (!turnId.equals(turn)) {
            turn = turnId;
            passFailed = false;
            wake = false;
            return !stopping && config.enabled();
        }
        while (true) {
            if (stopping || passFailed || wake || !leases.isLeader(LEADER_LEASE)) {
                return endTurn();
            }
            if (news.get()) {
                return true;
            }
            Instant now = clock.instant();
            Duration every = idleMode() ? config.resyncInterval() : Duration.ofMillis(config.pollIntervalMs());
            Instant due = lastPassStart.plus(every);
            if (!now.isBefore(due)) {
                return true;
            }
            long waitMs = Math.max(1, Math.min(Duration.between(now, due).toMillis(),
                    leases.renewalInterval().toMillis()));
            if (idleMode()) {
                idle(waitMs);
            } else {
                sleep(waitMs);
            }
        }
    }

    private boolean endTurn() {
        if (stopping || wake || !passFailed) {
            // not the leader any more, or stopping: a standby holds no connection
            close();
        }
        wake = false;
        return false;
    }

    /** Opens the mailbox (kept open between passes) and lists the unseen mails from the start point on. */
    public Pass unseen() throws MessagingException {
        leading = leases.holds(LEADER_LEASE);
        lastPassStart = clock.instant();
        open();
        // What the server announces from now on is news for the next pass; this one reads the mailbox as it is.
        news.set(false);
        long firstUid = firstUid();
        Message[] unseen;
        opening = true;
        try {
            // NOOP: the server's pending news (new mail, mail moved away) reach the folder before the search. Without
            // it a search right after moving a mail aside missed the mail that arrived meanwhile for up to 15 s
            // (GreenMail).
            ((IMAPFolder) inbox).doCommand(protocol -> {
                protocol.simpleCommand("NOOP", null);
                return null;
            });
        } finally {
            opening = false;
        }
        // A mail announced with the search's answer may be missing from it (the server may answer the search before
        // it announces a mail that arrived meanwhile): that EXISTS is news, and the next pass takes the mail.
        unseen = unseenFrom(firstUid);
        LOG.debugf("Pass over %s: %d unseen", mailboxName(), unseen.length);
        FetchProfile fp = new FetchProfile();
        fp.add(UIDFolder.FetchProfileItem.UID);
        fp.add(FetchProfile.Item.SIZE);
        inbox.fetch(unseen, fp);
        UIDFolder uids = (UIDFolder) inbox;
        List<Due> due = new ArrayList<>();
        for (Message msg : unseen) {
            long uid = uids.getUID(msg);
            if (uid >= firstUid) {
                due.add(new Due(msg, uid, Math.max(0, msg.getSize())));
            }
        }
        return new Pass(due);
    }

    /**
     * The unseen mails from {@code firstUid} on, as the server lists them by UID. A mail this connection was never
     * told of (its EXISTS lost, or not yet sent: Angus ignores such a message number, as Exchange may answer with
     * them) is still found: when the server lists a UID the connection cannot map to a message, the mailbox is opened
     * again (its SELECT gives the true count) and the UIDs are mapped once more. Without it a mail whose announcement
     * the server lost waited for the re-sync, however many passes came after (MailBurstOrderTest, issue 28).
     */
    private Message[] unseenFrom(long firstUid) throws MessagingException {
        long[] uids = uidSearchUnseen(firstUid);
        Message[] found = ((IMAPFolder) inbox).getMessagesByUID(uids);
        if (java.util.Arrays.stream(found).anyMatch(java.util.Objects::isNull)) {
            LOG.debugf("%s: the server lists unseen mail this connection was not told of; opening it again",
                    mailboxName());
            close();
            open();
            found = ((IMAPFolder) inbox).getMessagesByUID(uids);
        }
        return java.util.Arrays.stream(found).filter(java.util.Objects::nonNull).toArray(Message[]::new);
    }

    /** UID SEARCH UNSEEN UID firstUid:* (the server's answer, whatever this connection knows of the mailbox). */
    private long[] uidSearchUnseen(long firstUid) throws MessagingException {
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
     * A batch's mails by sender, each sender's in the order they arrived: the intake takes the senders side by side
     * ({@code hub.mail.intake-threads}) and one sender's mails one after the other, so that a customer's reply is
     * never read before the mail that opened its ticket and the per-address caps count in order. One mail at a time
     * made a burst of 1,000 mails 1.95x-3.28x a bare client's time: the intake's transaction, mostly waiting on the
     * database and the ERP, was 78 % of the reader thread (bench/results/email-profile-2026-11-28.md).
     */
    public List<List<FetchedMail>> bySender(List<FetchedMail> batch) {
        Map<String, List<FetchedMail>> senders = new LinkedHashMap<>();
        for (FetchedMail m : batch) {
            senders.computeIfAbsent(m.sender(), k -> new ArrayList<>()).add(m);
        }
        return new ArrayList<>(senders.values());
    }

    /** The batch's committed mails flagged (or moved) in one command, once all its senders are through. */
    public void flag(Pass pass) throws MessagingException {
        pass.flagCommitted();
    }

    /** The value of a header field of a raw mail (the first one, unfolded), or null; reads the header section only. */
    static String headerField(byte[] raw, String name) {
        try {
            String[] values = new jakarta.mail.internet.InternetHeaders(new java.io.ByteArrayInputStream(raw))
                    .getHeader(name);
            return values == null ? null : jakarta.mail.internet.MimeUtility.unfold(values[0]).strip();
        } catch (MessagingException e) {
            return null;
        }
    }

    /** The mail for the intake route; as the leader, its commit is fenced by the mailbox's lease. */
    public IncomingMail incoming(FetchedMail mail) {
        Runnable fence = leading ? () -> leases.fence(LEADER_LEASE) : null;
        return mail.spooled != null ? new IncomingMail(mail.spooled, mailboxName(), fence)
                : new IncomingMail(mail.raw, mailboxName(), fence);
    }

    /** Its outcome is committed: it is flagged (or moved) with its batch. */
    public void committed(FetchedMail mail) {
        mail.committed = true;
        mail.release();
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
        intake.recordError(incoming(mail), e instanceof Exception x ? x : new RuntimeException(e));
        mail.release();
        moveTo(new Message[] { mail.message }, config.errorFolder());
    }

    /** The end of a pass: the last batch flagged, moved mail expunged. */
    public void finish(Pass pass) throws MessagingException {
        pass.flagCommitted();
        pass.release();
        if (pass.flagged > 0 && config.processedFolder().isPresent()) {
            inbox.expunge();
        }
        if (pass.flagged > 0) {
            // A pass that took mail is followed by one more (a NOOP and a search; the one after it finds nothing and
            // the watch idles): a mail that arrived during the pass is read now even when the server's announcement
            // of it was lost. GreenMail loses one when a mail is added while it reports the size to the session
            // (ImapSessionImpl.unsolicitedResponses reads the count, then clears its flag), which left the last
            // mail of a burst waiting for the re-sync (MailBurstOrderTest in the suite, issue 28;
            // MailboxIdleTest.aMailWhoseAnnouncementIsLostDuringAPassIsReadByTheNextOne).
            news.set(true);
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
        passFailed = true;
        if (pass != null) {
            try {
                pass.flagCommitted();
            } catch (MessagingException | RuntimeException ignored) {
                // the connection is gone: they come back as duplicates and open nothing
            }
            pass.release();
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof Leases.LeaseLost lost) {
                LOG.warnf("Mailbox %s: %s; this pass stops here", mailboxName(), lost.getMessage());
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
            LOG.warnf("Mailbox %s unavailable: %s (retrying every second)", mailboxName(), e.toString());
        }
        up = false;
        lastError = e.toString();
        close();
        lastPoll = clock.instant();
    }

    // --- fetching -------------------------------------------------------------------------------------------

    /** The mails of a batch, whole, in one round trip (UID FETCH ... BODY.PEEK[]: reading marks nothing seen). */
    private Map<Long, byte[]> fetchWhole(List<Due> group) throws MessagingException {
        StringBuilder set = new StringBuilder();
        for (Due d : group) {
            set.append(set.length() == 0 ? "" : ",").append(d.uid());
        }
        Map<Long, byte[]> out = new LinkedHashMap<>();
        for (FetchResponse f : uidFetch(set.toString(), "UID BODY.PEEK[]")) {
            UID uid = f.getItem(UID.class);
            BODY body = f.getItem(BODY.class);
            if (uid != null && body != null && body.getByteArray() != null) {
                out.put(uid.uid, body.getByteArray().getNewBytes());
            }
        }
        return out;
    }

    /**
     * A mail larger than a batch or over the size cap, fetched alone {@value #PIECE} bytes at a time: into memory when the intake will
     * parse it, into a temporary file when it is over {@code hub.mail.max-size} (then only its headers are read).
     * Null when it is gone from the mailbox.
     */
    private FetchedMail fetchLarge(Due d) throws MessagingException {
        boolean spool = d.size() > maxSize;
        SpooledMail.Writer file = null;
        OutputStream out;
        try {
            if (spool) {
                file = SpooledMail.create();
                out = file;
            } else {
                out = new ByteArrayOutputStream((int) Math.min(d.size() + 16, Integer.MAX_VALUE - 16));
            }
            long offset = 0;
            while (true) {
                List<FetchResponse> got = uidFetch(String.valueOf(d.uid()),
                        "UID BODY.PEEK[]<" + offset + "." + PIECE + ">");
                BODY body = got.isEmpty() ? null : got.get(0).getItem(BODY.class);
                if (body == null || body.getByteArray() == null) {
                    if (offset == 0) {
                        if (file != null) {
                            file.discard();
                        }
                        return null; // gone since the search
                    }
                    break;
                }
                var piece = body.getByteArray();
                out.write(piece.getBytes(), piece.getStart(), piece.getCount());
                offset += piece.getCount();
                if (piece.getCount() < PIECE) {
                    break;
                }
            }
            if (spool) {
                SpooledMail spooled = file.finish();
                file = null;
                spooledMails.increment();
                return new FetchedMail(d.message(), null, spooled);
            }
            return new FetchedMail(d.message(), ((ByteArrayOutputStream) out).toByteArray(), null);
        } catch (IOException e) {
            throw new MessagingException("Could not keep a large mail in a temporary file", e);
        } finally {
            if (file != null) {
                file.discard();
            }
        }
    }

    /**
     * One UID FETCH whose message bodies are read here and not kept in the folder's message cache (which would hold
     * every mail of the pass until the folder closes); the server's other news go to the folder as usual.
     */
    @SuppressWarnings("unchecked")
    private List<FetchResponse> uidFetch(String uids, String items) throws MessagingException {
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

    // --- waiting --------------------------------------------------------------------------------------------

    private boolean idleMode() {
        return config.idle() && idleOffered;
    }

    /**
     * IDLE for at most {@code waitMs}: returns when the server announces something, when the time is up (an alarm
     * ends the IDLE), or when {@link #wakeUp} ends it. A lost connection ends the turn.
     */
    private void idle(long waitMs) {
        IMAPFolder f = inbox instanceof IMAPFolder i ? i : null;
        if (f == null || !f.isOpen()) {
            passFailed = true;
            return;
        }
        // Ends the IDLE when its time is up, and as soon as there is news: a server may announce a mail with the
        // IDLE's own start (an EXISTS before its "+", for a mail that arrived after the pass's last command), which
        // Angus hands to onResponse but does not count as the IDLE's news: without this check the IDLE went on until
        // the next lease renewal (MailboxIdleTest.aMailAnnouncedAsTheIdleBeginsIsReadAtOnce; MailBurstOrderTest's 30
        // s, issue 28). Repeats until the IDLE is over: an end asked just before the IDLE began would otherwise be lost.
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        ScheduledFuture<?> alarm;
        try {
            alarm = alarms().scheduleWithFixedDelay(() -> {
                if (news.get() || System.nanoTime() - due >= 0) {
                    endIdle();
                }
            }, Math.min(waitMs, NEWS_CHECK_MS), NEWS_CHECK_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            return;
        }
        idling = f;
        try {
            if (!news.get() && !wake && !stopping) {
                LOG.debugf("IDLE on %s for at most %d ms", mailboxName(), waitMs);
                f.idle(true);
                LOG.debugf("IDLE on %s over (news: %s)", mailboxName(), news.get());
            }
            lastPoll = clock.instant();
        } catch (MessagingException | RuntimeException e) {
            if (!stopping) {
                unavailable(null, e);
            }
            passFailed = true;
        } finally {
            idling = null;
            alarm.cancel(false);
        }
    }

    /** Ends the IDLE in progress, if any: any other command on the folder makes Angus send DONE first. */
    private void endIdle() {
        IMAPFolder f = idling;
        if (f == null) {
            return;
        }
        try {
            f.doCommand(p -> null);
        } catch (MessagingException | RuntimeException ignored) {
            // the connection is gone: the IDLE has ended too
        }
    }

    /** The lease was lost or handed back: the wait ends now. Never blocks. */
    private void wakeUp() {
        wake = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        if (idling != null) {
            alarms().execute(this::endIdle);
        }
    }

    private void sleep(long ms) {
        synchronized (sleeper) {
            if (wake || stopping) {
                return;
            }
            try {
                sleeper.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    private ScheduledExecutorService alarms() {
        synchronized (alarmsLock) {
            if (alarms == null) {
                alarms = Executors.newSingleThreadScheduledExecutor(
                        DaemonThreads.named("mailbox-idle-alarm"));
            }
            return alarms;
        }
    }

    /**
     * Server news: a server announces EXISTS only when the mailbox's size changed (RFC 3501 7.3.1), and a decrease
     * with EXPUNGE, so an EXISTS after the pass's search is a mail the pass did not see. (Comparing the count with
     * the one known would miss mail on a server that does not announce the mail moved away: GreenMail after a MOVE.)
     */
    private void onResponse(Response r) {
        if (r instanceof IMAPResponse ir && !(r instanceof FetchResponse) && ir.keyEquals("EXISTS")) {
            LOG.debugf("%s: %d EXISTS%s", mailboxName(), ir.getNumber(), opening ? " (before the search)" : "");
            // Announced before the pass's search too: the search should see that mail, but GreenMail once announced
            // the last mail of a burst with the NOOP and left it out of the search that followed (MailBurstOrderTest,
            // one run in four under load: the mail waited 30 s for the re-sync). One more pass costs a NOOP and a
            // search; a mail the search already took is not taken twice (it is flagged, or its key is known).
            news.set(true);
        }
    }

    // --- the mailbox ----------------------------------------------------------------------------------------

    private void moveTo(Message[] msgs, String folderName) throws MessagingException {
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
            LOG.infof("Mailbox %s: the server does not offer IDLE; reading it every %d ms", mailboxName(),
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

    private synchronized void close() {
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

    private static boolean isConnectionFailure(MessagingException e) {
        return e instanceof jakarta.mail.FolderClosedException || e instanceof jakarta.mail.StoreClosedException;
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        wakeUp();
        close();
        ScheduledExecutorService a;
        synchronized (alarmsLock) {
            a = alarms;
        }
        if (a != null) {
            a.shutdownNow();
        }
    }
}
