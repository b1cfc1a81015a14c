package com.esii.support.hub.util;

import java.util.function.IntConsumer;

import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** What to do once the transaction running now has ended, given its status ({@code jakarta.transaction.Status}). */
public final class AfterCompletion {

    private AfterCompletion() {
    }

    /** Runs {@code then} with the transaction's status once it committed or rolled back. */
    public static void register(TransactionSynchronizationRegistry transaction, IntConsumer then) {
        transaction.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // only what follows the end
            }

            @Override
            public void afterCompletion(int status) {
                then.accept(status);
            }
        });
    }
}
