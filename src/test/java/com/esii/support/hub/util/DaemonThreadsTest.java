package com.esii.support.hub.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

/** A pool thread logs nothing of the mail or row the thread that created it was handling. */
class DaemonThreadsTest {

    @Test
    void aThreadCreatedWhileATicketIsInTheLoggingContextStartsWithoutIt() throws Exception {
        MDC.put("ticket", "SUP-2026-000001");
        try {
            ExecutorService pool = Executors.newSingleThreadExecutor(DaemonThreads.numbered("test-worker"));
            Object[] seen = pool.submit(() -> new Object[] { MDC.get("ticket"), Thread.currentThread().getName(),
                    Thread.currentThread().isDaemon() }).get();
            pool.shutdown();
            assertNull(seen[0]);
            assertEquals("test-worker-1", seen[1]);
            assertTrue((Boolean) seen[2]);
        } finally {
            MDC.remove("ticket");
        }
    }
}
