package com.esii.support.hub.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.util.Hashes;

import io.quarkus.test.junit.QuarkusTest;

/**
 * "Lost your link?" per address holds across replicas: two limiters on one database (as two replicas) give an
 * address three mails at once between them, not three each (the in-memory bucket gave six), also when both take
 * tokens at the same moment; a minute later, one more.
 */
@QuarkusTest
class LinkRequestLimitTest extends HubTestResources {

    @Inject
    DataSource ds;

    @Test
    void twoReplicasGiveAnAddressThreeMailsBetweenThemThenOneAMinute() throws Exception {
        LinkRequestLimit one = new LinkRequestLimit(ds);
        LinkRequestLimit other = new LinkRequestLimit(ds);
        String address = Samples.unique("lost-twice");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                LinkRequestLimit replica = i % 2 == 0 ? one : other;
                tries.add(() -> replica.acquire(address));
            }
            int allowed = 0;
            for (Future<Boolean> f : pool.invokeAll(tries)) {
                allowed += f.get() ? 1 : 0;
            }
            assertEquals(LinkRequestLimit.BURST, allowed, "three between both replicas");
        } finally {
            pool.shutdownNow();
        }
        // the address's case changes nothing; another address has its own three
        assertTrue(!one.acquire(address.toUpperCase(java.util.Locale.ROOT)));
        assertTrue(other.acquire(Samples.unique("someone-else")));

        // a minute later (the bucket's time moved back by the test), one more, and only one
        assertEquals(1, Db.update(ds, "UPDATE link_request_bucket SET updated_at = updated_at - interval '61 seconds'"
                + " WHERE address_hash = ?", Hashes.sha256Hex(address)));
        assertTrue(other.acquire(address));
        assertTrue(!one.acquire(address));
    }

    /**
     * The same statements on the demo's H2 (PostgreSQL mode, the demo's URL options, every migration applied): ON
     * CONFLICT DO NOTHING without a target and EXTRACT(EPOCH FROM an interval) mean there what they mean on
     * PostgreSQL: three at once, then one a minute. (One limiter in sequence: the demo is one replica.)
     */
    @Test
    void onTheDemosH2TooThreeThenOneAMinute() throws Exception {
        String url = "jdbc:h2:mem:links-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("sa");
        LinkRequestLimit demo = new LinkRequestLimit(h2);
        String address = Samples.unique("lost-in-the-demo");
        assertTrue(demo.acquire(address));
        assertTrue(demo.acquire(address));
        assertTrue(demo.acquire(address.toUpperCase(Locale.ROOT)));
        assertFalse(demo.acquire(address));
        assertEquals(1, Db.update(h2, "UPDATE link_request_bucket SET updated_at = updated_at - INTERVAL '61' SECOND"
                + " WHERE address_hash = ?", Hashes.sha256Hex(address)));
        assertTrue(demo.acquire(address));
        assertFalse(demo.acquire(address));
        assertEquals(0, demo.purge(), "a bucket touched just now stays");
    }
}
