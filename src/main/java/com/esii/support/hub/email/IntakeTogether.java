package com.esii.support.hub.email;

import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;

import com.esii.support.hub.email.MailboxFetch.FetchedMail;
import com.esii.support.hub.util.AfterCompletion;
import com.esii.support.hub.util.HeldWrites;
import com.esii.support.hub.util.Sql;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The steps of {@code email-together} ({@code routes/email.yaml}): a batch of mails taken in one transaction, each
 * through the intake as a mail alone, the rows they write held ({@link HeldWrites}) and written at the end, one
 * INSERT per table (issue 29: a new mail ticket's intake was eight INSERTs of its own). If anything in the batch
 * fails, nothing of it is kept and each of its mails is taken again alone, in its own transaction, where a
 * duplicate, a race with another replica or a mail's own fault is answered as it always was.
 */
@ApplicationScoped
@Named("intakeTogether")
public class IntakeTogether {

    private static final Logger LOG = Logger.getLogger(IntakeTogether.class);

    private final DataSource ds;
    private final Sql db;
    private final TransactionSynchronizationRegistry transactions;
    private final MeterRegistry metrics;

    public IntakeTogether(DataSource ds, TransactionSynchronizationRegistry transactions, MeterRegistry metrics) {
        this.ds = ds;
        this.db = new Sql(ds);
        this.transactions = transactions;
        this.metrics = metrics;
    }

    /**
     * Whether a batch is taken together: two mails or more, each held whole in memory, on PostgreSQL (elsewhere,
     * the demo's H2, nothing can be held, and each mail is taken alone).
     */
    public boolean worthIt(List<FetchedMail> batch) {
        return batch.size() > 1 && batch.stream().allMatch(m -> m.raw() != null) && HeldWrites.supported(ds);
    }

    /** First in the batch's transaction: this thread's plain INSERTs held until {@link #write}, dropped with it. */
    public void hold(List<IncomingMail> mails) {
        KEYS.remove();
        HeldWrites.open(ds, mails.size(), transactions);
    }

    /**
     * The batch's seen keys taken in one statement, in its transaction (a key another replica is taking waits for its
     * transaction, as a mail alone's does): what {@link MailKeys#add} answers for each of its mails, so that a mail
     * seen before, or twice in the batch, is a duplicate in its intake instead of failing the batch.
     */
    public void takeKeys(List<IncomingMail> mails) {
        // in one order, so that two batches taking some of the same keys never wait on each other both ways
        List<String> keys = mails.stream().map(IncomingMail::getKey).filter(java.util.Objects::nonNull).distinct()
                .sorted().toList();
        java.util.Map<String, Boolean> taken = new java.util.HashMap<>();
        keys.forEach(k -> taken.put(k, false));
        if (!keys.isEmpty()) {
            java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
            StringBuilder sql = new StringBuilder("INSERT INTO mail_seen (mail_key, receipt_id, created_at) VALUES ");
            List<Object> args = new java.util.ArrayList<>();
            for (String k : keys) {
                sql.append(args.isEmpty() ? "" : ", ").append("(?, NULL, ?)");
                args.add(k);
                args.add(now);
            }
            sql.append(" ON CONFLICT (mail_key) DO NOTHING");
            db.updateReturning("take a batch's mail keys", sql.toString(), new String[] { "mail_key" },
                    rs -> rs.getString(1), args.toArray()).forEach(k -> taken.put(k, true));
        }
        KEYS.set(taken);
        AfterCompletion.register(transactions, status -> KEYS.remove());
    }

    /** The keys this thread's batch took (true) or found taken (false), each answered once; else none. */
    private static final ThreadLocal<java.util.Map<String, Boolean>> KEYS = new ThreadLocal<>();

    /**
     * Whether the batch this thread takes took the key (once: a second mail with the same key is a duplicate); null
     * when no batch is being taken, or the key is not one of its mails'.
     */
    static Boolean taken(String key) {
        java.util.Map<String, Boolean> keys = KEYS.get();
        if (keys == null || !keys.containsKey(key)) {
            return null;
        }
        return keys.put(key, false);
    }

    /**
     * Last in the batch's transaction: what its mails hold, written (one INSERT per table); the statements that
     * took (ids drawn ahead included) are measured per mailbox ({@code hub.mail.batch.statements}).
     */
    public void write(List<IncomingMail> mails) {
        HeldWrites.finish();
        String mailbox = mails.get(0).mailbox();
        int statements = HeldWrites.statements();
        AfterCompletion.register(transactions, status -> {
            if (status == Status.STATUS_COMMITTED) {
                metrics.counter("hub.mail.batches", "mailbox", mailbox, "taken", "together").increment();
                metrics.summary("hub.mail.batch.statements", "mailbox", mailbox).record(statements);
                LOG.debugf("%d mails of %s written together in %d statements", (Object) mails.size(), mailbox,
                        statements);
            }
        });
    }

    /**
     * The batch failed: nothing of it was kept (what it held went with its transaction); each mail is taken again
     * alone.
     */
    public void failed(List<IncomingMail> mails, Exception e) {
        String mailbox = mails == null || mails.isEmpty() ? "" : mails.get(0).mailbox();
        metrics.counter("hub.mail.batches", "mailbox", mailbox, "taken", "again-alone").increment();
        LOG.infof("A batch of %d mails in %s is taken again mail by mail: %s",
                (Object) (mails == null ? 0 : mails.size()), mailbox, e.toString());
    }
}
