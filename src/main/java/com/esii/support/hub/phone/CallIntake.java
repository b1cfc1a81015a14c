package com.esii.support.hub.phone;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.ticket.ContractLookup;
import com.esii.support.hub.ticket.LedgerException;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.triage.ContractSource;
import com.esii.support.hub.ticket.TicketNumber;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Takes each SMDR line the listener reads: a line that is no record is recorded with its reason and skipped; a
 * record is stored as a segment of its call (the same line twice is stored once), and when the call's final
 * segment (Continuation = 0) is there, the call is assembled from its stored segments, its customer found (the
 * ticket whose number the agent entered as account code, else the ERP by access code or phone number) and, for a
 * ticket, written in its history. One transaction per line.
 *
 * <p>Lines are taken one at a time (one IP Office sends them all, through one connection at a time): this keeps a
 * call's segments arriving over two connections from being assembled twice or half. Only the replica IP Office
 * points at receives the stream ({@code hub.phone.enabled} on that one); a restart loses nothing, since segments are
 * stored as they come.
 */
@ApplicationScoped
@Named("callIntake")
public class CallIntake {

    private static final Logger LOG = Logger.getLogger(CallIntake.class);
    /** A ticket number typed on a phone keypad: the year and the sequence, digits only (2026000123). */
    private static final Pattern KEYPAD_TICKET = Pattern.compile("(20\\d{2})(\\d{6,12})");
    static final String EVENT_TYPE = "phone-call";

    private final PhoneLedger phone;
    private final TicketLedger tickets;
    private final ContractSource contracts;
    private final ErpCallActivity erpActivity;
    private final PhoneConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final TicketNumber.Parser numbers;
    private final String prefix;
    private final ZoneId zone;
    private final DistributionSummary answerTime;

    public CallIntake(PhoneLedger phone, TicketLedger tickets, ContractSource contracts, ErpCallActivity erpActivity,
            PhoneConfig config, TicketConfig core, Clock clock, MeterRegistry metrics) {
        this.phone = phone;
        this.tickets = tickets;
        this.contracts = contracts;
        this.erpActivity = erpActivity;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.prefix = core.ticket().prefix();
        this.numbers = new TicketNumber.Parser(prefix);
        this.zone = ZoneId.of(config.zone());
        // Registered now so that they read 0 before the first call (alerts and rates need the series).
        for (PhoneCall.Outcome o : List.of(PhoneCall.Outcome.ANSWERED, PhoneCall.Outcome.ABANDONED,
                PhoneCall.Outcome.VOICEMAIL)) {
            metrics.counter("hub.phone.calls", "outcome", o.code());
        }
        metrics.counter("hub.phone.rejected.lines");
        this.answerTime = DistributionSummary.builder("hub.phone.answer").baseUnit("seconds")
                .description("How long inbound callers waited before a person answered").register(metrics);
    }

    /**
     * {@code hub_phone_last_record_timestamp_seconds}: when the phone system's last line was stored (Unix time, the
     * same on every replica; 0 before the first), on a hub that listens for SMDR. The "SMDR silent during business
     * hours" alert of {@code k8s/monitoring/} reads it. NaN while the database cannot be read.
     */
    void lastRecordGauge(@Observes StartupEvent event) {
        if (config.enabled()) {
            Gauge.builder("hub.phone.last.record.timestamp", phone,
                    p -> p.lastLineReceivedAt().map(t -> (double) t.toEpochSecond()).orElse(0.0))
                    .description("When the last SMDR line from the phone system was stored (0: none yet)")
                    .baseUnit("seconds")
                    .register(metrics);
        }
    }

    /** What became of a line. */
    public enum Result {
        /** A segment stored; its call is not finished. */
        SEGMENT,
        /** The call's final segment: the call is assembled. */
        CALL,
        /** A segment that came after its call was assembled: the call is assembled again. */
        LATE_SEGMENT,
        /** The same line was stored before. */
        DUPLICATE,
        /** Not an SMDR record: recorded with its reason and skipped. */
        REJECTED,
        /** A blank line. */
        IGNORED
    }

    /**
     * Takes one line from the phone system. Throws only when the database fails (the caller retries the line). Each
     * line read is counted once by what became of it: {@code hub_phone_lines_total{result}} (segment, call,
     * late-segment, duplicate, rejected, ignored).
     */
    public synchronized Result accept(String line, String peer) {
        SmdrRecord r;
        try {
            r = SmdrParser.parse(line);
        } catch (SmdrParser.Malformed e) {
            if (SmdrParser.normalise(line).isEmpty()) {
                return counted(Result.IGNORED);
            }
            reject(line, e.getMessage(), peer);
            return Result.REJECTED;
        }
        Stored s;
        try {
            s = QuarkusTransaction.requiringNew().call(() -> store(r, peer));
        } catch (RuntimeException e) {
            if (!LedgerException.isUniqueViolation(e)) {
                throw e;
            }
            // The same line or call committed by another writer a moment ago: now it is a duplicate.
            s = QuarkusTransaction.requiringNew().call(() -> store(r, peer));
        }
        if (s.result() == Result.CALL) {
            count(s.call());
        }
        return counted(s.result());
    }

