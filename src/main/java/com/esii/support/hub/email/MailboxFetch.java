package com.esii.support.hub.email;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.mail.FetchProfile;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.jboss.logging.Logger;

import com.esii.support.hub.mailkit.MailAddresses;

/**
 * The fetch of a {@link Mailbox}: the steps of the {@code mailbox-receive} route that read it. A pass lists every
 * unseen mail from the configured start point on ({@link #unseen()}) and fetches them whole in batches of at most
 * {@value #BATCH} mails and {@value #BATCH_BYTES} bytes (one round trip each); a larger mail is fetched alone, in
 * pieces, and one over {@code hub.mail.max-size} goes to a temporary file ({@link SpooledMail}) and from there to the
 * raw store, never held in memory whole. A batch goes to {@link MailIntake} by sender ({@link #bySender}); its
 * committed mails are then flagged by {@link MailboxFlags}. The bean is the support mailbox's.
 */
@ApplicationScoped
@Named("mailboxFetch")
public class MailboxFetch {

    private static final Logger LOG = Logger.getLogger(MailboxFetch.class);
    /** Most mails fetched (and then flagged) per IMAP round trip. */
    private static final int BATCH = 50;
    /** Most bytes of mail fetched per round trip: a mail larger than this is fetched alone, in pieces. */
    static final int BATCH_BYTES = 4 * 1024 * 1024;
    /** The piece of a large mail fetched per round trip. */
    private static final int PIECE = 1024 * 1024;

    private final Mailbox mailbox;
    private final io.micrometer.core.instrument.Counter spooledMails;
    private final io.micrometer.core.instrument.Counter spoolFailures;
    /**
     * True while a poll runs as the leader of {@link Mailbox#LEADER_LEASE}: each mail's commit is then fenced by it.
     */
    private boolean leading;

    public MailboxFetch(Mailbox mailbox) {
        this.mailbox = mailbox;
        this.spooledMails = io.micrometer.core.instrument.Metrics.counter("hub.mail.spooled");
        this.spoolFailures = io.micrometer.core.instrument.Counter.builder("hub.mail.spool.failures")
                .description("Mails over hub.mail.max-size left in the mailbox: the spool could not be written")
                .register(io.micrometer.core.instrument.Metrics.globalRegistry);
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

        /** Read once: the look-ahead steps and the split by sender ask. */
        private volatile String sender;
        /** The first address of its From field as written (canonical form), or empty; read with {@link #sender}. */
        private volatile String fromAddress;
        /** What the look-ahead learnt of its sender (its first mail of the batch only), or null. */
        private volatile SenderLookAhead.Sender known;

        private String readSender() {
            fromAddress = "";
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
                if (!boxes.isEmpty()) {
                    fromAddress = boxes.get(0).address();
                }
                return boxes.isEmpty() ? from.strip().toLowerCase(java.util.Locale.ROOT)
                        : boxes.get(0).address().toLowerCase(java.util.Locale.ROOT);
            } catch (RuntimeException e) {
                return from.strip().toLowerCase(java.util.Locale.ROOT);
            }
        }

        /** The first mailbox of its From field, in canonical form; empty when it names none. */
        String fromAddress() {
            sender();
            return fromAddress;
        }

        void sender(SenderLookAhead.Sender s) {
            known = s;
        }

        /** What the look-ahead learnt of its sender, or null. */
        SenderLookAhead.Sender known() {
            return known;
        }

        public byte[] raw() {
            return raw;
        }

        Message message() {
            return message;
        }

        boolean committed() {
            return committed;
        }

