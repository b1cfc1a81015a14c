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

import com.esii.support.hub.mailkit.LoopGuard;
import com.esii.support.hub.mailkit.MailConfig;
import com.esii.support.hub.mailkit.MailSender;
import com.esii.support.hub.mailkit.Suppressions;
import com.esii.support.hub.mailkit.WithheldMail;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRelay;
import com.esii.support.hub.ticket.Author;
import com.esii.support.hub.ticket.Channel;
import com.esii.support.hub.ticket.CustomerTexts;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.LanguageDecision;
import com.esii.support.hub.ticket.LedgerException;
import com.esii.support.hub.ticket.NewTicket;
import com.esii.support.hub.ticket.OpenedTicket;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.ticket.TicketEvent;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.ticket.TicketNumber;
import com.esii.support.hub.ticket.Visits;


import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The steps of the email intake route ({@code routes/email.yaml}, {@code email-intake}) that turn one received mail
 * into a ticket, a comment or a recorded verdict, in one transaction: the raw mail, the ticket or comment, the
 * receipt, the seen key and the outbox rows commit together, or nothing does. {@link MailboxFlags} flags or moves
 * the mail on the server only after that.
 */
@ApplicationScoped
@Named("mailIntake")
public class MailIntake {

    private static final Logger LOG = Logger.getLogger(MailIntake.class);
    public static final String LOOP_CAPPED_FLAG = LoopGuard.FLAG;

    private final TicketIntake tickets;
    private final TicketLedger ledger;
    private final MailStore store;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final MailConfig config;
    private final TicketConfig core;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final TicketNumber.Parser numbers;
    private final Suppressions suppressions;

    private final LoopGuard loops;

    private final TicketWriters writers;
    private final WithheldMail withheld;
    private final StaffTexts texts;
    /** The follow-up line is the customer's ticket text too: in its language. */
    private final CustomerTexts customerTexts;
    private final Visits visits;

    public MailIntake(TicketIntake tickets, TicketLedger ledger, MailStore store, Outbox outbox, OutboxRelay relay,
            MailConfig config, TicketConfig core, Clock clock, MeterRegistry metrics,
            Suppressions suppressions, LoopGuard loops,
            TicketWriters writers, WithheldMail withheld,
            StaffTexts texts, CustomerTexts customerTexts, Visits visits) {
        this.visits = visits;
        this.texts = texts;
        this.customerTexts = customerTexts;
        this.withheld = withheld;
        this.writers = writers;
        this.loops = loops;
        this.suppressions = suppressions;
        this.tickets = tickets;
        this.ledger = ledger;
        this.store = store;
        this.outbox = outbox;
        this.relay = relay;
        this.config = config;
        this.core = core;
        this.clock = clock;
        this.metrics = metrics;
        this.numbers = new TicketNumber.Parser(core.ticket().prefix());
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

    /** The intake route ({@code routes/email.yaml}), to which the mailbox's pass sends each mail. */
    public static final String INTAKE = "direct:email-intake";

    /** Another replica took the same mail at the same moment (its seen key won): taken again, it is a duplicate. */
    public boolean isRace(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (LedgerException.isUniqueViolation(c)) {
                return true;
            }
        }
        return false;
    }

    // --- the steps of the intake route, in its order --------------------------------------------------------

    /** Receive: the time, and whether the mail is too large to be parsed whole; else it is parsed and keyed. */
    public IncomingMail read(IncomingMail mail) throws MessagingException {
        if (mail.receivedAt() != null) {
            return mail; // read before the intake (a batch taken together reads its mails first)
        }
        mail.setReceivedAt(OffsetDateTime.now(clock));
        if (mail.size() > config.maxSize()) {
            mail.setTooLarge(true);
            return mail;
        }
        ParsedMail m = MailParser.parse(mail.raw());
        mail.setParsed(m);
        mail.setKey(MailKey.of(mail.raw(), m));
        return mail;
    }

    /** Too large: kept, recorded, the sender told politely (if a person may be answered). */
    public IncomingMail tooLarge(IncomingMail mail) {
        mail.setOutcome(tooLarge(mail, mail.receivedAt()));
        return mail;
    }

