package com.esii.support.hub.mailkit;

import com.esii.support.hub.outbox.OutboxRow;

/**
 * The steps of a mail to a customer, as the route template {@code customer-mail} ({@code routes/mail.yaml}) calls
 * them for every kind (acknowledgement, notice, too-large answer, lost links): load the row → suppressed address? →
 * withheld by a loop cap? → render → send → record the message on its ticket.
 *
 * @param <T> the mail being sent, as loaded from its outbox row
 */
public interface CustomerMail<T> {

    T load(OutboxRow row) throws Exception;

    /**
     * Its row was claimed before (that replica may have died once the server accepted the mail): whether the mail is
     * kept on its ticket already, by its Message-ID, so that it went and is not sent again (a kind listed in
     * {@code UrgentTypes.recordedTypes}). A kind that keeps nothing cannot tell.
     */
    default boolean sentBefore(T mail) {
        return false;
    }

    /** The address failed for good before: none sent (and said where the kind says it). */
    boolean suppressed(T mail);

    /** Too many automatic mails to the address or for the ticket: withheld. */
    boolean withheld(T mail);

    void render(T mail);

    void send(T mail) throws Exception;

    /** Records the message on its ticket; a mail that belongs to no ticket records nothing. */
    default void record(T mail) {
    }
}
