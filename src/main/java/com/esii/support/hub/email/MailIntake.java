package com.esii.support.hub.email;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.mail.MessagingException;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.esii.support.hub.config.HubConfig;
import com.esii.support.hub.mail.MailSender;
import com.esii.support.hub.mail.Suppressions;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.LanguageGuesser;
import com.esii.support.hub.ticket.LedgerException;
import com.esii.support.hub.ticket.NewTicket;
import com.esii.support.hub.ticket.OpenedTicket;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketEvent;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.ticket.TicketNumber;

import com.esii.support.hub.ticket.Step;
import com.esii.support.hub.ticket.TicketStatus;
import com.esii.support.hub.ticket.TicketProgress;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Turns one received mail into a ticket, a comment or a recorded verdict, in one transaction: the raw mail, the
 * ticket or comment, the receipt, the seen key and the outbox rows commit together, or nothing does. The poller
 * flags or moves the mail on the server only after this returns.
 */
@ApplicationScoped
@Named("mailIntake")
public class MailIntake {

    private static final Logger LOG = Logger.getLogger(MailIntake.class);
    public static final String LOOP_CAPPED_FLAG = "LOOP_CAPPED";

    private final TicketIntake tickets;
    private final TicketLedger ledger;
    private final MailStore store;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final HubConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final TicketNumber.Parser numbers;
    private final TicketProgress progress;
    private final Suppressions suppressions;

    private final com.esii.support.hub.mail.LoopGuard loops;

    public MailIntake(TicketIntake tickets, TicketLedger ledger, MailStore store, Outbox outbox, OutboxRelay relay,
            HubConfig config, Clock clock, MeterRegistry metrics, TicketProgress progress,
            Suppressions suppressions, com.esii.support.hub.mail.LoopGuard loops) {
        this.loops = loops;
        this.progress = progress;
        this.suppressions = suppressions;
        this.tickets = tickets;
        this.ledger = ledger;
        this.store = store;
        this.outbox = outbox;
        this.relay = relay;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.numbers = new TicketNumber.Parser(config.ticket().prefix());
    }

    /** What became of a mail. */
    public record Outcome(Verdict verdict, String reason, Long ticketId, String ticketNumber) {
        Outcome(Verdict verdict, String reason) {
            this(verdict, reason, null, null);
        }

        static Outcome on(Verdict verdict, String reason, Ticket t) {
            return new Outcome(verdict, reason, t.id(), t.number());
        }
    }

    public Outcome receive(byte[] raw, String mailbox) throws MessagingException {
        return receive(raw, mailbox, () -> { });
    }

    /**
     * As {@link #receive(byte[], String)}; {@code fence} runs last inside the mail's transaction (the poller checks
     * there that it still holds the mailbox's lease: if not, it throws and nothing is committed).
     */
    public Outcome receive(byte[] raw, String mailbox, Runnable fence) throws MessagingException {
        Outcome o;
        try {
            o = QuarkusTransaction.requiringNew().call(() -> fenced(process(raw, mailbox), fence));
        } catch (RuntimeException e) {
            if (LedgerException.isUniqueViolation(e)) {
                // Another replica committed the same mail a moment ago: it is a duplicate now.
                o = QuarkusTransaction.requiringNew().call(() -> fenced(process(raw, mailbox), fence));
            } else {
                throw e;
            }
        }
        metrics.counter("hub.mail.received", "verdict", o.verdict().name().toLowerCase(Locale.ROOT)).increment();
        if (o.ticketNumber() != null) {
            MDC.put("ticket", o.ticketNumber());
        }
        try {
            LOG.infof("Mail in %s: %s%s (%s)", mailbox, o.verdict(),
                    o.ticketNumber() == null ? "" : " " + o.ticketNumber(), o.reason());
        } finally {
            MDC.remove("ticket");
        }
        relay.wake();
        return o;
    }

    private static Outcome fenced(Outcome o, Runnable fence) {
        fence.run();
        return o;
    }

