package com.esii.support.hub.onsite;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.esii.support.hub.ticket.Letters;
import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.outbox.Outbox;
import com.esii.support.hub.outbox.OutboxRow;
import com.esii.support.hub.outbox.TargetUnavailable;
import com.esii.support.hub.outbox.UrgentTypes;
import com.esii.support.hub.util.Departments;
import com.esii.support.hub.sla.BusinessCalendar;
import com.esii.support.hub.sla.Calendars;
import com.esii.support.hub.ticket.ContractLookup;
import com.esii.support.hub.ticket.Customer;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.Letter;
import com.esii.support.hub.ticket.StaffTexts;
import com.esii.support.hub.ticket.Step;
import com.esii.support.hub.ticket.Ticket;
import com.esii.support.hub.ticket.TicketEvent;
import com.esii.support.hub.ticket.TicketIntake;
import com.esii.support.hub.ticket.TicketLedger;
import com.esii.support.hub.ticket.Visits;
import com.esii.support.hub.triage.ContractSource;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.TemplateInstance;

/**
 * The on-site planning (issue 27), an edge that meets the rest through the ticket's events and core ports:
 * <ul>
 * <li>staff decide an intervention ({@link Step#ON_SITE_DECIDED}, from Jira as before): an {@value #PLAN} row is
 * queued; performed, it asks the ERP for the site ({@link ContractSource}), proposes who goes and when
 * ({@link Planner}) and tells staff in an internal comment ({@link TicketIntake#note});</li>
 * <li>staff answer with a comment command ({@link TicketEvent.Instructed}): {@code /onsite accept},
 * {@code /onsite <code> <YYYY-MM-DD HH:MM>}, {@code /onsite replan}, {@code /onsite cancel}; the customer and
 * the worker get iMIP invitations ({@value #LETTER} rows, sent by whichever edge sends mail: {@link Letter});</li>
 * <li>the customer answers from their calendar (a REPLY or COUNTER reaching the mailbox) or the request page
 * ({@link Visits}): accepted, or declined, which brings a new proposal;</li>
 * <li>the intervention done or the ticket resolved closes it (a cancellation when it was still to come).</li>
 * </ul>
 */
@ApplicationScoped
public class OnSitePlanning implements Visits {

    private static final Logger LOG = Logger.getLogger(OnSitePlanning.class);
    static final String PLAN = "onsite-plan";
    static final String LETTER = "mail-onsite";
    static final String SOURCE = "onsite";
    private static final String INVITE = "invite";
    private static final String UPDATE = "update";
    private static final String CANCEL = "cancel";
    private static final String REMINDER = "reminder";
    private static final DateTimeFormatter COMMAND_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    public record PlanPayload(long ticketId) {
    }

    private final VisitStore visits;
    private final FieldTeam team;
    private final OnSiteConfig settings;
    private final Calendars calendars;
    private final ContractSource contracts;
    private final TicketLedger ledger;
    private final TicketIntake intake;
    private final Outbox outbox;
    private final StaffTexts staff;
    private final TicketConfig config;
    private final Clock clock;
    private final Planner planner;

    public OnSitePlanning(VisitStore visits, FieldTeam team, OnSiteConfig settings, Calendars calendars,
            ContractSource contracts, TicketLedger ledger, TicketIntake intake, Outbox outbox, StaffTexts staff,
            TicketConfig config, Clock clock) {
        this.visits = visits;
        this.team = team;
        this.settings = settings;
        this.calendars = calendars;
        this.contracts = contracts;
        this.ledger = ledger;
        this.intake = intake;
        this.outbox = outbox;
        this.staff = staff;
        this.config = config;
        this.clock = clock;
        this.planner = new Planner(settings.roadSpeed(), settings.roadFactor(), settings.duration());
    }

    // ---- the ticket's steps (inside the step's transaction)

    void onStep(@Observes TicketEvent.StepRecorded e) {
        Ticket t = e.ticket();
        switch (e.step()) {
            case ON_SITE_DECIDED -> {
                if (!"intervention".equals(t.sla().onSiteKind())) {
                    return; // a standard exchange is sent, not planned on site
                }
                if (t.sla().quoteRequired()) {
                    upsert(t, VisitStore.Status.QUOTE, e.at());
                    intake.note(t, "on-site-quote", staff.text("onsite.quote"), SOURCE, e.at());
                } else {
                    requestPlan(t, e.at());
                }
            }
            case QUOTE_ACCEPTED -> visits.lock(t.id()).filter(v -> v.status() == VisitStore.Status.QUOTE)
                    .ifPresent(v -> requestPlan(t, e.at()));
            case ON_SITE_DONE -> visits.lock(t.id()).ifPresent(v -> visits.update(v.with(VisitStore.Status.DONE), e.at()));
            case RESOLVED -> visits.lock(t.id()).filter(v -> open(v.status()))
                    .ifPresent(v -> cancel(t, v, "resolved", e.at()));
            default -> {
            }
        }
    }

