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
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.config.HubConfig;
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
    private final HubConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Triager triage;
    private final Event<TicketEvent> events;

    public TicketIntake(TicketLedger ledger, TicketValidator validator, HubConfig config, Clock clock,
            MeterRegistry metrics, Triager triage, Event<TicketEvent> events) {
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
        long seq = ledger.nextSequence();
        String number = TicketNumber.of(config.ticket().prefix(), now.atZoneSameInstant(SUPPORT_ZONE).getYear(), seq)
                .toString();
        String token = Hashes.randomToken();
        Kind chosenKind = blankToNull(r.kind()) == null ? null : Kind.fromCode(r.kind().strip()).orElseThrow();
        Criticality chosenCriticality = blankToNull(r.impact()) == null ? null
                : Criticality.fromCode(r.impact().strip()).orElseThrow();
        Triager.Triaged triaged = triage.triage(r.subject(), r.description(), chosenKind, chosenCriticality,
                lookup, now);
        Ticket draft = new Ticket(0, number, r.channel(), trim(r.name()), r.email().strip(), trim(r.company()),
                trim(r.accessCode()), trim(r.product()), language, r.subject().strip(), r.description().strip(),
                triaged.kind(), triaged.criticality(), TicketStatus.NEW,
                Hashes.sha256Hex(token), null, now, now, triaged.triage(), triaged.sla());
        long ticketId = ledger.insertTicket(draft);
        ledger.insertEvent(ticketId, new TicketLedger.Event("triaged", describe(draft), "hub", now));
        long messageId = ledger.insertMessage(ticketId, "IN", r.channel(), inboundMessageId, rawId,
                draft.description(), now);
        for (NewTicket.Upload u : r.attachments()) {
            ledger.insertAttachment(ticketId, messageId, u, now);
        }
        Ticket opened = draft.withId(ticketId);
        events.fire(new TicketEvent.Opened(opened, token, acknowledge, inboundMessageId, ackInReplyTo, now));
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
        long message = ledger.insertMessage(t.id(), direction, channel, messageId, rawId, text, now);
        for (NewTicket.Upload u : uploads) {
            ledger.insertAttachment(t.id(), message, u, now);
        }
        events.fire(new TicketEvent.MessageAdded(t, message, direction, channel, visibility, comment,
                !uploads.isEmpty(), now));
        return message;
    }

    /** A note for staff only: a history row and {@link TicketEvent.Noted} (an internal comment in the request). */
    public void note(Ticket t, String kind, String note, String source, OffsetDateTime now) {
        ledger.insertEvent(t.id(), new TicketLedger.Event(kind, note, source, now));
        events.fire(new TicketEvent.Noted(t, kind, note, now));
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
        String from = config.mail().from();
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

    /** The ticket a status request names, when the token is its own; empty otherwise (no difference shown). */
    public Optional<Ticket> findWithToken(String number, String token) {
        if (number == null || token == null || token.isBlank() || number.length() > 32) {
            return Optional.empty();
        }
        return ledger.findByNumber(number)
                .filter(t -> Hashes.constantTimeEquals(t.accessTokenHash(), Hashes.sha256Hex(token.strip())));
    }

    private static String trim(String s) {
        return blankToNull(s) == null ? null : s.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