    /**
     * Seen before (same Message-ID and content, even from another mailbox or after a crash): nothing opened; its
     * raw mail is kept with its verdict like any other (the same bytes are stored once).
     */
    public IncomingMail duplicate(IncomingMail mail) {
        Optional<Long> seen = store.seen(mail.getKey());
        long rawId = ledger.insertRaw(new NewTicket.RawContent("message/rfc822", mail.raw()), mail.receivedAt());
        store.insertReceipt(mail.mailbox(), mail.parsed(), Verdict.DUPLICATE,
                "seen before (receipt " + seen.orElse(0L) + ")", null, rawId, mail.receivedAt());
        mail.setOutcome(new Outcome(Verdict.DUPLICATE, "seen before"));
        return mail;
    }

    /**
     * Keep the raw mail; find whether a machine wrote it, and the ticket it answers: one it names (by our number in
     * its subject, its In-Reply-To or References, or its text) whose customer or participants include its sender
     * (for a delivery report: its failed recipient). A ticket named by anyone else is only noted for staff.
     */
    public IncomingMail inspect(IncomingMail mail) {
        ParsedMail m = mail.parsed();
        mail.setRawId(ledger.insertNewRaw(new NewTicket.RawContent("message/rfc822", mail.raw()), mail.receivedAt()));
        mail.setMachine(MachineMailGuard.inspect(m, core.mailFrom(), MailSender.HUB_HEADER).orElse(null));
        List<Ticket> named = named(m);
        boolean bounce = mail.machineFinding() != null
                && mail.machineFinding().kind() == MachineMailGuard.Kind.BOUNCE;
        for (Ticket t : named) {
            if (bounce ? writers.anyTakesPart(t, reported(m)) : writers.mayWrite(t, m.fromAddress())) {
                mail.setThread(t);
                return mail;
            }
        }
        mail.setNamed(named.isEmpty() ? null : named.get(0));
        return mail;
    }

    /** The addresses a delivery report is about, whatever it says of them (failed, delayed, relayed…). */
    private static List<String> reported(ParsedMail m) {
        List<String> out = new ArrayList<>(m.failedRecipients());
        m.deliveryStatus().forEach(r -> out.addAll(r.addresses()));
        return out;
    }

    /**
     * A calendar's answer to an on-site invitation: handed to the planning ({@link Visits}), which applies it to its
     * intervention or keeps it when it names none. Never a ticket, never answered.
     */
    public IncomingMail calendarReply(IncomingMail mail) {
        String what = visits.calendarReply(mail.parsed().calendar(), mail.parsed().fromAddress());
        Ticket t = mail.getThread();
        mail.setOutcome(t == null ? new Outcome(Verdict.CALENDAR_REPLY, what)
                : Outcome.on(Verdict.CALENDAR_REPLY, what, t));
        return mail;
    }

    /** The hub's own mail come back: nothing to do. */
    public IncomingMail ownMail(IncomingMail mail) {
        mail.setOutcome(new Outcome(Verdict.OWN_MAIL, mail.machineFinding().reason()));
        return mail;
    }

    /**
     * A delivery report: addresses that failed for good get no more automatic mail ({@link DeliveryReport}); a
     * delay, relay or expansion stops nothing. The ticket, if any, is told what the report says (internal).
     */
    public IncomingMail bounce(IncomingMail mail) {
        ParsedMail m = mail.parsed();
        MachineMailGuard.Finding f = mail.machineFinding();
        Ticket t = mail.getThread();
        for (DeliveryReport.Recipient r : m.deliveryStatus()) {
            if (r.failedForGood()) {
                r.addresses().forEach(a -> suppressions.suppress(a, "delivery report: " + r.describe(),
                        mail.receivedAt()));
            }
        }
        Verdict v = m.failedRecipients().isEmpty() ? Verdict.DELIVERY_REPORT : Verdict.BOUNCE;
        if (t != null) {
            comment(t, m, mail.rawId(), TicketEvent.Visibility.INTERNAL, DeliveryReport.note(m.deliveryStatus(), texts),
                    mail.receivedAt());
        }
        mail.setOutcome(t == null ? new Outcome(v, f.reason()) : Outcome.on(v, f.reason(), t));
        return mail;
    }

    /** An automatic reply: never answered; recorded (internal) on the ticket it answers, if any. */
    public IncomingMail autoReply(IncomingMail mail) {
        ParsedMail m = mail.parsed();
        Ticket t = mail.getThread();
        if (t == null) {
            mail.setOutcome(new Outcome(Verdict.AUTO_REPLY_IGNORED, mail.machineFinding().reason()));
            return mail;
        }
        comment(t, m, mail.rawId(), TicketEvent.Visibility.INTERNAL,
                texts.text("auto-reply", "subject", m.subject() == null ? "" : m.subject()), mail.receivedAt());
        mail.setOutcome(Outcome.on(Verdict.AUTO_REPLY_RECORDED, mail.machineFinding().reason(), t));
        return mail;
    }