    /** Staff's {@code /onsite …} commands, written as a comment in the ticket's request. */
    void onInstruction(@Observes TicketEvent.Instructed e) {
        if (!"onsite".equals(e.verb())) {
            return;
        }
        Ticket t = e.ticket();
        String arg = e.argument() == null ? "" : e.argument().strip();
        Optional<VisitStore.Row> row = visits.lock(t.id());
        String refusal = null;
        if (arg.equalsIgnoreCase("accept")) {
            if (row.isEmpty() || row.get().status() != VisitStore.Status.PROPOSED) {
                refusal = row.map(r -> staff.text("onsite.reason.not-proposed", "status", r.status().code()))
                        .orElse(staff.text("onsite.reason.none"));
            } else {
                invite(t, row.get(), e.at());
            }
        } else if (row.isEmpty() || row.get().status() == VisitStore.Status.QUOTE || t.sla().onSiteDecidedAt() == null
                || t.sla().onSiteDoneAt() != null) {
            // nothing to plan: no intervention decided (or done already), or its quote is not accepted yet
            refusal = staff.text(row.isPresent() && row.get().status() == VisitStore.Status.QUOTE
                    ? "onsite.reason.quote" : "onsite.reason.none");
        } else if (arg.equalsIgnoreCase("replan")) {
            requestPlan(t, e.at());
        } else if (arg.equalsIgnoreCase("cancel")) {
            if (row.isEmpty() || !open(row.get().status())) {
                refusal = staff.text("onsite.reason.nothing-to-cancel");
            } else {
                cancel(t, row.get(), "cancelled", e.at());
            }
        } else {
            refusal = choose(t, row, arg, e.at());
        }
        if (refusal != null) {
            intake.note(t, "on-site-refused", staff.text("onsite.refused", "argument", arg, "reason", refusal), SOURCE,
                    e.at());
        }
    }

    /** {@code /onsite <code> <YYYY-MM-DD HH:MM>}: staff choose who and when; null when done, else why not. */
    private String choose(Ticket t, Optional<VisitStore.Row> row, String arg, OffsetDateTime now) {
        String[] words = arg.split("\\s+", 2);
        if (words.length < 2 || row.isEmpty()) {
            return staff.text(row.isEmpty() ? "onsite.reason.none" : "onsite.reason.syntax");
        }
        Optional<FieldTeam.Member> m = team.member(words[0]);
        if (m.isEmpty()) {
            return staff.text("onsite.reason.no-member", "code", words[0]);
        }
        Instant start;
        try {
            start = LocalDateTime.parse(words[1].strip(), COMMAND_TIME).atZone(OnSiteTexts.PARIS).toInstant();
        } catch (DateTimeParseException ex) {
            return staff.text("onsite.reason.time", "value", words[1]);
        }
        Planner.Worker w = worker(m.get());
        if (!withinHours(w, start)) {
            return staff.text("onsite.reason.hours", "name", m.get().name(), "hours",
                    m.get().hours() == null ? calendars.deskSpec() : m.get().hours());
        }
        VisitStore.Row r = row.get();
        Integer travel = planner.travelMinutes(w, r.department()).orElse(null);
        VisitStore.Row chosen = r.planned(VisitStore.Status.PROPOSED, r.sequence(), w.code(), w.name(), w.kind(),
                w.email(), at(start), at(start.plus(settings.duration())), travel);
        invite(t, chosen, now);
        return null;
    }

    private void requestPlan(Ticket t, OffsetDateTime now) {
        upsert(t, VisitStore.Status.PLANNING, now);
        outbox.enqueue(PLAN, "onsite:" + t.number(), t.id(), new PlanPayload(t.id()), now);
    }

    private void upsert(Ticket t, VisitStore.Status status, OffsetDateTime now) {
        Optional<VisitStore.Row> row = visits.lock(t.id());
        if (row.isEmpty()) {
            visits.insert(new VisitStore.Row(t.id(), UUID.randomUUID() + "@support-hub", 0, status, null, null, null,
                    null, null, null, null, t.sla().onSiteDue(), null, null, null, null, null, List.of(), null, null),
                    now);
        } else if (row.get().status() == VisitStore.Status.DONE || row.get().status() == VisitStore.Status.CANCELLED) {
            // a new intervention on the same ticket: a new appointment for the calendars
            VisitStore.Row r = row.get();
            visits.update(new VisitStore.Row(r.ticketId(), r.uid(), r.sequence() + 1, status, null, null, null, null,
                    null, null, null, t.sla().onSiteDue(), r.address(), r.postcode(), r.town(), r.department(),
                    r.contact(), List.of(), null, null), now);
        } else {
            visits.update(row.get().with(status).site(row.get().address(), row.get().postcode(), row.get().town(),
                    row.get().department(), row.get().contact(), t.sla().onSiteDue()), now);
        }
    }

