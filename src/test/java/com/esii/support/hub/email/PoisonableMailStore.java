package com.esii.support.hub.email;

import java.time.OffsetDateTime;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;

/**
 * Fault injection for the error path: the real store, except that recording a mail whose subject carries
 * {@link #POISON} fails, as an unexpected failure in the middle of processing would. Every other mail is stored as
 * usual.
 */
@Alternative
@Priority(1)
@jakarta.inject.Singleton
public class PoisonableMailStore extends MailStore {

    public static final String POISON = "POISON-PILL-4242";

    public PoisonableMailStore(DataSource ds) {
        super(ds);
    }

    @Override
    public long insertReceipt(String mailbox, ParsedMail m, Verdict verdict, String reason, Long ticketId, Long rawId,
            String key, OffsetDateTime now) {
        poison(m, verdict);
        return super.insertReceipt(mailbox, m, verdict, reason, ticketId, rawId, key, now);
    }

    @Override
    public void recordReceipt(String mailbox, ParsedMail m, Verdict verdict, String reason, Long ticketId, Long rawId,
            String key, OffsetDateTime now) {
        poison(m, verdict);
        super.recordReceipt(mailbox, m, verdict, reason, ticketId, rawId, key, now);
    }

    private static void poison(ParsedMail m, Verdict verdict) {
        if (verdict != Verdict.ERROR && m != null && m.subject() != null && m.subject().contains(POISON)) {
            throw new IllegalStateException("poisoned for the test");
        }
    }
}
