package com.esii.support.hub.triage;

import java.time.Instant;

import com.esii.support.hub.ticket.ContractLookup;

/**
 * Where triage learns a ticket's customer and contract (the ERP, implemented on its side). Asked before the
 * ticket's transaction, so that no database connection waits on it.
 */
public interface ContractSource {

    /** The customer: by access code, else address, else domain (else phone number). Never throws. */
    ContractLookup identify(String accessCode, String email, String phone);

    /** Whether there is a source to ask at all (no ERP configured: every contract stays unknown). */
    boolean configured();

    /** Until when the source is not asked again after a failure (in the past when it may be asked now). */
    Instant pausedUntil();

    /**
     * Asks about these addresses ahead of their tickets, so that {@link #identify} answers them from what it keeps
     * (a channel calls it before its transactions). Never throws; a source that keeps nothing does nothing.
     */
    default void lookAhead(java.util.Collection<String> emails) {
    }
}
