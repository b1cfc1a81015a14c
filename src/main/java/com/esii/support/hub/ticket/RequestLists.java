package com.esii.support.hub.ticket;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import com.esii.support.hub.util.Hashes;
import com.esii.support.hub.util.Sql;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * "My requests" (issue 26.10): the list of the requests of one customer address, open and closed, newest first,
 * opened with a link mailed to that address. The link's token and the browser sessions it is exchanged for are kept
 * as their SHA-256 only, each with an expiry (table request_list_access), and purged hourly once expired. The list
 * holds the tickets whose customer address is the one asked, in any case; not those of colleagues of the same
 * company (a colleague asks with their own address: the address is what the link proves, the company name is only
 * what a customer typed).
 */
@ApplicationScoped
public class RequestLists {

    /** At most this many requests in a list: the latest. */
    public static final int MAX = 100;

    private static final String LINK = "link";
    private static final String SESSION = "session";

    /** Whom a valid token opens the list for: the address (in lower case) and the language it was asked in. */
    public record Access(String address, Language language) {
    }

    private final Sql db;
    private final TicketLedger ledger;
    private final Event<RequestListAsked> events;
    private final Clock clock;

    public RequestLists(DataSource ds, TicketLedger ledger, Event<RequestListAsked> events, Clock clock) {
        this.db = new Sql(ds);
        this.ledger = ledger;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Issues a link to the address's list, valid for {@code ttl}, and fires {@link RequestListAsked} (the mail side
     * sends it to that address), in its own transaction. Nothing happens for an address without requests; the
     * caller answers the same either way.
     */
    public void mailLink(String address, Language language, Duration ttl) {
        if (address == null || address.isBlank() || address.length() > 320) {
            return;
        }
        List<Ticket> latest = ledger.latestOf(address, 1);
        if (latest.isEmpty()) {
            return;
        }
        Ticket t = latest.get(0);
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            String token = issue(new Access(normal(address), language), LINK, now, now.plus(ttl));
            events.fire(new RequestListAsked(t.customerEmail(), t.customerName(), language, token, now.plus(ttl), now));
        });
    }

    /** Whom a link's token opens the list for, while it is valid; empty otherwise (unknown, altered or expired). */
    public Optional<Access> withLink(String token) {
        return find(token, LINK);
    }

    /** Whom a browser session opened with a link shows the list to, while it is valid; empty otherwise. */
    public Optional<Access> withSession(String session) {
        return find(session, SESSION);
    }

    /** Exchanges a valid link for a browser session on the list, kept until {@code ttl} from now. */
    public String openSession(Access access, Duration ttl) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            return issue(access, SESSION, now, now.plus(ttl));
        });
    }

    /** The address's requests, open and closed, newest first (at most {@link #MAX}). */
    public List<Ticket> requests(Access access) {
        return ledger.latestOf(access.address(), MAX);
    }

    /** The request {@code number}, when it is one of the address's; empty otherwise. */
    public Optional<Ticket> request(Access access, String number) {
        if (number == null || number.length() > 32) {
            return Optional.empty();
        }
        return ledger.findByNumber(number)
                .filter(t -> t.customerEmail() != null && normal(t.customerEmail()).equals(access.address()));
    }

    /** Forgets the links and sessions expired at {@code now}; returns how many (a DELETE by time: any replica). */
    public int purge(OffsetDateTime now) {
        return db.update("purge request-list access", "DELETE FROM request_list_access WHERE expires_at < ?", now);
    }

    private String issue(Access access, String kind, OffsetDateTime now, OffsetDateTime expires) {
        String token = Hashes.randomToken();
        db.update("keep a request-list access", "INSERT INTO request_list_access (address, token_hash, kind, language,"
                + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)", access.address(), Hashes.sha256Hex(token),
                kind, access.language().code(), now, expires);
        return token;
    }

    private Optional<Access> find(String token, String kind) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        return db.one("read a request-list access", "SELECT address, language FROM request_list_access"
                + " WHERE token_hash = ? AND kind = ? AND expires_at > ?", rs -> new Access(rs.getString(1),
                        Language.fromCode(rs.getString(2)).orElse(Language.FR)),
                Hashes.sha256Hex(token.strip()), kind, OffsetDateTime.now(clock));
    }

    private static String normal(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }
}
