package com.esii.support.hub.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.MDC;

/**
 * Daemon threads named {@code <name>} or {@code <name>-<n>}, each starting with an empty logging context: JBoss
 * LogManager's MDC is inherited by a new thread, so a pool thread created while a mail or a row was being handled
 * logged that mail's route and ticket on every later line (seen as {@code camel.routeId=email-intake} on outbox
 * workers, a ticket number on the SMDR reader).
 */
public final class DaemonThreads implements ThreadFactory {

    private final String name;
    private final boolean numbered;
    private final AtomicInteger n = new AtomicInteger();

    private DaemonThreads(String name, boolean numbered) {
        this.name = name;
        this.numbered = numbered;
    }

    /** Threads named {@code <name>-1}, {@code <name>-2}... */
    public static ThreadFactory numbered(String name) {
        return new DaemonThreads(name, true);
    }

    /** Threads all named {@code name}. */
    public static ThreadFactory named(String name) {
        return new DaemonThreads(name, false);
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(() -> {
            MDC.clear();
            r.run();
        }, numbered ? name + "-" + n.incrementAndGet() : name);
        t.setDaemon(true);
        return t;
    }
}