    /**
     * The customer's reply on a ticket: a public comment; it reopens a ticket resolved within the reopen window and
     * restarts a clock stopped while waiting on the customer. Long after the resolution it opens a new ticket that
     * names the old one.
     */
    public IncomingMail reply(IncomingMail mail) {
        ParsedMail m = mail.parsed();
        Ticket t = mail.getThread();
        OffsetDateTime now = mail.receivedAt();
        String text = m.newText() == null || m.newText().isBlank() ? "(no text)" : m.newText();
        TicketIntake.CustomerReply r = tickets.customerReply(t, Channel.EMAIL, m.messageId(), mail.rawId(), text,
                uploads(m), new Author(m.fromName(), m.fromAddress()), "by mail", now);
        if (r.outcome() == TicketIntake.ReplyOutcome.TOO_LATE) {
            mail.setOutcome(newTicket(m, mail.rawId(), now, t.number(), mail.sender()));
            return mail;
        }
        writers.copied(t, m, now);
        mail.setOutcome(Outcome.on(Verdict.COMMENT, "threaded to " + t.number()
                + (r.outcome() == TicketIntake.ReplyOutcome.REOPENED ? "; reopened" : ""), t));
        return mail;
    }

    /**
     * A new problem: a new ticket, acknowledged within the loop caps. A mail naming a ticket its sender may not write
     * into is one too: the new ticket names the other for staff (an internal note), which stays as it was.
     */
    public IncomingMail newTicket(IncomingMail mail) {
        Outcome o = newTicket(mail.parsed(), mail.rawId(), mail.receivedAt(), null, mail.sender());
        Ticket other = mail.getNamed();
        if (other != null && o.ticketId() != null) {
            String sender = mail.parsed().fromAddress() == null ? texts.text("unknown-sender")
                    : mail.parsed().fromAddress();
            ledger.findById(o.ticketId()).ifPresent(t -> tickets.note(t, "names-other-ticket",
                    texts.text("names-other-ticket", "other", other.number(), "sender", sender), "mail",
                    mail.receivedAt()));
            o = new Outcome(o.verdict(), o.reason() + "; names " + other.number() + ", whose customer and"
                    + " participants do not include the sender", o.ticketId(), o.ticketNumber());
        }
        mail.setOutcome(o);
        return mail;
    }

    /** Every mail gets one verdict with its reason and raw mail; it names the seen key. Last, the lease is checked. */
    public Outcome receipt(IncomingMail mail) {
        Outcome o = mail.outcome();
        if (!mail.isTooLarge() && o.verdict() != Verdict.DUPLICATE) {
            store.recordReceipt(mail.mailbox(), mail.parsed(), o.verdict(), o.reason(), o.ticketId(), mail.rawId(),
                    mail.getKey(), mail.receivedAt());
        }
        mail.fence().run();
        return o;
    }

    /** After the commit: the verdict counted and logged (the intake route's caller). */
    public void received(IncomingMail mail) {
        received(mail.outcome(), mail.mailbox());
    }

    /**
     * After the commit: the verdict counted and logged, and the ticket it opened (a mail's transaction, or its
     * batch's, may roll back and be taken again: nothing is counted before).
     */
    public void received(Outcome o, String mailbox) {
        metrics.counter("hub.mail.received", "verdict", o.verdict().name().toLowerCase(Locale.ROOT)).increment();
        boolean opened = o.ticketId() != null && (o.verdict() == Verdict.NEW_TICKET
                || o.verdict() == Verdict.NOT_ACKNOWLEDGED || o.verdict() == Verdict.LOOP_CAPPED);
        if (opened) {
            metrics.counter("hub.tickets.created", "channel", "email").increment();
        }
        if (o.ticketNumber() != null) {
            MDC.put("ticket", o.ticketNumber());
        }
        try {
            if (o.verdict() == Verdict.LOOP_CAPPED) {
                metrics.counter("hub.mail.loop.capped", "cap", "address").increment();
                LOG.warnf("Loop cap tripped (address cap): no acknowledgement sent; ticket %s flagged %s (%s)",
                        o.ticketNumber(), LOOP_CAPPED_FLAG, o.reason());
            }
            LOG.infof("Mail in %s: %s%s (%s)", mailbox, o.verdict(),
                    o.ticketNumber() == null ? "" : " " + o.ticketNumber(), o.reason());
        } finally {
            MDC.remove("ticket");
        }
        relay.wake();
    }

