package com.esii.support.hub.ticket;

import java.time.OffsetDateTime;

/**
 * What happened to a ticket, as the core records it. Each event is fired synchronously (CDI
 * {@code Event<TicketEvent>}) inside the transaction that records it, right after its ledger rows: the
 * integrations ({@code jira}, {@code erp}, {@code oncall}, {@code mail}) observe the events they need and queue
 * their outbox rows and Quartz jobs in that same transaction, so those commit with the ticket or not at all. A
 * subscriber that fails rolls the whole change back.
 *
 * <p>Subscribers that write to the same outbox lane, or whose rows must follow another's, order themselves with
 * {@code @Priority} on the observed parameter (lower first).
 */
public sealed interface TicketEvent {

    /** The ticket as it stands after the event. */
    Ticket ticket();

    /** When it happened. */
    OffsetDateTime at();

    /**
     * A new ticket, its first message and attachments are stored (history: {@code triaged}).
     *
     * @param accessToken      the ticket's access token, in clear (only the acknowledgement may carry it)
     * @param acknowledge      whether the customer is to be answered with the ticket's number
     * @param inboundMessageId the Message-ID of the mail that opened it, if any
     * @param ackInReplyTo     the Message-ID the acknowledgement answers, if any (threading)
     */
    /** @param withAttachments whether its first message came with files (a fact that never changes) */
    record Opened(Ticket ticket, String accessToken, boolean acknowledge, String inboundMessageId,
            String ackInReplyTo, OffsetDateTime at, boolean withAttachments) implements TicketEvent {
    }

    /** Who may see a message in the ticket's request: staff and the customer, or staff only. */
    enum Visibility {
        PUBLIC, INTERNAL
    }

    /**
     * A message was added to an existing ticket (no history row: the message is in the ticket's messages).
     *
     * @param messageId       the message's row ({@code ticket_message}), which holds its attachments
     * @param direction       {@code IN} (from the customer) or {@code OUT}
     * @param comment         what the ticket's request shows of it: the customer's text when public, a note for
     *                        staff when internal (an automatic reply or a bounce recorded silently)
     * @param withAttachments whether the message carries attachments
     * @param author          who wrote it (the customer or a participant), for a customer's message; else null
     */
    record MessageAdded(Ticket ticket, long messageId, String direction, Channel channel, Visibility visibility,
            String comment, boolean withAttachments, Author author, OffsetDateTime at) implements TicketEvent {
    }

    /**
     * Support's step applied to the ticket (history: the step's code, e.g. {@code taken-in-charge},
     * {@code resolved}, {@code reopened}).
     *
     * @param before the ticket before the step
     * @param note   the history row's detail
     * @param source who said so: {@code admin}, {@code jira}, {@code customer}…
     */
    record StepRecorded(Ticket ticket, Ticket before, Step step, String note, String source, OffsetDateTime at)
            implements TicketEvent {
    }

    /**
     * The ticket was triaged again once the ERP answered (history: {@code retriaged}).
     *
     * @param description the new triage as the history records it (staff's comment is written from the ticket, in
     *                    the desk's language)
     */
    record Retriaged(Ticket ticket, String description, OffsetDateTime at) implements TicketEvent {
    }

    /**
     * A note for staff only, written by the hub (history: {@code kind}; the ticket's request shows it as an internal
     * comment), e.g. that a mail naming another ticket came from someone who may not write into that one.
     */
    record Noted(Ticket ticket, String kind, String note, OffsetDateTime at) implements TicketEvent {
    }

    /**
     * Staff wrote the hub an instruction in the ticket's request: a comment whose first line is {@code /verb
     * argument}, e.g. {@code /onsite accept} (no history row here: the edge that acts on it records what it did).
     *
     * @param by who wrote it (their display name)
     */
    record Instructed(Ticket ticket, String verb, String argument, String by, OffsetDateTime at)
            implements TicketEvent {
    }

    /**
     * Staff's news the customer is to be told by mail (no history row here: the source records its own), e.g. from
     * Jira: a public reply, the resolution, a workaround, a fix delivered.
     *
     * @param kind      agent-reply, resolved, workaround, fix-delivered, waiting
     * @param text      staff's words, if any
     * @param ref       what the news names (the resolution, the version), if any
     * @param messageId the mail's Message-ID, chosen now so that a resend reuses it
     */
    record CustomerNews(Ticket ticket, String kind, String text, String author, String ref, String messageId,
            OffsetDateTime at) implements TicketEvent {
    }

    /**
     * The customer answered "how did we do?" on a resolved ticket, from the closing mail's link or the request page
     * (history: {@value Satisfaction#HISTORY}; once per ticket, see {@link Satisfaction}).
     *
     * @param rating  1 (very poor) to 5 (excellent)
     * @param comment the customer's words as typed (capped; escape them wherever they are shown), or null
     * @param poor    the rating is at or below {@code hub.satisfaction.poor-at-most}: the desk is to be alerted
     */
    record SatisfactionGiven(Ticket ticket, int rating, String comment, boolean poor, OffsetDateTime at)
            implements TicketEvent {
    }
}