    private static boolean open(VisitStore.Status s) {
        return s == VisitStore.Status.PROPOSED || s == VisitStore.Status.INVITED || s == VisitStore.Status.ACCEPTED
                || s == VisitStore.Status.PLANNING || s == VisitStore.Status.UNPLANNED || s == VisitStore.Status.QUOTE;
    }

    // ---- the proposal ({@value #PLAN} rows, performed by the outbox)

    /**
     * Performs {@value #PLAN} rows (route {@code onsite-plan}, routes/onsite.yaml): asks the ERP for the site, then
     * proposes in one transaction.
     */
    @ApplicationScoped
    @Named("onsitePlanRows")
    public static class PlanRows {

        private final OnSitePlanning planning;
        private final ObjectMapper json;

        public PlanRows(OnSitePlanning planning, ObjectMapper json) {
            this.planning = planning;
            this.json = json;
        }

        public void plan(OutboxRow row) throws Exception {
            planning.plan(json.readValue(row.payload(), PlanPayload.class).ticketId());
        }
    }

    /**
     * Sends {@value #LETTER} rows (invitations, updates, cancellations, reminders) through the mail edge (route
     * {@code onsite-letter}, routes/onsite.yaml).
     */
    @ApplicationScoped
    @Named("onsiteLetterRows")
    public static class LetterRows implements UrgentTypes {

        private final Letters letters;
        private final ObjectMapper json;

        public LetterRows(Letters letters, ObjectMapper json) {
            this.letters = letters;
            this.json = json;
        }

        /** Taken before the other rows due with it ({@link UrgentTypes}): the customer is waiting to hear when. */
        @Override
        public Set<String> urgentTypes() {
            return Set.of(LETTER);
        }

        public void send(OutboxRow row) throws Exception {
            letters.send(json.readValue(row.payload(), Letter.class));
        }
    }