    private Result counted(Result r) {
        metrics.counter("hub.phone.lines", "result", r.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .increment();
        return r;
    }

    /** Records a line that cannot be a record (too long, cut by a dropped connection, malformed). */
    public void reject(String line, String reason, String peer) {
        QuarkusTransaction.requiringNew().run(() -> phone.insertRejected(line == null ? "" : line.replace("\0", ""),
                reason, peer, OffsetDateTime.now(clock)));
        metrics.counter("hub.phone.rejected.lines").increment();
        counted(Result.REJECTED);
        LOG.warnf("SMDR line from %s rejected (%s): %s", peer, reason, shorten(line));
    }

    /** Whether the database answers (to tell a failing line from a failing database). */
    public boolean databaseUp() {
        return phone.databaseUp();
    }

    private record Stored(Result result, PhoneCall call) {
    }

    private Stored store(SmdrRecord r, String peer) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime start = start(r);
        if (!phone.insertSegment(r, start, peer, now)) {
            return new Stored(Result.DUPLICATE, null);
        }
        Optional<PhoneLedger.StoredCall> existing = phone.findCall(r.callId(), start);
        if (existing.isPresent()) {
            PhoneCall call = assemble(r.callId(), start);
            phone.updateCall(existing.get().id(), call, now);
            LOG.infof("Late segment of call %d (%s): call assembled again", r.callId(), start);
            return new Stored(Result.LATE_SEGMENT, call);
        }
        if (r.continuation()) {
            return new Stored(Result.SEGMENT, null);
        }
        PhoneCall call = assemble(r.callId(), start);
        record(call, start, now);
        return new Stored(Result.CALL, call);
    }

    private OffsetDateTime start(SmdrRecord r) {
        return r.callStart().atZone(zone).toOffsetDateTime();
    }

    private PhoneCall assemble(long callId, OffsetDateTime start) {
        List<SmdrRecord> segments = new ArrayList<>();
        for (String line : phone.segmentLines(callId, start)) {
            try {
                segments.add(SmdrParser.parse(line));
            } catch (SmdrParser.Malformed e) {
                throw new IllegalStateException("A stored SMDR segment no longer parses: " + line, e);
            }
        }
        return CallAssembler.assemble(segments);
    }

    /** Stores a new call, finds its customer and ticket, writes the ticket's history. In the caller's transaction. */
    private void record(PhoneCall call, OffsetDateTime start, OffsetDateTime now) {
        long id = phone.insertCall(call, start, now);
        attribute(id, call, attribution(call), start, now);
    }

    private void attribute(long id, PhoneCall call, Attribution a, OffsetDateTime start, OffsetDateTime now) {
        Long ticketId = a.ticket() == null ? null : a.ticket().id();
        phone.setCustomer(id, a.status(), a.customerCode(), a.reason(), ticketId);
        if (a.ticket() != null) {
            tickets.insertEvent(ticketId, new TicketLedger.Event(EVENT_TYPE, describe(call, start), "phone", start));
        }
        if (call.outcome() == PhoneCall.Outcome.ANSWERED && a.customerCode() != null) {
            erpActivity.answeredCall(id, call, a.customerCode(), ticketId, start, now);
        }
        LOG.infof("Call %d %s %s from %s: %s (%s)", call.callId(), call.direction().code(), call.outcome().code(),
                call.customerNumber(), a.customerCode() == null ? a.status() : a.customerCode(), a.reason());
    }

    /** Who the call was with: FOUND, NOT_FOUND, UNKNOWN (the ERP could not be asked) or NONE (nothing to ask). */
    record Attribution(String status, String customerCode, String reason, Ticket ticket) {
    }

    private Attribution attribution(PhoneCall call) {
        String account = call.accountCode();
        Optional<TicketNumber> number = ticketNumber(account);
        if (number.isPresent()) {
            Optional<Ticket> t = tickets.findByNumber(number.get().toString());
            if (t.isPresent()) {
                String code = t.get().triage() == null ? null : t.get().triage().customerCode();
                return new Attribution(code == null ? "NOT_FOUND" : "FOUND", code,
                        "ticket " + t.get().number() + " entered as account code " + account, t.get());
            }
        }
        if (call.direction() == PhoneCall.Direction.INTERNAL) {
            return new Attribution("NONE", null, "internal call", null);
        }
        String accessCode = number.isPresent() ? null : account;
        String phoneNumber = call.customerNumber();
        if (accessCode == null && phoneNumber == null) {
            return new Attribution("NONE", null, "no account code and no number", null);
        }
        ContractLookup l = contracts.identify(accessCode, null, phoneNumber);
        if (!l.answered()) {
            return new Attribution("UNKNOWN", null, l.reason(), null);
        }
        return l.customer().map(c -> new Attribution("FOUND", c.code(), l.reason(), null))
                .orElseGet(() -> new Attribution("NOT_FOUND", null, l.reason(), null));
    }