    /** Records a mail that could not be processed, with its reason and raw content (a spooled one streamed). */
    public void recordError(IncomingMail mail, Exception error) {
        String mailbox = mail.mailbox();
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            long rawId = keepRaw(mail, now);
            ParsedMail m = null;
            try {
                m = MailParser.parse(mail.spooled() != null ? headerSection(mail) : mail.raw());
            } catch (Exception ignored) {
                // the reason below says why
            }
            store.insertReceipt(mailbox, m, Verdict.ERROR, error.getClass().getSimpleName() + ": " + error.getMessage(),
                    null, rawId, now);
        });
        metrics.counter("hub.mail.received", "verdict", "error").increment();
    }

    /** {@code known}: what the batch's look-ahead learnt of the sender, used when the customer is that sender. */
    private Outcome newTicket(ParsedMail m, long rawId, OffsetDateTime now, String follows,
            SenderLookAhead.Sender known) {
        // Whom to answer (Reply-To, else the author), or why nobody: the ticket is opened for staff either way.
        Correspondent who = Correspondent.of(m, core.mailFrom());
        String address = who.customerEmail();
        SenderLookAhead.Sender sender = known != null && known.address().equals(address) ? known : null;
        Language language = sender != null ? language(m, address, a -> sender.lastLanguage(), core.language()).language()
                : language(m);
        String subject = m.subject() == null || m.subject().isBlank() ? "(no subject)" : m.subject();
        if (subject.length() > 255) {
            subject = subject.substring(0, 252) + "...";
        }
        String text = m.newText() == null || m.newText().isBlank() ? "(no text)" : m.newText();
        if (follows != null) {
            text = customerTexts.text(language, "follow_up_of").replace("{ticket}", follows)
                    .replace("{days}", String.valueOf(core.reopenWindow().toDays())) + "\n\n" + text;
        }
        LoopGuard.Queueing gate = who.answerTo() == null ? null
                : sender != null ? sender.queueing() : loops.beforeQueueing(address, now);
        String notAcknowledged = gate == null ? who.notAnswered()
                : gate.suppression().map(Suppressions.Suppression::describe).orElse(null);
        boolean capped = notAcknowledged == null && gate != null && !gate.allowed();
        boolean acknowledge = !capped && notAcknowledged == null;
        NewTicket t = new NewTicket(Channel.EMAIL, cut(who.customerName(), 200), address, null, null, null, subject,
                text, null, null, language.code(), uploads(m), null);
        OpenedTicket opened = tickets.openWithin(t, language, m.messageId(), rawId, acknowledge, m.messageId(), now);
        writers.copied(opened.ticket(), m, now);
        who.replyToNote().ifPresent(note -> ledger.insertEvent(opened.ticket().id(),
                new TicketLedger.Event("reply-to", note, "hub", now)));
        if (notAcknowledged != null) {
            withheld.recordWithin(opened.ticket().id(), WithheldMail.NOT_ACKNOWLEDGED,
                    "not acknowledged: " + notAcknowledged, now);
            return Outcome.on(Verdict.NOT_ACKNOWLEDGED, "ticket opened, not acknowledged: " + notAcknowledged,
                    opened.ticket());
        }
        String reason = m.winmailDat() ? "new ticket; winmail.dat attached (Outlook TNEF, open it with a TNEF reader)"
                : "new ticket";
        if (capped) {
            loops.flag(opened.ticket().id()); // counted and logged once committed (received)
            return Outcome.on(Verdict.LOOP_CAPPED, "ticket opened, not acknowledged: more than "
                    + config.loop().perAddress() + " automatic mails to " + address + " in "
                    + config.loop().perAddressWindow(), opened.ticket());
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

    private Outcome tooLarge(IncomingMail mail, OffsetDateTime now) {
        String mailbox = mail.mailbox();
        ParsedMail parsedHeaders = null;
        try {
            parsedHeaders = MailParser.parse(headerSection(mail));
        } catch (Exception e) {
            // recorded without its headers
        }
        final ParsedMail headersOnly = parsedHeaders;
        long rawId = keepRaw(mail, now);
        String reason = "mail of " + mail.size() / (1024 * 1024) + " MB over the " + config.maxSize() / (1024 * 1024)
                + " MB cap";
        Correspondent who = headersOnly == null ? null : Correspondent.of(headersOnly, core.mailFrom());
        if (who != null && who.answerTo() != null
                && MachineMailGuard.inspect(headersOnly, core.mailFrom(), MailSender.HUB_HEADER).isEmpty()
                && !suppressions.isSuppressed(who.customerEmail())
                && loopAllows(who.customerEmail(), null, now)) {
            String to = who.customerEmail();
            Language lang = Language.fromCode(headersOnly.contentLanguage())
                    .or(() -> ledger.lastLanguageOf(to))
                    .orElse(core.language());
            outbox.enqueue(TooLargeNotice.TYPE, "mail:notice:" + to, null,
                    to, new TooLargeNotice.Payload(to,
                            who.customerName(), headersOnly.subject(), lang.code(),
                            tickets.newMessageId("notice"), headersOnly.messageId(),
                            config.maxSize() / (1024 * 1024)),
                    now);
            reason = reason + "; the sender was told";
        }
        long receipt = store.insertReceipt(mailbox, headersOnly, Verdict.TOO_LARGE, reason, null, rawId, now);
        if (headersOnly != null) {
            store.markSeen(mail.spooled() != null ? MailKey.ofBodyDigest(mail.spooled().bodySha256(), headersOnly)
                    : MailKey.of(mail.raw(), headersOnly), receipt, now);
        }
        return new Outcome(Verdict.TOO_LARGE, reason);
    }

    /** The tickets the mail names: by our number in its subject, by its In-Reply-To or References, in its text. */
    private List<Ticket> named(ParsedMail m) {
        java.util.LinkedHashMap<Long, Ticket> out = new java.util.LinkedHashMap<>();
        numbers.find(m.subject()).flatMap(n -> ledger.findByNumber(n.toString())).ifPresent(t -> out.put(t.id(), t));
        List<String> ids = new ArrayList<>();
        if (m.inReplyTo() != null) {
            ids.add(m.inReplyTo());
        }
        ids.addAll(m.references());
        ledger.findByMessageIds(ids).ifPresent(t -> out.putIfAbsent(t.id(), t));
        numbers.find(m.fullText()).flatMap(n -> ledger.findByNumber(n.toString()))
                .ifPresent(t -> out.putIfAbsent(t.id(), t));
        return new ArrayList<>(out.values());
    }

    private Language language(ParsedMail m) {
        // the ticket's customer: the Reply-To's address when the mail names one, else its author's
        String customer = Correspondent.of(m, core.mailFrom()).customerEmail();
        return language(m, customer.isEmpty() ? m.fromAddress() : customer, ledger::lastLanguageOf,
                core.language()).language();
    }

    /**
     * A new ticket's language: the mail's Content-Language, else the earlier tickets of {@code customer} (the address
     * the ticket is opened for), else what the mail says this time (its subject and decoded new text, quoted history
     * left out), else the desk's default.
     */
    static LanguageDecision language(ParsedMail m, String customer,
            java.util.function.Function<String, Optional<Language>> earlierTickets, Language fallback) {
        return LanguageDecision.decide(m.contentLanguage(),
                () -> customer == null || customer.isEmpty() ? Optional.empty() : earlierTickets.apply(customer),
                m.subject(), m.newText(), fallback);
    }


    private static List<NewTicket.Upload> uploads(ParsedMail m) {
        return m.attachments().stream()
                .map(a -> new NewTicket.Upload(a.filename(), a.contentType(), a.content()))
                .toList();
    }

    /** The raw store: a spooled mail is streamed from its file, never read into memory. */
    private long keepRaw(IncomingMail mail, OffsetDateTime now) {
        SpooledMail spooled = mail.spooled();
        if (spooled == null) {
            return ledger.insertRaw(new NewTicket.RawContent("message/rfc822", mail.raw()), now);
        }
        return ledger.insertRaw("message/rfc822", spooled.sha256(), spooled.size(), spooled::open, now);
    }

    private static byte[] headerSection(IncomingMail mail) {
        return mail.spooled() != null ? mail.spooled().headers() : headerSection(mail.raw());
    }

    static byte[] headerSection(byte[] raw) {
        int end = raw.length - MailKey.body(raw).length;
        return java.util.Arrays.copyOf(raw, Math.max(0, end));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
