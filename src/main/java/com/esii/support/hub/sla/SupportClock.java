package com.esii.support.hub.sla;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.esii.support.hub.ticket.ContractClock;
import com.esii.support.hub.ticket.Ticket;

/**
 * The contractual clock of one ticket, pure: what each step of support's work does to its deadlines. A maintained
 * customer's ticket is taken in charge within {@code takeCharge} business time and, once an on-site intervention
 * (or a hardware exchange) is decided, served on site within {@code onSite}. A ticket whose contract is still
 * unknown is held to the same deadlines (provisionally: better early than late) until the ERP answers. A customer
 * without maintenance has no contractual deadline, and an intervention or exchange for them needs an accepted
 * quote first. While the ticket waits on the customer the clock stops; when it resumes, every open deadline moves
 * by the business time the pause lasted (a pause that began after a deadline had passed does not move it).
 */
public final class SupportClock implements ContractClock {

    private final BusinessCalendar calendar;
    private final Duration takeCharge;
    private final Duration onSite;

    public SupportClock(BusinessCalendar calendar, Duration takeCharge, Duration onSite) {
        this.calendar = calendar;
        this.takeCharge = takeCharge;
        this.onSite = onSite;
    }

    public static boolean hasDeadlines(String contract) {
        return !Ticket.NOT_MAINTAINED.equals(contract);
    }

    /** The clock of a ticket created now under that contract. */
    public Ticket.Sla opened(String contract, OffsetDateTime created) {
        return Ticket.Sla.NONE.withTakeChargeDue(hasDeadlines(contract) ? due(created, takeCharge) : null);
    }

    /** The clock once the contract is known (re-triage): deadlines set or withdrawn, quote required or not. */
    public Ticket.Sla retriaged(Ticket.Sla s, String contract, OffsetDateTime created) {
        boolean deadlines = hasDeadlines(contract);
        OffsetDateTime takeChargeDue = s.takeChargeDue();
        if (!deadlines) {
            takeChargeDue = null;
        } else if (takeChargeDue == null) {
            takeChargeDue = due(created, takeCharge.plusSeconds(s.takenInChargeAt() == null ? s.pausedSeconds() : 0));
        }
        OffsetDateTime onSiteDue = s.onSiteDue();
        boolean quote = s.quoteRequired();
        if (s.onSiteDecidedAt() != null) {
            if (!deadlines) {
                onSiteDue = null;
                quote = s.onSiteDoneAt() == null || quote;
            } else if (onSiteDue == null) {
                onSiteDue = due(s.onSiteDecidedAt(), onSite);
                quote = false;
            }
        }
        return new Ticket.Sla(takeChargeDue, s.takenInChargeAt(), s.onSiteKind(), s.onSiteDecidedAt(), onSiteDue,
                s.onSiteDoneAt(), quote, s.quoteAcceptedAt(), s.waitingSince(), s.pausedSeconds(), s.resolvedAt());
    }

    @Override
    public Ticket.Sla takenInCharge(Ticket.Sla s, OffsetDateTime at) {
        Ticket.Sla r = resumed(s, at);
        return new Ticket.Sla(r.takeChargeDue(), r.takenInChargeAt() == null ? at : r.takenInChargeAt(), r.onSiteKind(),
                r.onSiteDecidedAt(), r.onSiteDue(), r.onSiteDoneAt(), r.quoteRequired(), r.quoteAcceptedAt(), null,
                r.pausedSeconds(), r.resolvedAt());
    }

    @Override
    public Ticket.Sla waiting(Ticket.Sla s, OffsetDateTime at) {
        if (s.waitingSince() != null) {
            return s;
        }
        return new Ticket.Sla(s.takeChargeDue(), s.takenInChargeAt(), s.onSiteKind(), s.onSiteDecidedAt(),
                s.onSiteDue(), s.onSiteDoneAt(), s.quoteRequired(), s.quoteAcceptedAt(), at, s.pausedSeconds(),
                s.resolvedAt());
    }