    /** Our ticket number in an account code: as written (SUP-2026-000123) or typed on a keypad (2026000123). */
    Optional<TicketNumber> ticketNumber(String account) {
        if (account == null || account.isBlank()) {
            return Optional.empty();
        }
        Optional<TicketNumber> n = numbers.parse(account);
        if (n.isPresent()) {
            return n;
        }
        Matcher m = KEYPAD_TICKET.matcher(account.strip());
        return m.matches() ? Optional.of(TicketNumber.of(prefix, Integer.parseInt(m.group(1)),
                Long.parseLong(m.group(2)))) : Optional.empty();
    }

    static String describe(PhoneCall call, OffsetDateTime start) {
        StringBuilder b = new StringBuilder();
        String who = call.customerNumber() == null ? "a withheld number" : call.customerNumber();
        String agent = call.agentExtension() == null ? null
                : "extension " + call.agentExtension() + (call.agentName() == null ? "" : " (" + call.agentName() + ")");
        switch (call.direction()) {
            case INBOUND -> b.append("Call from ").append(who);
            case OUTBOUND -> b.append("Call to ").append(who);
            case INTERNAL -> b.append("Internal call");
        }
        b.append(" at ").append(start.toLocalDateTime().toString().replace('T', ' '));
        switch (call.outcome()) {
            case ANSWERED -> {
                b.append(": answered");
                if (agent != null) {
                    b.append(" by ").append(agent);
                }
                b.append(" after ").append(call.answerSeconds()).append(" s; talk ").append(duration(call.talkSeconds()));
                if (call.holdSeconds() > 0) {
                    b.append(", hold ").append(duration(call.holdSeconds()));
                }
            }
            case ABANDONED -> b.append(": abandoned after ringing ").append(call.ringSeconds()).append(" s");
            case VOICEMAIL -> b.append(": voicemail after ringing ").append(call.ringSeconds()).append(" s");
            case NOT_ANSWERED -> b.append(": not answered");
        }
        if (call.segments() > 1) {
            b.append("; ").append(call.segments()).append(" segments (transfers)");
        }
        if (!call.complete()) {
            b.append("; final record missing");
        }
        return b.append(" [call ").append(call.callId()).append(']').toString();
    }

    private static String duration(int seconds) {
        return seconds >= 60 ? (seconds / 60) + " min " + (seconds % 60) + " s" : seconds + " s";
    }

    private void count(PhoneCall call) {
        if (call.direction() != PhoneCall.Direction.INBOUND) {
            return;
        }
        metrics.counter("hub.phone.calls", "outcome", call.outcome().code()).increment();
        if (call.answerSeconds() != null) {
            answerTime.record(call.answerSeconds());
        }
    }

    /**
     * Closes the calls whose final segment never came ({@code hub.phone.incomplete-after} after their last one: IP
     * Office dropped it from a full buffer) and finds the customer of calls stored while the ERP was down. Runs
     * every minute (route {@code phone-sweep}).
     */
    public synchronized void sweep() {
        if (!config.enabled()) {
            return;
        }
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(config.incompleteAfter());
        for (Object[] key : phone.incompleteCalls(cutoff, 100)) {
            long callId = (Long) key[0];
            OffsetDateTime start = (OffsetDateTime) key[1];
            PhoneCall call = QuarkusTransaction.requiringNew().call(() -> {
                if (phone.findCall(callId, start).isPresent()) {
                    return null;
                }
                PhoneCall c = assemble(callId, start);
                record(c, start, OffsetDateTime.now(clock));
                return c;
            });
            if (call != null) {
                count(call);
                LOG.warnf("Call %d (%s) closed without its final segment", callId, start);
            }
        }
        for (long id : phone.callsWithUnknownCustomer(50)) {
            boolean stillDown = QuarkusTransaction.requiringNew().call(() -> {
                Optional<Object[]> key = phone.callKey(id);
                if (key.isEmpty() || !"UNKNOWN".equals(key.get()[2])) {
                    return false;
                }
                OffsetDateTime start = (OffsetDateTime) key.get()[1];
                PhoneCall c = assemble((Long) key.get()[0], start);
                Attribution a = attribution(c);
                if ("UNKNOWN".equals(a.status())) {
                    return true;
                }
                attribute(id, c, a, start, OffsetDateTime.now(clock));
                return false;
            });
            if (stillDown) {
                break;
            }
        }
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        // what reaches the log is printable, whatever the line held
        String t = s.codePoints().limit(200).map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.length() <= 200 ? t : t + "…";
    }
}