    /** Records a mail that could not be processed, with its reason and raw content. */
    public void recordError(byte[] raw, String mailbox, Exception error) {
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            long rawId = ledger.insertRaw(new NewTicket.RawContent("message/rfc822", raw == null ? new byte[0] : raw), now);
            ParsedMail m = null;
            try {
                m = raw == null ? null : MailParser.parse(raw);
            } catch (Exception ignored) {
                // the reason below says why
            }
            store.insertReceipt(mailbox, m, Verdict.ERROR, error.getClass().getSimpleName() + ": " + error.getMessage(),
                    null, rawId, now);
        });
        metrics.counter("hub.mail.received", "verdict", "error").increment();
    }

    private Outcome process(byte[] raw, String mailbox) throws MessagingException {
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (raw.length > config.mail().maxSize()) {
            return tooLarge(raw, mailbox, now);
        }
        ParsedMail m = MailParser.parse(raw);
        String key = MailKey.of(raw, m);
        Optional<Long> seen = store.seen(key);
        if (seen.isPresent()) {
            store.insertReceipt(mailbox, m, Verdict.DUPLICATE, "seen before (receipt " + seen.get() + ")", null, null, now);
            return new Outcome(Verdict.DUPLICATE, "seen before");
        }
        long rawId = ledger.insertRaw(new NewTicket.RawContent("message/rfc822", raw), now);
        Outcome o = decide(m, rawId, now);
        long receipt = store.insertReceipt(mailbox, m, o.verdict(), o.reason(),
                o.ticketId(), rawId, now);
        store.markSeen(key, receipt, now);
        return o;
    }

    private Outcome decide(ParsedMail m, long rawId, OffsetDateTime now) {
        Optional<Ticket> thread = thread(m);
        Optional<MachineMailGuard.Finding> machine = MachineMailGuard.inspect(m, config.mail().from(),
                MailSender.HUB_HEADER);
        if (machine.isPresent()) {
            MachineMailGuard.Finding f = machine.get();
            switch (f.kind()) {
                case OWN_MAIL:
                    return new Outcome(Verdict.OWN_MAIL, f.reason());
                case BOUNCE:
                    for (String failed : m.failedRecipients()) {
                        suppressions.suppress(failed, "bounced: " + (m.subject() == null ? "" : m.subject()), now);
                    }
                    thread.ifPresent(t -> comment(t, m, rawId, TicketEvent.Visibility.INTERNAL,
                            "A mail to the customer bounced (" + String.join(", ", m.failedRecipients())
                                    + "): no more automatic mail goes to that address. " + f.reason(), now));
                    return thread.map(t -> Outcome.on(Verdict.BOUNCE, f.reason(), t))
                            .orElse(new Outcome(Verdict.BOUNCE, f.reason()));
                default:
                    if (thread.isPresent()) {
                        comment(thread.get(), m, rawId, TicketEvent.Visibility.INTERNAL,
                                "Automatic reply from the customer's mailbox (not answered): "
                                        + (m.subject() == null ? "" : m.subject()), now);
                        return Outcome.on(Verdict.AUTO_REPLY_RECORDED, f.reason(), thread.get());
                    }
                    return new Outcome(Verdict.AUTO_REPLY_IGNORED, f.reason());
            }
        }
        if (thread.isPresent()) {
            Ticket t = thread.get();
            Ticket.Sla sla = t.sla() == null ? Ticket.Sla.NONE : t.sla();
            if (t.status() == TicketStatus.RESOLVED && sla.resolvedAt() != null
                    && sla.resolvedAt().plus(config.jira().reopenWindow()).isBefore(now)) {
                // Long after the resolution: a new ticket, that says which one it follows.
                return newTicket(m, rawId, now, t.number());
            }
            comment(t, m, rawId, TicketEvent.Visibility.PUBLIC, null, now);
            if (t.status() == TicketStatus.RESOLVED) {
                // The customer came back within the reopen window: the request is open again.
                ledger.lockById(t.id()).ifPresent(
                        l -> progress.applyWithin(l, Step.REOPENED, now, null, "the customer replied by mail", "customer"));
                return Outcome.on(Verdict.COMMENT, "threaded to " + t.number() + "; reopened", t);
            }
            if (sla.waitingSince() != null) {
                // The customer answered: the contractual clock starts again.
                ledger.lockById(t.id()).ifPresent(
                        l -> progress.applyWithin(l, Step.RESUMED, now, null, "the customer replied by mail", "customer"));
            }
            return Outcome.on(Verdict.COMMENT, "threaded to " + t.number(), t);
        }
        return newTicket(m, rawId, now);
    }

    private Outcome newTicket(ParsedMail m, long rawId, OffsetDateTime now) {
        return newTicket(m, rawId, now, null);
    }

    private Outcome newTicket(ParsedMail m, long rawId, OffsetDateTime now, String follows) {
        Language language = language(m);
        String subject = m.subject() == null || m.subject().isBlank() ? "(no subject)" : m.subject();
        if (subject.length() > 255) {
            subject = subject.substring(0, 252) + "...";
        }
        String text = m.newText() == null || m.newText().isBlank() ? "(no text)" : m.newText();
        if (follows != null) {
            text = "(Follow-up of " + follows + ", resolved more than " + config.jira().reopenWindow().toDays()
                    + " days ago.)\n\n" + text;
        }
        if (m.fromAddress() == null) {
            // A person wrote, but we cannot tell who: the ticket is opened for staff, nobody can be answered.
            NewTicket t = new NewTicket(Channel.EMAIL, cut(m.fromName() == null ? "(unknown sender)" : m.fromName(), 200),
                    "", null, null, null, subject, text, null, null, language.code(), uploads(m), null);
            OpenedTicket opened = tickets.openWithin(t, language, m.messageId(), rawId, false, null, now);
            metrics.counter("hub.tickets.created", "channel", "email").increment();
            return Outcome.on(Verdict.NEW_TICKET, "new ticket; no sender address, so not acknowledged",
                    opened.ticket());
        }
        String name = m.fromName() == null || m.fromName().isBlank()
                ? m.fromAddress().substring(0, m.fromAddress().indexOf('@'))
                : m.fromName();
        boolean suppressed = suppressions.isSuppressed(m.fromAddress());
        boolean capped = !suppressed && !loopAllows(m.fromAddress(), null, now);
        boolean acknowledge = !capped && !suppressed;
        NewTicket t = new NewTicket(Channel.EMAIL, cut(name, 200), m.fromAddress(), null, null, null, subject, text,
                null, null, language.code(), uploads(m), null);
        OpenedTicket opened = tickets.openWithin(t, language, m.messageId(), rawId, acknowledge, m.messageId(), now);
        metrics.counter("hub.tickets.created", "channel", "email").increment();
        String reason = m.winmailDat() ? "new ticket; winmail.dat attached (Outlook TNEF, open it with a TNEF reader)"
                : "new ticket";
        if (capped) {
            loopCapped(opened.ticket().id(), opened.ticket().number(), m.fromAddress(), "address");
            return Outcome.on(Verdict.LOOP_CAPPED, "ticket opened, not acknowledged: more than "
                    + config.mail().loop().perAddress() + " automatic mails to " + m.fromAddress() + " in "
                    + config.mail().loop().perAddressWindow(), opened.ticket());
        }
        return Outcome.on(Verdict.NEW_TICKET, reason, opened.ticket());
    }

    /** The mail as a message of the ticket; {@code note}: what staff read of an internal one (else its text). */
    private void comment(Ticket t, ParsedMail m, long rawId, TicketEvent.Visibility visibility, String note,
            OffsetDateTime now) {
        String text = m.newText() == null || m.newText().isBlank() ? "(no text)" : m.newText();
        tickets.addMessage(t, "IN", Channel.EMAIL, m.messageId(), rawId, text, uploads(m), visibility,
                note == null ? text : note, now);
    }

    /** Whether one more automatic mail may go to this address (and ticket) now. */
    boolean loopAllows(String address, Long ticketId, OffsetDateTime now) {
        return loops.allows(address, ticketId, now);
    }

    private void loopCapped(long ticketId, String number, String address, String cap) {
        store.flagTicket(ticketId, LOOP_CAPPED_FLAG);
        metrics.counter("hub.mail.loop.capped", "cap", cap).increment();
        MDC.put("ticket", number);
        LOG.warnf("Loop cap tripped for %s (%s cap): no automatic mail sent; ticket %s flagged %s", address, cap,
                number, LOOP_CAPPED_FLAG);
        MDC.remove("ticket");
    }

    private Outcome tooLarge(byte[] raw, String mailbox, OffsetDateTime now) {
        ParsedMail parsedHeaders = null;
        try {
            parsedHeaders = MailParser.parse(headerSection(raw));
        } catch (Exception e) {
            // recorded without its headers
        }
        final ParsedMail headersOnly = parsedHeaders;
        long rawId = ledger.insertRaw(new NewTicket.RawContent("message/rfc822", raw), now);
        String reason = "mail of " + raw.length / (1024 * 1024) + " MB over the " + config.mail().maxSize() / (1024 * 1024)
                + " MB cap";
        if (headersOnly != null && headersOnly.fromAddress() != null
                && MachineMailGuard.inspect(headersOnly, config.mail().from(), MailSender.HUB_HEADER).isEmpty()
                && !suppressions.isSuppressed(headersOnly.fromAddress())
                && loopAllows(headersOnly.fromAddress(), null, now)) {
            Language lang = Language.fromCode(headersOnly.contentLanguage())
                    .or(() -> ledger.lastLanguageOf(headersOnly.fromAddress()))
                    .orElse(defaultLanguage());
            outbox.enqueue(TooLargeNotice.TYPE, "mail:notice:" + headersOnly.fromAddress(), null,
                    headersOnly.fromAddress(), new TooLargeNotice.Payload(headersOnly.fromAddress(),
                            headersOnly.fromName(), headersOnly.subject(), lang.code(),
                            tickets.newMessageId("notice"), headersOnly.messageId(),
                            config.mail().maxSize() / (1024 * 1024)),
                    now);
            reason = reason + "; the sender was told";
        }
        long receipt = store.insertReceipt(mailbox, headersOnly, Verdict.TOO_LARGE, reason, null, rawId, now);
        if (headersOnly != null) {
            store.markSeen(MailKey.of(raw, headersOnly), receipt, now);
        }
        return new Outcome(Verdict.TOO_LARGE, reason);
    }

    private Optional<Ticket> thread(ParsedMail m) {
        Optional<Ticket> bySubject = numbers.find(m.subject()).flatMap(n -> ledger.findByNumber(n.toString()));
        if (bySubject.isPresent()) {
            return bySubject;
        }
        List<String> ids = new ArrayList<>();
        if (m.inReplyTo() != null) {
            ids.add(m.inReplyTo());
        }
        ids.addAll(m.references());
        Optional<Ticket> byHeaders = ledger.findByMessageIds(ids);
        if (byHeaders.isPresent()) {
            return byHeaders;
        }
        return numbers.find(m.fullText()).flatMap(n -> ledger.findByNumber(n.toString()));
    }

    private Language language(ParsedMail m) {
        return Language.fromCode(m.contentLanguage())
                .or(() -> m.fromAddress() == null ? Optional.empty() : ledger.lastLanguageOf(m.fromAddress()))
                .or(() -> LanguageGuesser.guess(m.subject() + "\n" + m.newText()))
                .orElse(defaultLanguage());
    }

    private Language defaultLanguage() {
        return Language.fromCode(config.defaultLanguage()).orElse(Language.FR);
    }

    private static List<NewTicket.Upload> uploads(ParsedMail m) {
        return m.attachments().stream()
                .map(a -> new NewTicket.Upload(a.filename(), a.contentType(), a.content()))
                .toList();
    }

    static byte[] headerSection(byte[] raw) {
        int end = raw.length - MailKey.body(raw).length;
        return java.util.Arrays.copyOf(raw, Math.max(0, end));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
