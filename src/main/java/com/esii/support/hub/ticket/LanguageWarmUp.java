package com.esii.support.hub.ticket;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/**
 * Warms the language detector on a thread of its own as the hub starts (issue 25): the first mail after a start no
 * longer pays for it, and the start does not wait for it either.
 */
@ApplicationScoped
public class LanguageWarmUp {

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts the warm-up; returns its thread. */
    static Thread start() {
        Thread t = new Thread(LanguageDetection::warmUp, "language-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }
}
