package com.esii.support.hub.ticket;

import java.sql.Types;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import com.esii.support.hub.util.Hashes;
import com.esii.support.hub.util.Sql;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * "How did we do?": the customer's rating of a resolved ticket (1 to 5) and an optional comment, asked by the closing
 * mail (one link per rating, each opening the rating page with that rating chosen) and by the request page. One
 * answer per ticket: the first stands and a second is refused ({@link Outcome#ALREADY_RATED}), so that what staff
 * read in JSM and the desk's alert never change under them and a figure counts each ticket once. Accepted only while
 * the ticket is resolved (or closed). Recorded in table {@code ticket_satisfaction} and the ticket's history
 * ({@value #HISTORY}), and fired as {@link TicketEvent.SatisfactionGiven} in the same transaction: the edges queue
 * from it a JSM internal comment and, for a poor rating, the desk's mail.
 *
 * <p>The mail's links carry a token of their own (kind {@value #LINK} in {@code ticket_access}, kept hashed, random,
 * expiring after {@code hub.satisfaction.link-ttl}); following one records nothing: the page asks to confirm.
 */
@ApplicationScoped
public class Satisfaction {

    /** The history row's type, and the event's name in the ticket's history. */
    public static final String HISTORY = "satisfaction";
    /** The kind of the rating links' rows in {@code ticket_access}. */
    public static final String LINK = "rating";
    public static final int LOWEST = 1;
    public static final int HIGHEST = 5;

    private static final String READ = "read the satisfaction";
    private static final String WRITE = "record the satisfaction";

    /** A rating given: its value, the comment (or null) and when. */
    public record Rating(int rating, String comment, OffsetDateTime at) {
    }

    public enum Outcome {
        /** Recorded now. */
        RECORDED,
        /** The ticket has its rating already: the first stands. */
        ALREADY_RATED,
        /** The ticket is not resolved (any more): nothing recorded. */
        NOT_RESOLVED
    }

    /** What became of an answer; {@code standing}: the ticket's rating after it (the first one, if refused). */
    public record Answer(Outcome outcome, Optional<Rating> standing) {
    }

    private final TicketLedger ledger;
    private final SatisfactionConfig config;
    private final Clock clock;
    private final Event<TicketEvent> events;
    private final Sql db;

    public Satisfaction(TicketLedger ledger, SatisfactionConfig config, Clock clock, Event<TicketEvent> events,
            DataSource ds) {
        this.ledger = ledger;
        this.config = config;
        this.clock = clock;
        this.events = events;
        this.db = new Sql(ds);
    }

    /** Whether a ticket in this status may be rated: once resolved. */
    public static boolean rates(TicketStatus s) {
        return s == TicketStatus.RESOLVED || s == TicketStatus.CLOSED;
    }

    /** Whether the value is a rating (1 to 5). */
    public static boolean valid(Integer rating) {
        return rating != null && rating >= LOWEST && rating <= HIGHEST;
    }

    /** The longest comment accepted ({@code hub.satisfaction.comment-max-length}). */
    public int commentMaxLength() {
        return config.commentMaxLength();
    }

    /**
     * The comment as it is kept: line ends as {@code \n} (what a browser counts), control characters other than
     * line ends and tabs dropped, blank as none.
     */
    public static String clean(String comment) {
        if (comment == null) {
            return null;
        }
        String c = comment.replace("\r\n", "\n").replace('\r', '\n').replaceAll("[\\p{Cc}&&[^\\n\\t]]", "").strip();
        return c.isEmpty() ? null : c;
    }

    /** Whether the comment, cleaned, is within the cap. */
    public boolean commentFits(String comment) {
        String c = clean(comment);
        return c == null || c.length() <= config.commentMaxLength();
    }

    /** The ticket's rating, if it has one. */
    public Optional<Rating> of(Ticket t) {
        return db.one(READ, "SELECT rating, comment, given_at FROM ticket_satisfaction WHERE ticket_id = ?",
                rs -> new Rating(rs.getInt(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)), t.id());
    }

    /** Whether "how did we do?" is to be asked of this ticket: resolved, and not rated yet. */
    public boolean asks(Ticket t) {
        return rates(t.status()) && of(t).isEmpty();
    }

    /** A new rating link's token for the ticket (kept hashed, expiring; inside the caller's transaction). */
    public String issueLink(Ticket t, OffsetDateTime now) {
        String token = Hashes.randomToken();
        ledger.insertAccess(t.id(), Hashes.sha256Hex(token), LINK, now, now.plus(config.linkTtl()));
        return token;
    }

    /** The ticket a rating link names, when the token is one of its rating links and has not expired. */
    public Optional<Ticket> findWithLink(String number, String token) {
        if (number == null || token == null || token.isBlank() || number.length() > 32 || token.length() > 100) {
            return Optional.empty();
        }
        String hash = Hashes.sha256Hex(token.strip());
        return ledger.findByNumber(number).filter(t -> ledger.hasAccess(t.id(), hash, LINK, OffsetDateTime.now(clock)));
    }

    /**
     * The customer's answer, in its own transaction, the ticket locked: recorded unless the ticket is rated already
     * or not resolved.
     *
     * @throws IllegalArgumentException for a rating out of 1 to 5, a comment over the cap, or no such ticket (the
     *                                  caller checks these first)
     */
    public Answer give(String number, int rating, String comment) {
        if (!valid(rating)) {
            throw new IllegalArgumentException("A rating is 1 to 5, not " + rating);
        }
        String c = clean(comment);
        if (!commentFits(c)) {
            throw new IllegalArgumentException("A comment is at most " + config.commentMaxLength() + " characters");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            Ticket t = ledger.lockByNumber(number)
                    .orElseThrow(() -> new IllegalArgumentException("No ticket " + number));
            Optional<Rating> before = of(t);
            if (before.isPresent()) {
                return new Answer(Outcome.ALREADY_RATED, before);
            }
            if (!rates(t.status())) {
                return new Answer(Outcome.NOT_RESOLVED, Optional.empty());
            }
            db.update(WRITE, "INSERT INTO ticket_satisfaction (ticket_id, rating, comment, given_at)"
                    + " VALUES (?, ?, ?, ?)", t.id(), rating, Sql.typed(c, Types.VARCHAR), now);
            ledger.insertEvent(t.id(), new TicketLedger.Event(HISTORY, rating + "/" + HIGHEST
                    + (c == null ? "" : ": " + c), "customer", now));
            events.fire(new TicketEvent.SatisfactionGiven(t, rating, c, rating <= config.poorAtMost(), now));
            return new Answer(Outcome.RECORDED, Optional.of(new Rating(rating, c, now)));
        });
    }
}