        void committed(boolean done) {
            committed = done;
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
     * mails are through, {@link MailboxFlags#flag} flags (or moves) its committed ones in one command. A crash in
     * between leaves committed mails unflagged: they come back as duplicates and open nothing.
     */
    public final class Pass implements Iterable<List<FetchedMail>>, java.util.Iterator<List<FetchedMail>> {
        private final List<Due> due;
        private int next;
        private List<FetchedMail> batch = List.of();
        private int flagged;

        Pass(List<Due> due) {
            this.due = due;
        }

        @Override
        public java.util.Iterator<List<FetchedMail>> iterator() {
            return this;
        }

        /** Another batch, unless the replica is stopping: the mail left stays unseen for the next leader. */
        @Override
        public boolean hasNext() {
            return next < due.size() && !mailbox.stopping();
        }

        /** The next batch (the one before was flagged by {@link MailboxFlags#flag}). */
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
            return d.size() > BATCH_BYTES || d.size() > mailbox.maxSize();
        }

        /** The current batch (the one {@link #next()} fetched last). */
        List<FetchedMail> batch() {
            return batch;
        }

        /** How many mails of the pass were flagged (or moved) so far. */
        int flagged() {
            return flagged;
        }

        void flagged(int more) {
            flagged += more;
        }

        /** The temporary files of the current batch deleted. */
        void release() {
            batch.forEach(FetchedMail::release);
        }
    }

    // --- the steps of the mailbox-receive route ---------------------------------------------------------------

    /** Opens the mailbox (kept open between passes) and lists the unseen mails from the start point on. */
    public Pass unseen() throws MessagingException {
        mailbox.passStarts(); // until MailboxFlags.finish or unavailable, which the route calls whatever happens
        leading = mailbox.holdsLease();
        mailbox.openForPass();
        long firstUid = mailbox.firstUid();
        // NOOP: the server's pending news (new mail, mail moved away) reach the folder before the search. Without
        // it a search right after moving a mail aside missed the mail that arrived meanwhile for up to 15 s
        // (GreenMail).
        mailbox.noop();
        // A mail announced with the search's answer may be missing from it (the server may answer the search before
        // it announces a mail that arrived meanwhile): that EXISTS is news, and the next pass takes the mail.
        Message[] unseen = unseenFrom(firstUid);
        LOG.debugf("Pass over %s: %d unseen", mailbox.name(), unseen.length);
        FetchProfile fp = new FetchProfile();
        fp.add(UIDFolder.FetchProfileItem.UID);
        fp.add(FetchProfile.Item.SIZE);
        IMAPFolder inbox = mailbox.folder();
        inbox.fetch(unseen, fp);
        List<Due> due = new ArrayList<>();
        for (Message msg : unseen) {
            long uid = inbox.getUID(msg);
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
        long[] uids = mailbox.uidSearchUnseen(firstUid);
        Message[] found = mailbox.folder().getMessagesByUID(uids);
        if (java.util.Arrays.stream(found).anyMatch(java.util.Objects::isNull)) {
            LOG.debugf("%s: the server lists unseen mail this connection was not told of; opening it again",
                    mailbox.name());
            mailbox.close();
            mailbox.open();
            found = mailbox.folder().getMessagesByUID(uids);
        }
        return java.util.Arrays.stream(found).filter(java.util.Objects::nonNull).toArray(Message[]::new);
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

    /** The mail for the intake route; as the leader, its commit is fenced by the mailbox's lease. */
    public IncomingMail incoming(FetchedMail mail) {
        Runnable fence = leading ? mailbox::fence : null;
        if (mail.spooled != null) {
            return new IncomingMail(mail.spooled, mailbox.name(), fence);
        }
        IncomingMail in = new IncomingMail(mail.raw, mailbox.name(), fence);
        in.setSender(mail.known);
        return in;
    }

    /** A batch's mails for the intake route, in the order they arrived (a batch written together). */
    public List<IncomingMail> incomingAll(List<FetchedMail> batch) {
        return batch.stream().map(this::incoming).toList();
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

    // --- fetching -------------------------------------------------------------------------------------------

    /** The mails of a batch, whole, in one round trip (UID FETCH ... BODY.PEEK[]: reading marks nothing seen). */
    private Map<Long, byte[]> fetchWhole(List<Due> group) throws MessagingException {
        StringBuilder set = new StringBuilder();
        for (Due d : group) {
            set.append(set.length() == 0 ? "" : ",").append(d.uid());
        }
        Map<Long, byte[]> out = new LinkedHashMap<>();
        for (FetchResponse f : mailbox.uidFetch(set.toString(), "UID BODY.PEEK[]")) {
            UID uid = f.getItem(UID.class);
            BODY body = f.getItem(BODY.class);
            if (uid != null && body != null && body.getByteArray() != null) {
                out.put(uid.uid, body.getByteArray().getNewBytes());
            }
        }
        return out;
    }

    /**
     * The spool could not be written (a full disk...): the mail is left out of the pass, unseen in the mailbox, and
     * tried again by a later pass; the passes go on with the mail behind it. Counted, and reported by the channel.
     */
    private FetchedMail spoolFailed(IOException e) {
        spoolFailures.increment();
        mailbox.spoolFailed(e);
        return null;
    }

    private static FetchedMail rethrow(IOException e) throws IOException {
        throw e;
    }

    /**
     * A mail larger than a batch or over the size cap, fetched alone {@value #PIECE} bytes at a time: into memory when
     * the intake will parse it, into a temporary file when it is over {@code hub.mail.max-size} (then only its headers
     * are read). Null when it is gone from the mailbox, or could not be spooled (it stays there for a later pass).
     */
    private FetchedMail fetchLarge(Due d) throws MessagingException {
        boolean spool = d.size() > mailbox.maxSize();
        SpooledMail.Writer file = null;
        OutputStream out;
        try {
            if (spool) {
                try {
                    file = SpooledMail.create(mailbox.spoolDirectory());
                } catch (IOException e) {
                    return spoolFailed(e);
                }
                out = file;
            } else {
                out = new ByteArrayOutputStream((int) Math.min(d.size() + 16, Integer.MAX_VALUE - 16));
            }
            long offset = 0;
            while (true) {
                List<FetchResponse> got = mailbox.uidFetch(String.valueOf(d.uid()),
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
                try {
                    out.write(piece.getBytes(), piece.getStart(), piece.getCount());
                } catch (IOException e) {
                    return spool ? spoolFailed(e) : rethrow(e);
                }
                offset += piece.getCount();
                if (piece.getCount() < PIECE) {
                    break;
                }
            }
            if (spool) {
                SpooledMail spooled;
                try {
                    spooled = file.finish();
                } catch (IOException e) {
                    return spoolFailed(e);
                }
                file = null;
                spooledMails.increment();
                mailbox.spoolWritten();
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
}