    /** Proposes an intervention for a ticket waiting for one (status planning); a repeated call changes nothing. */
    void plan(long ticketId) {
        Ticket ticket = ledger.findById(ticketId).orElseThrow();
        // outside the transaction: the ERP is asked before any connection is held (as triage does). Without an ERP
        // (or one that refuses the question) the proposal goes without a site, and says so; an ERP away is waited for
        Customer.Site site = null;
        if (contracts.configured()) {
            ContractLookup lookup = contracts.identify(ticket.accessCode(), ticket.customerEmail(), null);
            if (!lookup.answered() && !lookup.refused()) {
                throw new TargetUnavailable("the ERP could not be asked for the site: " + lookup.reason());
            }
            site = lookup.customer().map(Customer::site).orElse(null);
        }
        Customer.Site known = site;
        QuarkusTransaction.requiringNew().run(() -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            Ticket t = ledger.lockById(ticketId).orElseThrow();
            Optional<VisitStore.Row> row = visits.lock(ticketId);
            if (row.isEmpty() || row.get().status() != VisitStore.Status.PLANNING) {
                return; // planned already (a repeated row), or cancelled meanwhile
            }
            VisitStore.Row r = row.get();
            String department = known == null ? null
                    : Departments.ofPostcode(known.postcode()).map(Departments.Department::code).orElse(null);
            if (known != null) {
                String contact = known.contactName() == null ? null : known.contactName()
                        + (known.contactPhone() == null ? "" : ", " + known.contactPhone())
                        + (known.contactEmail() == null ? "" : ", " + known.contactEmail());
                r = r.site(known.address(), known.postcode(), known.town(), department, contact, t.sla().onSiteDue());
            }
            propose(t, r, now, known == null && r.postcode() == null);
        });
    }

    private void propose(Ticket t, VisitStore.Row r, OffsetDateTime now, boolean noSite) {
        List<FieldTeam.Member> members = team.members();
        List<Planner.Worker> workers = members.stream().map(this::worker).toList();
        Instant due = r.dueAt() == null ? null : r.dueAt().toInstant();
        Planner.Need need = new Planner.Need(r.department(), now.toInstant(), due, r.refused());
        Optional<Planner.Proposal> p = planner.propose(need, workers, busy(t.id(), now));
        String siteText = siteText(r);
        if (p.isEmpty()) {
            visits.update(r.with(VisitStore.Status.UNPLANNED), now);
            intake.note(t, "on-site-unplanned", staff.text("onsite.unplanned", "days", Planner.HORIZON_DAYS, "site",
                    siteText), SOURCE, now);
            return;
        }
        Planner.Proposal pr = p.get();
        Planner.Worker w = pr.worker();
        visits.update(r.planned(VisitStore.Status.PROPOSED, r.sequence(), w.code(), w.name(), w.kind(), w.email(),
                at(pr.start()), at(pr.end()), pr.travelMinutes()), now);
        String travel = pr.travelMinutes() != null
                ? staff.text("onsite.travel", "minutes", pr.travelMinutes(), "from", baseText(members, w),
                        "speed", (int) settings.roadSpeed())
                : staff.text("onsite.no-travel", "postcode", r.postcode() == null ? "?" : r.postcode());
        if (noSite) {
            travel = staff.text("onsite.no-site");
        }
        String deadline = due == null ? staff.text("onsite.no-deadline")
                : staff.text(pr.onTime() ? "onsite.on-time" : "onsite.late", "due", staffTime(due));
        String teamList = members.stream().map(m -> m.code() + " = " + m.name()).collect(Collectors.joining(", "));
        intake.note(t, "on-site-proposal", staff.text("onsite.proposal", "worker", w.name(), "kind",
                staff.text("onsite.basis." + pr.basis().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')),
                "base", "", "when", staffTime(pr.start()), "duration", hours(settings.duration()), "travel", travel,
                "deadline", deadline, "site", siteText, "team", teamList), SOURCE, now);
    }

    /** Busy times of every worker: absences and the other tickets' planned interventions, with their travel. */
    private List<Planner.Busy> busy(long ticketId, OffsetDateTime now) {
        OffsetDateTime until = now.plusDays(Planner.HORIZON_DAYS + 7);
        List<Planner.Busy> busy = new ArrayList<>();
        team.absences(now, until).forEach(a -> busy.add(new Planner.Busy(a.worker(), a.from().toInstant(),
                a.to().toInstant())));
        for (VisitStore.Row v : visits.planned(now, until)) {
            if (v.ticketId() != ticketId && v.worker() != null) {
                Duration trip = Duration.ofMinutes(v.travelMinutes() == null ? 0 : v.travelMinutes());
                busy.add(new Planner.Busy(v.worker(), v.startsAt().toInstant().minus(trip),
                        v.endsAt().toInstant().plus(trip)));
            }
        }
        return busy;
    }

    Planner.Worker worker(FieldTeam.Member m) {
        String base = Departments.ofPostcode(m.basePostcode()).map(Departments.Department::code).orElse(null);
        return new Planner.Worker(m.code(), m.name(), m.kind(), m.email(), base, m.departments(), hoursOf(m));
    }

    private BusinessCalendar hoursOf(FieldTeam.Member m) {
        return m.hours() == null || m.hours().isBlank() ? calendars.desk()
                : BusinessCalendar.parse(calendars.desk().zone(), m.hours());
    }

    private boolean withinHours(Planner.Worker w, Instant start) {
        LocalDate day = start.atZone(w.hours().zone()).toLocalDate();
        return w.hours().isBusinessDay(day) && !start.isBefore(w.hours().opening(day).toInstant())
                && !start.plus(settings.duration()).isAfter(w.hours().closing(day).toInstant());
    }

    // ---- invitations

    /** Staff accepted (or chose): the customer and the worker are invited; the former worker's invitation cancelled. */
    private void invite(Ticket t, VisitStore.Row r, OffsetDateTime now) {
        boolean update = r.invitedEmail() != null;
        if (update && !r.invitedEmail().equalsIgnoreCase(r.workerEmail())) {
            letter(t, r, r.invitedEmail(), null, staff.language(), false, CANCEL, "replaced", now);
        }
        VisitStore.Row invited = r.planned(VisitStore.Status.INVITED, r.sequence() + 1, r.worker(), r.workerName(),
                r.workerKind(), r.workerEmail(), r.startsAt(), r.endsAt(), r.travelMinutes()).invited(r.workerEmail());
        visits.update(invited, now);
        String what = update ? UPDATE : INVITE; // a changed appointment says so in its subject
        letter(t, invited, t.customerEmail(), t.customerName(), t.language(), true, what, null, now);
        letter(t, invited, invited.workerEmail(), invited.workerName(), staff.language(), false, INVITE, null, now);
        intake.note(t, "on-site-invited", staff.text("onsite.invited", "customer", t.customerEmail(), "worker",
                invited.workerName(), "when", staffTime(invited.startsAt().toInstant()), "sequence",
                invited.sequence()), SOURCE, now);
        if (invited.dueAt() != null && invited.startsAt().isAfter(invited.dueAt())) {
            intake.note(t, "on-site-late", staff.text("onsite.invited-late", "due",
                    staffTime(invited.dueAt().toInstant())),
                    SOURCE, now);
        }
    }

    private void cancel(Ticket t, VisitStore.Row r, String reason, OffsetDateTime now) {
        boolean invited = r.invitedEmail() != null
                && (r.status() == VisitStore.Status.INVITED || r.status() == VisitStore.Status.ACCEPTED);
        visits.update(r.with(VisitStore.Status.CANCELLED), now);
        if (invited && r.startsAt().isAfter(now)) {
            letter(t, r, t.customerEmail(), t.customerName(), t.language(), true, CANCEL, reason, now);
            letter(t, r, r.invitedEmail(), null, staff.language(), false, CANCEL, reason, now);
            intake.note(t, "on-site-cancelled", staff.text("onsite.cancelled", "when",
                    staffTime(r.startsAt().toInstant()), "reason", OnSiteTexts.text(staff.language(), "reason." + reason)),
                    SOURCE, now);
        }
    }

    /**
     * Queues one letter about the intervention, written by its template ({@link Templates}): to the customer in the
     * ticket's language, or the technician's job sheet in the desk's.
     *
     * @param what invite, update, cancel, reminder
     */
    private void letter(Ticket t, VisitStore.Row r, String to, String toName, Language l, boolean customer,
            String what, String reason, OffsetDateTime now) {
        Instant start = r.startsAt().toInstant();
        String subject;
        String body;
        if (customer) {
            String when = OnSiteTexts.when(l, start);
            String duration = hours(settings.duration());
            String site = siteText(r);
            boolean update = what.equals(UPDATE);
            TemplateInstance letter = switch (what) {
                case CANCEL -> {
                    String why = reason == null ? "" : OnSiteTexts.text(l, "reason." + reason);
                    yield switch (l) {
                        case FR -> Templates.cancelFr(t, when, why);
                        case EN -> Templates.cancelEn(t, when, why);
                        case ES -> Templates.cancelEs(t, when, why);
                    };
                }
                case REMINDER -> switch (l) {
                    case FR -> Templates.reminderFr(t, when, r.workerName(), site);
                    case EN -> Templates.reminderEn(t, when, r.workerName(), site);
                    case ES -> Templates.reminderEs(t, when, r.workerName(), site);
                };
                default -> switch (l) {
                    case FR -> Templates.inviteFr(t, when, duration, r.workerName(), site, update);
                    case EN -> Templates.inviteEn(t, when, duration, r.workerName(), site, update);
                    case ES -> Templates.inviteEs(t, when, duration, r.workerName(), site, update);
                };
            };
            TemplateInstance title = switch (what) {
                case CANCEL -> switch (l) {
                    case FR -> Templates.cancelFr$subject(t, when);
                    case EN -> Templates.cancelEn$subject(t, when);
                    case ES -> Templates.cancelEs$subject(t, when);
                };
                case REMINDER -> switch (l) {
                    case FR -> Templates.reminderFr$subject(t, when);
                    case EN -> Templates.reminderEn$subject(t, when);
                    case ES -> Templates.reminderEs$subject(t, when);
                };
                default -> switch (l) {
                    case FR -> Templates.inviteFr$subject(t, when, update);
                    case EN -> Templates.inviteEn$subject(t, when, update);
                    case ES -> Templates.inviteEs$subject(t, when, update);
                };
            };
            subject = title.render().strip();
            body = letter.render();
        } else {
            boolean cancelled = what.equals(CANCEL);
            String when = staffTime(start);
            subject = (switch (l) {
                case FR -> Templates.jobSheetFr$subject(t, r.town(), when, cancelled);
                case EN -> Templates.jobSheetEn$subject(t, r.town(), when, cancelled);
                case ES -> Templates.jobSheetEs$subject(t, r.town(), when, cancelled);
            }).render().strip();
            body = jobSheet(t, r, l, cancelled);
        }
        String ics = null;
        String method = null;
        if (!what.equals(REMINDER)) {
            Invitations.Invitation inv = new Invitations.Invitation(r.uid(), r.sequence(), start,
                    r.endsAt().toInstant(), subject, body, siteText(r),
                    new Invitations.Person(config.mailFrom(), config.mailFromName()),
                    List.of(new Invitations.Person(to, toName)));
            method = what.equals(CANCEL) ? "CANCEL" : "REQUEST";
            ics = what.equals(CANCEL) ? Invitations.cancel(inv) : Invitations.request(inv);
        }
        String messageId = messageId(what, t);
        outbox.enqueue(LETTER, "onsite-mail:" + t.number(), t.id(), customer ? to : null,
                new Letter(to, toName, subject, body, messageId, l, customer, ics, method), now);
    }

    /** A letter's Message-ID, chosen when it is queued (a resend reuses it), in the support mailbox's domain. */
    private String messageId(String what, Ticket t) {
        String from = config.mailFrom();
        return "<onsite." + what + "." + t.number() + "." + UUID.randomUUID() + "@"
                + from.substring(from.indexOf('@') + 1) + ">";
    }

    /** The technician's job sheet, in the desk's language: the request, the site, who to see, what to bring. */
    private String jobSheet(Ticket t, VisitStore.Row r, Language l, boolean cancelled) {
        String when = staffTime(r.startsAt().toInstant());
        String duration = hours(settings.duration());
        boolean exchange = "exchange".equals(t.sla().onSiteKind());
        return (switch (l) {
            case FR -> Templates.jobSheetFr(t, siteText(r), r.contact(), when, duration, r.travelMinutes(), exchange,
                    r.town(), cancelled);
            case EN -> Templates.jobSheetEn(t, siteText(r), r.contact(), when, duration, r.travelMinutes(), exchange,
                    r.town(), cancelled);
            case ES -> Templates.jobSheetEs(t, siteText(r), r.contact(), when, duration, r.travelMinutes(), exchange,
                    r.town(), cancelled);
        }).render();
    }

    // ---- the customer's answers (Visits)

    @Override
    public Optional<Visit> current(long ticketId) {
        return visits.byTicket(ticketId).flatMap(r -> ledger.findById(ticketId).map(t -> view(t.number(), r)));
    }

    @Override
    public boolean answer(long ticketId, Answer answer, String comment, String source) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Ticket t = ledger.lockById(ticketId).orElse(null);
            Optional<VisitStore.Row> row = visits.lock(ticketId);
            if (t == null || row.isEmpty() || (row.get().status() != VisitStore.Status.INVITED
                    && row.get().status() != VisitStore.Status.ACCEPTED)
                    || (answer == Answer.ACCEPTED && row.get().status() == VisitStore.Status.ACCEPTED)) {
                return false; // nothing waits for an answer, or this one was given already
            }
            apply(t, row.get(), answer, comment, source, OffsetDateTime.now(clock));
            return true;
        });
    }

    private void apply(Ticket t, VisitStore.Row r, Answer answer, String comment, String source, OffsetDateTime now) {
        String when = staffTime(r.startsAt().toInstant());
        if (answer == Answer.ACCEPTED) {
            visits.update(r.with(VisitStore.Status.ACCEPTED), now);
            intake.note(t, "on-site-accepted", staff.text("onsite.accepted", "when", when, "source", source), SOURCE,
                    now);
            return;
        }
        VisitStore.Row declined = r.refusing(new Planner.Window(r.startsAt().toInstant(), r.endsAt().toInstant()));
        visits.update(declined.with(VisitStore.Status.PLANNING), now);
        intake.note(t, "on-site-declined", staff.text("onsite.declined", "when", when, "source", source, "comment",
                comment == null || comment.isBlank() ? "" : " « " + comment.strip() + " »"), SOURCE, now);
        outbox.enqueue(PLAN, "onsite:" + t.number(), t.id(), new PlanPayload(t.id()), now);
    }

    @Override
    public String calendarReply(String calendar, String from) {
        Optional<Invitations.Answer> read = Invitations.read(calendar);
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (read.isEmpty() || read.get().uid() == null) {
            QuarkusTransaction.joiningExisting().run(() -> visits.keepReply(null, from,
                    "not an iCalendar reply with an event", calendar, now));
            return "kept: not an iCalendar reply with an event";
        }
        Invitations.Answer a = read.get();
        // joins the mail's own transaction: the reply is applied with its receipt, or not at all
        return QuarkusTransaction.joiningExisting().call(() -> {
            Optional<VisitStore.Row> found = visits.byUid(a.uid());
            if (found.isEmpty()) {
                visits.keepReply(a.uid(), from, "no intervention has this UID", calendar, now);
                return "kept: no intervention has the UID " + a.uid();
            }
            Ticket t = ledger.lockById(found.get().ticketId()).orElseThrow();
            VisitStore.Row r = visits.lock(t.id()).orElseThrow();
            boolean customer = a.attendee() != null && a.attendee().equalsIgnoreCase(t.customerEmail());
            if (a.sequence() < r.sequence() || (r.status() != VisitStore.Status.INVITED
                    && r.status() != VisitStore.Status.ACCEPTED)) {
                visits.keepReply(a.uid(), from, "stale: sequence " + a.sequence() + " of " + r.sequence() + ", "
                        + r.status().code(), calendar, now);
                return "kept: a reply to an earlier version";
            }
            if (!customer) {
                // the technician's own answer: staff read it, the appointment stays
                intake.note(t, "on-site-worker-reply", a.attendee() + ": " + a.partStat(), SOURCE, now);
                return "the worker answered " + a.partStat();
            }
            if ("COUNTER".equals(a.method()) && a.start() != null) {
                return counter(t, r, a, now);
            }
            if ("DECLINED".equals(a.partStat())) {
                apply(t, r, Answer.DECLINED, null, "calendar", now);
                return "declined: a new proposal follows";
            }
            if ("ACCEPTED".equals(a.partStat())) {
                if (r.status() == VisitStore.Status.ACCEPTED) {
                    return "accepted already";
                }
                apply(t, r, Answer.ACCEPTED, null, "calendar", now);
                return "accepted";
            }
            visits.keepReply(a.uid(), from, "answer " + a.partStat() + " kept", calendar, now);
            return "kept: " + a.partStat();
        });
    }

    /** A time the customer proposed: taken when the worker works and is free then, else the next slots offered. */
    private String counter(Ticket t, VisitStore.Row r, Invitations.Answer a, OffsetDateTime now) {
        Optional<FieldTeam.Member> m = team.member(r.worker());
        Planner.Worker w = m.map(this::worker).orElse(null);
        Instant start = a.start();
        boolean free = w != null && withinHours(w, start) && busy(t.id(), now).stream()
                .noneMatch(b -> b.worker().equals(w.code()) && b.from().isBefore(start.plus(settings.duration()))
                        && b.to().isAfter(start));
        String when = staffTime(start);
        if (free && start.isAfter(now.toInstant())) {
            VisitStore.Row moved = r.planned(VisitStore.Status.PROPOSED, r.sequence(), r.worker(), r.workerName(),
                    r.workerKind(), r.workerEmail(), at(start), at(start.plus(settings.duration())), r.travelMinutes());
            invite(t, moved, now);
            intake.note(t, "on-site-countered", staff.text("onsite.countered", "when", when), SOURCE, now);
            return "countered: moved to " + start;
        }
        List<String> slots = new ArrayList<>();
        if (w != null) {
            Instant from = start.isAfter(now.toInstant()) ? start : now.toInstant();
            List<Planner.Busy> busy = new ArrayList<>(busy(t.id(), now));
            busy.add(new Planner.Busy(w.code(), r.startsAt().toInstant(), r.endsAt().toInstant()));
            for (int i = 0; i < 3; i++) {
                Optional<Instant> s = planner.slot(w, 0, new Planner.Need(r.department(), from, null, List.of()), busy);
                if (s.isEmpty()) {
                    break;
                }
                slots.add(OnSiteTexts.when(t.language(), s.get()));
                busy.add(new Planner.Busy(w.code(), s.get(), s.get().plus(settings.duration())));
                from = s.get().plus(settings.duration());
            }
        }
        Language l = t.language();
        String proposed = OnSiteTexts.when(l, start);
        String current = OnSiteTexts.when(l, r.startsAt().toInstant());
        String subject = (switch (l) {
            case FR -> Templates.counterFr$subject(t, proposed);
            case EN -> Templates.counterEn$subject(t, proposed);
            case ES -> Templates.counterEs$subject(t, proposed);
        }).render().strip();
        String body = (switch (l) {
            case FR -> Templates.counterFr(t, proposed, slots, current);
            case EN -> Templates.counterEn(t, proposed, slots, current);
            case ES -> Templates.counterEs(t, proposed, slots, current);
        }).render();
        String messageId = messageId("counter", t);
        outbox.enqueue(LETTER, "onsite-mail:" + t.number(), t.id(), t.customerEmail(), new Letter(t.customerEmail(),
                t.customerName(), subject, body, messageId, l, true, null, null), now);
        intake.note(t, "on-site-counter-refused", staff.text("onsite.counter-refused", "when", when), SOURCE, now);
        return "counter refused: the next slots were offered";
    }

    @Override
    public List<Visit> between(OffsetDateTime from, OffsetDateTime to) {
        List<Visit> out = new ArrayList<>();
        for (VisitStore.Row r : visits.starting(from, to)) {
            ledger.findById(r.ticketId()).ifPresent(t -> out.add(view(t.number(), r)));
        }
        return out;
    }

    // ---- the team changes, reminders

    /** A worker removed: their planned interventions are proposed again (the invited ones are cancelled to them). */
    void workerRemoved(String code, OffsetDateTime now) {
        for (VisitStore.Row v : visits.ofWorker(code, now)) {
            QuarkusTransaction.requiringNew().run(() -> {
                Ticket t = ledger.lockById(v.ticketId()).orElseThrow();
                VisitStore.Row r = visits.lock(t.id()).orElseThrow();
                if (!code.equals(r.worker()) || !open(r.status())) {
                    return;
                }
                intake.note(t, "on-site-worker-removed", staff.text("onsite.worker-removed", "worker", r.workerName(),
                        "when", staffTime(r.startsAt().toInstant())), SOURCE, now);
                requestPlan(t, now);
            });
        }
    }

    /**
     * The watchdog's part: a proposal staff did not accept before its slot began would miss its appointment (and
     * perhaps the deadline): staff are told and a new proposal follows.
     */
    void expireProposals(OffsetDateTime now) {
        for (VisitStore.Row v : visits.expiredProposals(now)) {
            QuarkusTransaction.requiringNew().run(() -> {
                Ticket t = ledger.lockById(v.ticketId()).orElseThrow();
                VisitStore.Row r = visits.lock(t.id()).orElseThrow();
                if (r.status() != VisitStore.Status.PROPOSED || !r.startsAt().isBefore(now)) {
                    return; // accepted or planned again meanwhile (another replica)
                }
                intake.note(t, "on-site-proposal-expired", staff.text("onsite.expired", "when",
                        staffTime(r.startsAt().toInstant())), SOURCE, now);
                requestPlan(t, now);
            });
        }
    }

    /** Reminds the customer and the worker of tomorrow's interventions (the working day before); once each. */
    void remind(OffsetDateTime now) {
        if (!settings.reminders()) {
            return;
        }
        BusinessCalendar desk = calendars.desk();
        LocalDate today = now.atZoneSameInstant(desk.zone()).toLocalDate();
        if (!desk.isBusinessDay(today)) {
            return;
        }
        LocalDate next = today.plusDays(1);
        while (!desk.isBusinessDay(next)) {
            next = next.plusDays(1);
        }
        OffsetDateTime from = next.atStartOfDay(desk.zone()).toOffsetDateTime();
        OffsetDateTime to = next.plusDays(1).atStartOfDay(desk.zone()).toOffsetDateTime();
        for (VisitStore.Row v : visits.toRemind(from, to)) {
            QuarkusTransaction.requiringNew().run(() -> {
                if (!visits.reminded(v.ticketId(), now)) {
                    return; // another replica did
                }
                Ticket t = ledger.findById(v.ticketId()).orElseThrow();
                letter(t, v, t.customerEmail(), t.customerName(), t.language(), true, REMINDER, null, now);
                letter(t, v, v.workerEmail(), v.workerName(), staff.language(), false, REMINDER, null, now);
                intake.note(t, "on-site-reminded", staff.text("onsite.reminded", "when",
                        staffTime(v.startsAt().toInstant())), SOURCE, now);
            });
        }
    }

    // ---- wording

    private Visit view(String number, VisitStore.Row r) {
        String region = Departments.byCode(r.department()).map(Departments.Department::region).orElse(null);
        Boolean onTime = r.dueAt() == null || r.startsAt() == null ? null : !r.startsAt().isAfter(r.dueAt());
        return new Visit(r.ticketId(), number, r.status().code(), r.workerName(), r.workerKind(), r.startsAt(),
                r.endsAt(), r.travelMinutes(), r.address(), r.postcode(), r.town(), r.department(), region,
                r.sequence(), onTime);
    }

    private static String siteText(VisitStore.Row r) {
        if (r.address() == null && r.town() == null) {
            return "?";
        }
        return (r.address() == null ? "" : r.address() + ", ") + (r.postcode() == null ? "" : r.postcode() + " ")
                + (r.town() == null ? "" : r.town());
    }

    private String baseText(List<FieldTeam.Member> members, Planner.Worker w) {
        return members.stream().filter(m -> m.code().equals(w.code())).findFirst().map(FieldTeam.Member::basePostcode)
                .map(p -> p + Departments.ofPostcode(p).map(d -> " (" + d.name() + ")").orElse("")).orElse("?");
    }

    private String staffTime(Instant at) {
        return staff.time(at.atZone(calendars.desk().zone()));
    }

    private static String hours(Duration d) {
        long m = d.toMinutes();
        return m % 60 == 0 ? m / 60 + " h" : m / 60 + " h " + String.format("%02d", m % 60);
    }

    private static OffsetDateTime at(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
