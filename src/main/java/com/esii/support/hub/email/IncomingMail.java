package com.esii.support.hub.email;

import java.time.OffsetDateTime;

import com.esii.support.hub.ticket.Ticket;

/**
 * One mail on its way through the email channel's intake route ({@code routes/email.yaml}, {@code email-intake}):
 * what each step learnt about it, for the next step to use.
 */
public final class IncomingMail {

    private final byte[] raw;
    private final SpooledMail spooled;
    private final String mailbox;
    private final Runnable fence;
    private OffsetDateTime receivedAt;
    private boolean tooLarge;
    private ParsedMail parsed;
    private String key;
    private Long rawId;
    private Ticket thread;
    private Ticket named;
    private MachineMailGuard.Finding machine;
    private MailIntake.Outcome outcome;
    private SenderLookAhead.Sender sender;

    /**
     * @param fence runs last inside the mail's transaction: the leader checks there that it still holds the
     *              mailbox's lease (if not it throws, and nothing is committed)
     */
    public IncomingMail(byte[] raw, String mailbox, Runnable fence) {
        this.raw = raw;
        this.spooled = null;
        this.mailbox = mailbox;
        this.fence = fence == null ? () -> { } : fence;
    }

    /** A mail over the size cap, kept in a temporary file rather than in memory (only its headers are read). */
    public IncomingMail(SpooledMail spooled, String mailbox, Runnable fence) {
        this.raw = null;
        this.spooled = spooled;
        this.mailbox = mailbox;
        this.fence = fence == null ? () -> { } : fence;
    }

    /** The whole mail; null for a {@linkplain #spooled() spooled} one. */
    public byte[] raw() {
        return raw;
    }

    /** The mail in its temporary file when it is too large to be held in memory; else null. */
    public SpooledMail spooled() {
        return spooled;
    }

    /** Its size in bytes. */
    public long size() {
        return spooled != null ? spooled.size() : raw.length;
    }

    public String mailbox() {
        return mailbox;
    }

    Runnable fence() {
        return fence;
    }

    /** What the batch's look-ahead learnt of its sender ({@link SenderLookAhead}), or null. */
    SenderLookAhead.Sender sender() {
        return sender;
    }

    void setSender(SenderLookAhead.Sender sender) {
        this.sender = sender;
    }

    public OffsetDateTime receivedAt() {
        return receivedAt;
    }

    void setReceivedAt(OffsetDateTime at) {
        this.receivedAt = at;
    }

    /** Over {@code hub.mail.max-size}: kept and answered politely, never parsed whole. */
    public boolean isTooLarge() {
        return tooLarge;
    }

    void setTooLarge(boolean tooLarge) {
        this.tooLarge = tooLarge;
    }

    public ParsedMail parsed() {
        return parsed;
    }

    void setParsed(ParsedMail parsed) {
        this.parsed = parsed;
    }

    /** What makes two deliveries the same mail (Message-ID and content): the idempotent consumer's key. */
    public String getKey() {
        return key;
    }

    void setKey(String key) {
        this.key = key;
    }

    Long rawId() {
        return rawId;
    }

    void setRawId(Long rawId) {
        this.rawId = rawId;
    }

    /** The ticket the mail answers (by our number in its subject, its References, or its text), or null. */
    public Ticket getThread() {
        return thread;
    }

    void setThread(Ticket thread) {
        this.thread = thread;
    }

    /**
     * A ticket the mail names (by number or headers) whose customer and participants do not include its sender: it
     * is not threaded there, and the new ticket it opens names that one for staff. Null otherwise.
     */
    public Ticket getNamed() {
        return named;
    }

    void setNamed(Ticket named) {
        this.named = named;
    }

    /** Whether it is a calendar's answer to one of the hub's invitations (iMIP REPLY or COUNTER). */
    public boolean isCalendarReply() {
        return parsed() != null && parsed().calendarReply();
    }

    /** What kind of machine wrote it ({@code OWN_MAIL}, {@code BOUNCE}, {@code AUTO_REPLY}...), or null: a person. */
    public String getMachine() {
        return machine == null ? null : machine.kind().name();
    }

    MachineMailGuard.Finding machineFinding() {
        return machine;
    }

    void setMachine(MachineMailGuard.Finding machine) {
        this.machine = machine;
    }

    public MailIntake.Outcome outcome() {
        return outcome;
    }

    void setOutcome(MailIntake.Outcome outcome) {
        this.outcome = outcome;
    }
}
