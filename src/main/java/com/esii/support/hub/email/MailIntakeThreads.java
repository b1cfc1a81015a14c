package com.esii.support.hub.email;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import com.esii.support.hub.mailkit.MailConfig;
import com.esii.support.hub.util.DaemonThreads;

/**
 * The threads on which the email-receive route takes a batch's senders side by side ({@code hub.mail.intake-threads};
 * see {@link MailboxFetch#bySender}). Stopped with the application, after the last mail under way.
 */
public class MailIntakeThreads {

    public static final String NAME = "mailIntakeThreads";

    @Produces
    @Singleton
    @Named(NAME)
    ExecutorService threads(MailConfig config) {
        return Executors.newFixedThreadPool(Math.max(1, config.intakeThreads()),
                DaemonThreads.numbered("email-intake"));
    }

    void stop(@Disposes @Named(NAME) ExecutorService threads) throws InterruptedException {
        threads.shutdown();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }
}