    /** The end of a pause: open deadlines move by its business time. */
    @Override
    public Ticket.Sla resumed(Ticket.Sla s, OffsetDateTime at) {
        OffsetDateTime since = s.waitingSince();
        if (since == null) {
            return s;
        }
        Duration paused = calendar.between(since.toInstant(), at.toInstant());
        OffsetDateTime takeChargeDue = s.takenInChargeAt() == null ? moved(s.takeChargeDue(), since, paused)
                : s.takeChargeDue();
        OffsetDateTime onSiteDue = s.onSiteDoneAt() == null ? moved(s.onSiteDue(), since, paused) : s.onSiteDue();
        return new Ticket.Sla(takeChargeDue, s.takenInChargeAt(), s.onSiteKind(), s.onSiteDecidedAt(), onSiteDue,
                s.onSiteDoneAt(), s.quoteRequired(), s.quoteAcceptedAt(), null, s.pausedSeconds() + paused.toSeconds(),
                s.resolvedAt());
    }

    /** An on-site intervention or a hardware exchange is decided. */
    @Override
    public Ticket.Sla onSiteDecided(Ticket.Sla s, String contract, String kind, OffsetDateTime at) {
        boolean deadlines = hasDeadlines(contract);
        return new Ticket.Sla(s.takeChargeDue(), s.takenInChargeAt() == null ? at : s.takenInChargeAt(), kind, at,
                deadlines ? due(at, onSite) : null, null, !deadlines, null, s.waitingSince(), s.pausedSeconds(),
                s.resolvedAt());
    }

    @Override
    public Ticket.Sla quoteAccepted(Ticket.Sla s, OffsetDateTime at) {
        return new Ticket.Sla(s.takeChargeDue(), s.takenInChargeAt(), s.onSiteKind(), s.onSiteDecidedAt(),
                s.onSiteDue(), s.onSiteDoneAt(), s.quoteRequired(), at, s.waitingSince(), s.pausedSeconds(),
                s.resolvedAt());
    }

    @Override
    public Ticket.Sla onSiteDone(Ticket.Sla s, OffsetDateTime at) {
        Ticket.Sla r = resumed(s, at);
        return new Ticket.Sla(r.takeChargeDue(), r.takenInChargeAt(), r.onSiteKind(), r.onSiteDecidedAt(),
                r.onSiteDue(), at, r.quoteRequired(), r.quoteAcceptedAt(), null, r.pausedSeconds(), r.resolvedAt());
    }

    @Override
    public Ticket.Sla resolved(Ticket.Sla s, OffsetDateTime at) {
        Ticket.Sla r = resumed(s, at);
        return new Ticket.Sla(r.takeChargeDue(), r.takenInChargeAt(), r.onSiteKind(), r.onSiteDecidedAt(),
                r.onSiteDue(), r.onSiteDoneAt(), r.quoteRequired(), r.quoteAcceptedAt(), null, r.pausedSeconds(), at);
    }

    /** A deadline's position now: the due instant as it stands, counting the pause in progress if any. */
    public OffsetDateTime effectiveDue(OffsetDateTime due, OffsetDateTime waitingSince, OffsetDateTime now) {
        if (due == null || waitingSince == null) {
            return due;
        }
        return moved(due, waitingSince, calendar.between(waitingSince.toInstant(), now.toInstant()));
    }

    private OffsetDateTime moved(OffsetDateTime due, OffsetDateTime pausedSince, Duration paused) {
        if (due == null || !pausedSince.isBefore(due) || paused.isZero()) {
            return due;
        }
        return calendar.plus(due.toInstant(), paused).atOffset(ZoneOffset.UTC);
    }

    private OffsetDateTime due(OffsetDateTime from, Duration amount) {
        return calendar.plus(from.toInstant(), amount).atOffset(ZoneOffset.UTC);
    }
}
