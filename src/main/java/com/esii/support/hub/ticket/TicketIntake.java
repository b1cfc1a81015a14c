package com.esii.support.hub.ticket;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.util.Hashes;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Opens tickets and adds messages to them. One transaction stores the raw request, the ticket, its first message,
 * its attachments and the Idempotency-Key, and fires {@link TicketEvent.Opened} in it (the integrations queue
 * their outbox rows and jobs from it); only after the commit is the caller answered and the relay woken.
 */
@ApplicationScoped
@Named("ticketIntake")
public class TicketIntake {

    private static final Logger LOG = Logger.getLogger(TicketIntake.class);
    /** Ticket years follow the support team's calendar. */
    static final ZoneId SUPPORT_ZONE = ZoneId.of("Europe/Paris");

    private final TicketLedger ledger;
    private final TicketValidator validator;
    private final TicketConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Triager triage;
    private final Event<TicketEvent> events;
    private final Event<LinksRequested> linkEvents;
    private final TicketProgress progress;
    private final StaffTexts texts;
    /** The outbox: a new ticket's subscribers' rows written together ({@link WritesTogether}). */
    private final Instance<WritesTogether> together;

    public TicketIntake(TicketLedger ledger, TicketValidator validator, TicketConfig config, Clock clock,
            MeterRegistry metrics, Triager triage, Event<TicketEvent> events, Event<LinksRequested> linkEvents,
            TicketProgress progress, StaffTexts texts, Instance<WritesTogether> together) {
        this.together = together;
        this.texts = texts;
        this.linkEvents = linkEvents;
        this.progress = progress;
        this.triage = triage;
        this.events = events;
        this.ledger = ledger;
        this.validator = validator;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Validates and opens a ticket.
     *
     * @param idempotencyKey  the client's Idempotency-Key, or null
     * @param fallbackLanguage the language to use when the request names none (from Accept-Language), or null
     * @throws InvalidTicketException        naming every bad field; nothing is stored
     * @throws IdempotencyConflictException  when the key was used for another request
     */
    public OpenedTicket open(NewTicket request, String idempotencyKey, Language fallbackLanguage) {
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.strip();
        return open(request, key == null ? null : IdempotencyKey.header(key), fallbackLanguage);
    }

    /**
     * Validates and opens a ticket, unless {@code repeat} recognises the request as one that opened a ticket
     * already: then that ticket is answered ({@link OpenedTicket#replayed()}), with its access token when the
     * request brings the secret it was sealed under.
     *
     * @param repeat how a repeat of this request is recognised, or null
     * @throws IdempotencyConflictException when the key was used for another request (and that counts)
     */
    public OpenedTicket open(NewTicket request, IdempotencyKey repeat, Language fallbackLanguage) {
        validator.validate(request);
        String requestHash = requestHash(request);
        if (repeat != null) {
            Optional<OpenedTicket> earlier = replay(repeat, requestHash);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        Language language = Language.fromCode(request.language())
                .or(() -> Optional.ofNullable(fallbackLanguage))
                .or(() -> Language.fromCode(config.defaultLanguage()))
                .orElse(Language.FR);
        // The ERP is asked before the transaction: no database connection waits on it.
        ContractLookup lookup = triage.lookUp(request.accessCode(), request.email());
        OpenedTicket opened;
        try {
            opened = QuarkusTransaction.requiringNew().call(() -> store(request, repeat, requestHash, language, lookup));
        } catch (RuntimeException e) {
            if (repeat != null && LedgerException.isUniqueViolation(e)) {
                // A concurrent request with the same key committed first: answer what it created.
                return replay(repeat, requestHash).orElseThrow(() -> e);
            }
            throw e;
        }
        metrics.counter("hub.tickets.created", "channel", request.channel().name().toLowerCase(Locale.ROOT)).increment();
        LOG.infof("Ticket %s opened (%s, %s)", opened.ticket().number(), request.channel(), language.code());
        return opened;
    }

    private Optional<OpenedTicket> replay(IdempotencyKey repeat, String requestHash) {
        OffsetDateTime since = repeat.window() == null ? null : OffsetDateTime.now(clock).minus(repeat.window());
        return ledger.findByIdempotencyKey(repeat.hash())
                .filter(r -> since == null || !r.createdAt().isBefore(since))
                .map(r -> {
                    if (repeat.sameRequest() && !r.requestHash().equals(requestHash)) {
                        throw new IdempotencyConflictException();
                    }
                    return new OpenedTicket(r.ticket(), Hashes.unseal(repeat.tokenSecret(), r.sealedToken()).orElse(null),
                            true);
                });
    }

    private OpenedTicket store(NewTicket r, IdempotencyKey repeat, String requestHash, Language language,
            ContractLookup lookup) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Long rawId = r.raw() == null ? null : ledger.insertRaw(r.raw(), now);
        OpenedTicket opened = openWithin(r, language, null, rawId, true, null, now, lookup);
        if (repeat != null) {
            if (repeat.window() != null) {
                // The same content after its window is a new request: the old record makes room for this one.
                ledger.deleteIdempotencyKey(repeat.hash(), now.minus(repeat.window()));
            }
            String secret = repeat.tokenSecret();
            ledger.insertIdempotencyKey(repeat.hash(), requestHash, opened.ticket().id(),
                    secret == null || secret.isEmpty() ? null : Hashes.seal(secret, opened.accessToken()), now);
        }
        return opened;
    }

    /**
     * Stores a new ticket, its first message and attachments, and fires {@link TicketEvent.Opened} (whose
     * subscribers queue, among others, the acknowledgement when {@code acknowledge}). Must run inside the caller's
     * transaction; the caller counts it.
     *
     * @param inboundMessageId the Message-ID of the mail that opened it, if any (threading)
     * @param ackInReplyTo     the Message-ID the acknowledgement answers, if any
     */
    public OpenedTicket openWithin(NewTicket r, Language language, String inboundMessageId, Long rawId,
            boolean acknowledge, String ackInReplyTo, OffsetDateTime now) {
        return openWithin(r, language, inboundMessageId, rawId, acknowledge, ackInReplyTo, now,
                triage.lookUp(r.accessCode(), r.email()));
    }

    /** As above, with the ERP's answer about the customer already known. */
    public OpenedTicket openWithin(NewTicket r, Language language, String inboundMessageId, Long rawId,
            boolean acknowledge, String ackInReplyTo, OffsetDateTime now, ContractLookup lookup) {
        String token = Hashes.randomToken();
        Kind chosenKind = blankToNull(r.kind()) == null ? null : Kind.fromCode(r.kind().strip()).orElseThrow();
        Criticality chosenCriticality = blankToNull(r.impact()) == null ? null
                : Criticality.fromCode(r.impact().strip()).orElseThrow();
        Triager.Triaged triaged = triage.triage(r.subject(), r.description(), chosenKind, chosenCriticality,
                lookup, now);
        Ticket draft = new Ticket(0, null, r.channel(), trim(r.name()), r.email().strip(), trim(r.company()),
                trim(r.accessCode()), trim(r.product()), language, r.subject().strip(), r.description().strip(),
                triaged.kind(), triaged.criticality(), TicketStatus.NEW,
                Hashes.sha256Hex(token), null, now, now, triaged.triage(), triaged.sla());
        // numbered as it is written: the number the database draws in that statement
        TicketLedger.Numbered row = ledger.insertNumbered(draft,
                TicketNumber.head(config.ticket().prefix(), now.atZoneSameInstant(SUPPORT_ZONE).getYear()));
        long ticketId = row.id();
        draft = draft.written(ticketId, row.number());
        ledger.insertEvent(ticketId, new TicketLedger.Event("triaged", describe(draft), "hub", now));
        long messageId = ledger.insertMessage(ticketId, "IN", r.channel(), inboundMessageId, rawId,
                draft.description(), TicketEvent.Visibility.PUBLIC.name(), null, now);
        for (NewTicket.Upload u : r.attachments()) {
            ledger.insertAttachment(ticketId, messageId, u, now);
        }
        Ticket opened = draft;
        TicketEvent.Opened event = new TicketEvent.Opened(opened, token, acknowledge, inboundMessageId, ackInReplyTo,
                now, !r.attachments().isEmpty());
        if (together.isResolvable()) {
            together.get().together(() -> events.fire(event)); // its subscribers' rows in as few INSERTs as can be
        } else {
            events.fire(event);
        }
        return new OpenedTicket(opened, token, false);
    }

    /**
     * Adds a message to an existing ticket, with its attachments, and fires {@link TicketEvent.MessageAdded}.
     * Must run inside the caller's transaction.
     *
     * @param comment    what the ticket's request shows of it (see {@link TicketEvent.MessageAdded#comment()})
     * @return the message's row
     */
    public long addMessage(Ticket t, String direction, Channel channel, String messageId, Long rawId, String text,
            List<NewTicket.Upload> uploads, TicketEvent.Visibility visibility, String comment, OffsetDateTime now) {
        return addMessage(t, direction, channel, messageId, rawId, text, uploads, visibility, comment, null, now);
    }

    /** As above, naming who wrote it (a customer's message: the customer or a participant). */
    long addMessage(Ticket t, String direction, Channel channel, String messageId, Long rawId, String text,
            List<NewTicket.Upload> uploads, TicketEvent.Visibility visibility, String comment, Author author,
            OffsetDateTime now) {
        long message = ledger.insertMessage(t.id(), direction, channel, messageId, rawId, text, visibility.name(),
                null, now);
        for (NewTicket.Upload u : uploads) {
            ledger.insertAttachment(t.id(), message, u, now);
        }
        events.fire(new TicketEvent.MessageAdded(t, message, direction, channel, visibility, comment,
                !uploads.isEmpty(), author, now));
        return message;
    }

    /** What became of a customer's reply on a ticket. */
    public enum ReplyOutcome {
        /** Added to the ticket (and a stopped clock started again). */
        ADDED,
        /** Added, and the resolved ticket reopened. */
        REOPENED,
        /** Not added: the ticket was resolved longer ago than the reopen window; a new ticket is the way. */
        TOO_LATE
    }

    /** The outcome, the ticket after it, and the message's row (-1 when not added). */
    public record CustomerReply(ReplyOutcome outcome, Ticket ticket, long messageId) {
    }

    /** Whether the ticket was resolved longer ago than the reopen window (a reply then opens a new ticket). */
    public boolean tooLateToReopen(Ticket t, OffsetDateTime now) {
        Ticket.Sla sla = t.sla() == null ? Ticket.Sla.NONE : t.sla();
        return t.status() == TicketStatus.CLOSED || t.status() == TicketStatus.RESOLVED && sla.resolvedAt() != null
                && sla.resolvedAt().plus(config.reopenWindow()).isBefore(now);
    }

    /**
     * The customer's reply on their ticket, whatever the channel (a mail, the request page): a public message (a
     * public comment on the JSM request, with its files); it reopens a ticket resolved within the reopen window
     * ({@link Step#REOPENED} by the customer: the request is reopened in JSM) and restarts a clock stopped while
     * waiting on the customer. Longer after the resolution it adds nothing ({@link ReplyOutcome#TOO_LATE}). Must run
     * inside the caller's transaction.
     *
     * @param author who wrote it: the customer, or a participant (a colleague replying by mail)
     * @param how    how the customer replied, for the history ("by mail", "on the request page")
     */
    public CustomerReply customerReply(Ticket t, Channel channel, String messageId, Long rawId, String text,
            List<NewTicket.Upload> uploads, Author author, String how, OffsetDateTime now) {
        if (tooLateToReopen(t, now)) {
            return new CustomerReply(ReplyOutcome.TOO_LATE, t, -1);
        }
        long message = addMessage(t, "IN", channel, messageId, rawId, text, uploads, TicketEvent.Visibility.PUBLIC,
                text, author, now);
        if (t.status() == TicketStatus.RESOLVED) {
            Ticket after = ledger.lockById(t.id()).map(l -> progress.applyWithin(l, Step.REOPENED, now, null,
                    "the customer replied " + how, "customer")).orElse(t);
            return new CustomerReply(ReplyOutcome.REOPENED, after, message);
        }
        Ticket after = t;
        if (t.sla() != null && t.sla().waitingSince() != null) {
            after = ledger.lockById(t.id()).map(l -> progress.applyWithin(l, Step.RESUMED, now, null,
                    "the customer replied " + how, "customer")).orElse(t);
        }
        return new CustomerReply(ReplyOutcome.ADDED, after, message);
    }

    /**
     * The customer says, on the request page, that their resolved ticket is not solved: reopened (in JSM too), with
     * their words as a public message when they wrote some. In its own transaction.
     *
     * @return the ticket after it; empty when it is not resolved, or resolved longer ago than the reopen window
     */
    public Optional<Ticket> notSolved(String number, String text, List<NewTicket.Upload> uploads) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            Optional<Ticket> locked = ledger.lockByNumber(number);
            if (locked.isEmpty() || locked.get().status() != TicketStatus.RESOLVED
                    || tooLateToReopen(locked.get(), now)) {
                return Optional.<Ticket>empty();
            }
            Ticket t = locked.get();
            if (text != null && !text.isBlank()) {
                return Optional.of(customerReply(t, Channel.WEB, null, null, text.strip(), uploads,
                        Author.customerOf(t), "on the request page: not solved", now).ticket());
            }
            return Optional.of(progress.applyWithin(t, Step.REOPENED, now, null,
                    "the customer said on the request page that it is not solved", "customer"));
        });
    }

    /** The ticket, locked until the end of the caller's transaction (so that two changes apply one after the other). */
    public Optional<Ticket> lockForReply(String number) {
        return ledger.lockByNumber(number);
    }

    /** History kind of the customer's confirmation that a resolved ticket is solved. */
    public static final String CONFIRMED = "resolution-confirmed";

    /**
     * The customer confirms, on the request page, that their resolved ticket is solved: a history row and an
     * internal note for staff (once; the ticket stays resolved). In its own transaction.
     *
     * @return whether it was recorded now (false: not resolved, or confirmed before)
     */
    public boolean confirmSolved(String number) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            Optional<Ticket> t = ledger.lockByNumber(number);
            if (t.isEmpty() || t.get().status() != TicketStatus.RESOLVED || confirmedAt(t.get()).isPresent()) {
                return false;
            }
            note(t.get(), CONFIRMED, texts.text("confirmed-solved"), "customer", now);
            return true;
        });
    }

    /** When the customer confirmed the current resolution, if they did (a confirmation before a reopening is void). */
    public Optional<OffsetDateTime> confirmedAt(Ticket t) {
        OffsetDateTime resolvedAt = t.sla() == null ? null : t.sla().resolvedAt();
        if (resolvedAt == null) {
            return Optional.empty();
        }
        return ledger.events(t.id()).stream()
                .filter(e -> CONFIRMED.equals(e.type()) && !e.at().isBefore(resolvedAt))
                .map(TicketLedger.Event::at).reduce((a, b) -> b);
    }

    /**
     * The customer's (or a participant's) own public comment on the JSM portal, kept as their message of the ticket
     * so that the request page shows it: already in JSM, so it is not written there again, and never mailed back to
     * them; a clock stopped while waiting on the customer restarts. Must run inside the caller's transaction.
     */
    public long customerCommentedInJira(Ticket t, Author author, String text, OffsetDateTime now) {
        long message = ledger.insertMessage(t.id(), "IN", Channel.PORTAL, null, null, text,
                TicketEvent.Visibility.PUBLIC.name(), author.name() == null ? author.address() : author.name(), null,
                now);
        if (t.sla() != null && t.sla().waitingSince() != null) {
            ledger.lockById(t.id()).ifPresent(l -> progress.applyWithin(l, Step.RESUMED, now, null,
                    "the customer commented on the portal", "customer"));
        }
        return message;
    }

    /**
     * Staff's public reply (a public JSM comment) kept as a message of the ticket, so that the request page shows
     * it. Must run inside the caller's transaction.
     */
    public long staffReply(Ticket t, String author, String text, OffsetDateTime now) {
        return staffReply(t, author, text, null, now);
    }

    /**
     * Staff's news that the customer was told by mail, kept in the conversation too, marked with its kind
     * ({@link TicketLedger#WORKAROUND}, {@link TicketLedger#FIX_DELIVERED}) so that the page says what it is.
     */
    public long staffReply(Ticket t, String author, String text, String kind, OffsetDateTime now) {
        long message = ledger.insertMessage(t.id(), "OUT", Channel.PORTAL, null, null, text,
                TicketEvent.Visibility.PUBLIC.name(), author, kind, now);
        events.fire(new TicketEvent.MessageAdded(t, message, "OUT", Channel.PORTAL, TicketEvent.Visibility.PUBLIC,
                text, false, null, now));
        return message;
    }

    /** The ticket's conversation: the customer's messages and staff's public replies, oldest first. */
    public List<TicketLedger.ConversationMessage> conversation(Ticket t) {
        return ledger.conversation(t.id());
    }

    /** One attachment of the ticket's conversation; empty when it is not one of them. */
    public Optional<TicketLedger.StoredAttachment> attachment(Ticket t, long attachmentId) {
        return ledger.publicAttachment(t.id(), attachmentId);
    }

    /** A new link token to the ticket's page (kept hashed; inside the caller's transaction). */
    public String issueLink(Ticket t, OffsetDateTime now) {
        String token = Hashes.randomToken();
        ledger.insertAccess(t.id(), Hashes.sha256Hex(token), "link", now, null);
        return token;
    }

    /**
     * Issues a new link to each of the latest {@code max} tickets of the address and fires {@link LinksRequested}
     * (the mail side sends them to that address), in its own transaction. Nothing happens for an address without
     * tickets; the caller answers the same either way.
     */
    public void resendLinks(String address, Language language, int max) {
        if (address == null || address.isBlank() || address.length() > 320) {
            return;
        }
        List<Ticket> latest = ledger.latestOf(address, max);
        if (latest.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            List<LinksRequested.IssuedLink> links = latest.stream()
                    .map(t -> new LinksRequested.IssuedLink(t, issueLink(t, now))).toList();
            linkEvents.fire(new LinksRequested(latest.get(0).customerEmail(), language, links, now));
        });
    }

    /** Exchanges a valid link for a browser session on the ticket, kept until {@code ttl} from now. */
    public String openSession(Ticket t, java.time.Duration ttl) {
        String token = Hashes.randomToken();
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            ledger.insertAccess(t.id(), Hashes.sha256Hex(token), "session", now, now.plus(ttl));
        });
        return token;
    }

    /** The ticket a browser session opened on, when it is still valid; empty otherwise. */
    public Optional<Ticket> findWithSession(String number, String session) {
        if (number == null || session == null || session.isBlank() || number.length() > 32 || session.length() > 100) {
            return Optional.empty();
        }
        return ledger.findByNumber(number).filter(t -> ledger.hasAccess(t.id(), Hashes.sha256Hex(session.strip()),
                "session", OffsetDateTime.now(clock)));
    }

    /** A note for staff only: a history row and {@link TicketEvent.Noted} (an internal comment in the request). */
    public void note(Ticket t, String kind, String note, String source, OffsetDateTime now) {
        note(t, kind, note, note, source, now);
    }

    /** As {@link #note(Ticket, String, String, String, OffsetDateTime)}, the request's comment worded apart. */
    public void note(Ticket t, String kind, String history, String comment, String source, OffsetDateTime now) {
        ledger.insertEvent(t.id(), new TicketLedger.Event(kind, history, source, now));
        events.fire(new TicketEvent.Noted(t, kind, comment, now));
    }

    /**
     * Staff's instruction to the hub, written as a comment in the ticket's request ({@code /verb argument} on its
     * first line): a history row and {@link TicketEvent.Instructed}, which the edge the verb belongs to acts on.
     *
     * @return false when the text is no instruction
     */
    public boolean instruct(Ticket t, String text, String by, String source, OffsetDateTime now) {
        java.util.Optional<String[]> i = instruction(text);
        if (i.isEmpty()) {
            return false;
        }
        ledger.insertEvent(t.id(), new TicketLedger.Event("instructed", "/" + i.get()[0] + " " + i.get()[1] + " by "
                + by, source, now));
        events.fire(new TicketEvent.Instructed(t, i.get()[0], i.get()[1], by, now));
        return true;
    }

    /** {@code /verb argument} from a comment's first line: the verb in lower case, the rest stripped. */
    static java.util.Optional<String[]> instruction(String text) {
        String first = text == null ? "" : text.strip().lines().findFirst().orElse("").strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/([a-z][a-z-]{1,30})(?:\\s+(.*))?").matcher(first);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new String[] {m.group(1), m.group(2) == null ? "" : m.group(2).strip()});
    }

    /** Staff's news for the customer ({@link TicketEvent.CustomerNews}): the mail edge tells them. */
    public void tellCustomer(Ticket t, String kind, String text, String author, String ref, String messageId,
            OffsetDateTime now) {
        events.fire(new TicketEvent.CustomerNews(t, kind, text, author, ref, messageId, now));
    }

    /** The ticket's history, oldest first. */
    public List<TicketLedger.Event> history(Ticket t) {
        return ledger.events(t.id());
    }

    /** The triage as staff read it in the ticket's history. */
    public static String describe(Ticket t) {
        Ticket.Triage tr = t.triage();
        return "contract " + tr.contract() + " (" + tr.contractReason() + "); " + t.kind().code() + " by "
                + tr.kindRule() + ", " + t.criticality().code() + " by " + tr.criticalityRule() + "; priority "
                + tr.priority() + (t.sla().takeChargeDue() == null ? "; no contractual deadline"
                        : "; take in charge by " + t.sla().takeChargeDue());
    }

    /** A Message-ID on the support mailbox's domain, unique to this mail. */
    public String newMessageId(String localPrefix) {
        String from = config.mailFrom();
        String domain = from.substring(from.indexOf('@') + 1);
        return "<" + localPrefix + "." + Hashes.randomToken().substring(0, 12) + "@" + domain + ">";
    }

    /** What makes two requests "the same" for an Idempotency-Key: every field the customer gave. */
    static String requestHash(NewTicket r) {
        StringBuilder b = new StringBuilder();
        for (String s : new String[] { r.name(), r.email(), r.company(), r.accessCode(), r.product(), r.subject(),
                r.description(), r.impact(), r.kind(), r.language() }) {
            b.append(s == null ? "" : s.strip()).append('\u0000');
        }
        for (NewTicket.Upload u : r.attachments()) {
            b.append(u.filename()).append('\u0000').append(Hashes.sha256Hex(u.content())).append('\u0000');
        }
        return Hashes.sha256Hex(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The ticket a status request names, when the token is its own (the acknowledgement's, or a link issued since);
     * empty otherwise (no difference shown).
     */
    public Optional<Ticket> findWithToken(String number, String token) {
        if (number == null || token == null || token.isBlank() || number.length() > 32) {
            return Optional.empty();
        }
        if (token.length() > 100) {
            return Optional.empty();
        }
        String hash = Hashes.sha256Hex(token.strip());
        return ledger.findByNumber(number)
                .filter(t -> Hashes.constantTimeEquals(t.accessTokenHash(), hash)
                        || ledger.hasAccess(t.id(), hash, "link", OffsetDateTime.now(clock)));
    }

    private static String trim(String s) {
        return blankToNull(s) == null ? null : s.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
