package com.esii.support.hub.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.PostgresResource;

/**
 * A new ticket is numbered in the statement that writes it (issue 29: the number was drawn by a statement of its
 * own), in {@link TicketNumber}'s form, on PostgreSQL and on the demo's H2 alike: six digits, more past 999,999.
 * Each on a database of its own (the suite's numbers stay six digits).
 */
@Tag("app") // an embedded PostgreSQL: the full suite, not the quick lane (-Pquick)
class TicketNumberingTest {

    @Test
    void onPostgresqlTheNumberIsDrawnAndWrittenInOneStatement() throws Exception {
        String url = PostgresResource.newDatabase();
        Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/migration").load().migrate();
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(url);
        pg.setUser("postgres");
        pg.setPassword("postgres");
        numbersAsTicketNumberWritesThem(pg);
    }

    @Test
    void onTheDemosH2Too() {
        String url = "jdbc:h2:mem:numbers-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("sa");
        numbersAsTicketNumberWritesThem(h2);
    }

    private static void numbersAsTicketNumberWritesThem(DataSource ds) {
        TicketLedger ledger = new TicketLedger(ds);
        String head = TicketNumber.head("SUP", 2026);
        TicketLedger.Numbered first = ledger.insertNumbered(draft("first@customer.example", Language.ES), head);
        TicketLedger.Numbered second = ledger.insertNumbered(draft("second@customer.example", Language.EN), head);
        assertEquals(TicketNumber.of("SUP", 2026, 1).toString(), first.number());
        assertEquals(TicketNumber.of("SUP", 2026, 2).toString(), second.number());
        assertEquals("SUP-2026-000002", Db.string(ds, "SELECT number FROM ticket WHERE id = ?", second.id()));
        Db.update(ds, "ALTER SEQUENCE ticket_number_seq RESTART WITH 1000000");
        TicketLedger.Numbered big = ledger.insertNumbered(draft("third@customer.example", Language.FR), head);
        assertEquals(TicketNumber.of("SUP", 2026, 1_000_000).toString(), big.number());
        assertEquals("SUP-2026-1000000", big.number());
        // and the batch's languages, asked ahead of the mails' transactions, on this database too
        assertEquals(Map.of("first@customer.example", Language.ES, "third@customer.example", Language.FR),
                ledger.lastLanguagesOf(List.of("first@customer.example", "nobody@customer.example",
                        "third@customer.example")));
    }

    private static Ticket draft(String email, Language language) {
        OffsetDateTime now = OffsetDateTime.of(2026, 12, 4, 10, 0, 0, 0, ZoneOffset.UTC);
        return new Ticket(0, null, Channel.API, "Jo", email, null, null, null, language, "Printer down",
                "Nothing prints", Kind.PROBLEM, Criticality.MINOR, TicketStatus.NEW, "hash", null, now, now,
                Ticket.Triage.NONE, Ticket.Sla.NONE);
    }
}
