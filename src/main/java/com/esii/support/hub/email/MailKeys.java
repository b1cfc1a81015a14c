package com.esii.support.hub.email;

import java.time.OffsetDateTime;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import com.esii.support.hub.util.Sql;

/**
 * The email intake's idempotent repository: the keys of the mails already taken (table {@code mail_seen}, unique
 * key), written in the mail's own transaction, so that the key and the ticket commit together and several replicas
 * never take one mail twice (the second insert waits for the first transaction, then fails: the mail is a
 * duplicate). The receipt written at the end of the transaction names the key ({@link MailStore#seen}).
 */
@ApplicationScoped
@Named("mailKeys")
public class MailKeys extends ServiceSupport implements IdempotentRepository {

    private final Sql db;
    private final MailStore store;

    public MailKeys(DataSource ds, MailStore store) {
        this.db = new Sql(ds);
        this.store = store;
    }

    @Override
    public boolean add(String key) {
        Boolean taken = IntakeTogether.taken(key);
        if (taken != null) {
            return taken; // its batch took the keys it could, together, in its transaction
        }
        return db.update("mark a mail seen", "INSERT INTO mail_seen (mail_key, receipt_id, created_at) SELECT ?, NULL, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM mail_seen WHERE mail_key = ?)", key, OffsetDateTime.now(), key) == 1;
    }

    @Override
    public boolean contains(String key) {
        return store.seen(key).isPresent();
    }

    @Override
    public boolean remove(String key) {
        // the mail's transaction rolls back: its key goes with it
        return true;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the seen mails are the ledger's: never cleared");
    }
}
