package com.esii.support.hub.email;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.esii.support.hub.mailkit.MailAddresses.Mailbox;
import com.esii.support.hub.mailkit.MailAddresses;

/**
 * Who wrote a mail and whom the hub answers, from its From, Sender and Reply-To read as RFC 5322 mailbox lists
 * ({@link MailAddresses}).
 *
 * <ul>
 * <li>The <b>author</b> is the From mailbox; when From names several, the Sender (RFC 5322 section 3.6.2 requires
 * one then), and nobody without a Sender; when From is missing or names no mailbox, the Sender, then the
 * Reply-To.</li>
 * <li>The hub <b>answers</b> the Reply-To mailbox when Reply-To names exactly one that the hub can answer (the
 * support mailbox itself does not count), else the author when the hub can answer them ({@link MailAddresses#unanswerable}); otherwise nobody, and
 * {@link #notAnswered} says why.</li>
 * </ul>
 *
 * @param author      who wrote it, null when that cannot be told
 * @param answerTo    whom the acknowledgement and the later mails of the ticket go to, null when nobody
 * @param notAnswered why nobody is answered (null when someone is)
 * @param fromHeader  the From header as text, for staff when no mailbox could be read from it
 */
public record Correspondent(Mailbox author, Mailbox answerTo, String notAnswered, String fromHeader) {

    /** Reads the From, Sender and Reply-To of a mail. */
    public static Correspondent of(ParsedMail m) {
        return of(m.header("From"), m.header("Sender"), m.header("Reply-To"), null);
    }

    /** As {@link #of(ParsedMail)}; a Reply-To naming {@code ourAddress} (the support mailbox) is passed over. */
    public static Correspondent of(ParsedMail m, String ourAddress) {
        return of(m.header("From"), m.header("Sender"), m.header("Reply-To"), ourAddress);
    }

    /** From raw header values (Jakarta Mail's Latin-1 view of the bytes; raw UTF-8 is recognised). */
    static Correspondent of(String from, String sender, String replyTo) {
        return of(from, sender, replyTo, null);
    }

    private static Correspondent of(String from, String sender, String replyTo, String ourAddress) {
        List<Mailbox> froms = mailboxes(from);
        List<Mailbox> senders = mailboxes(sender);
        String ours = ourAddress == null ? null : MailAddresses.canonical(ourAddress);
        List<Mailbox> replyTos = mailboxes(replyTo).stream().filter(m -> !m.address().equals(ours)).toList();
        String fromText = from == null ? null : cut(EncodedWords.decode(from), 300);

        Mailbox author = null;
        String why = null;
        if (froms.size() == 1) {
            author = froms.get(0);
        } else if (froms.size() > 1) {
            if (senders.size() == 1) {
                author = senders.get(0);
            } else {
                why = "From names " + froms.size() + " mailboxes (" + list(froms) + ") and no Sender says which"
                        + " one wrote it";
            }
        } else if (senders.size() == 1) {
            author = senders.get(0);
        } else if (replyTos.size() == 1) {
            author = replyTos.get(0);
        } else if (from == null || fromText.isBlank()) {
            why = "no sender address";
        } else {
            why = "From \"" + fromText + "\" names no mailbox";
        }

        if (replyTos.size() == 1 && MailAddresses.unanswerable(replyTos.get(0)).isEmpty()) {
            return new Correspondent(author, replyTos.get(0), null, fromText);
        }
        if (author != null) {
            Optional<String> unanswerable = MailAddresses.unanswerable(author);
            if (unanswerable.isEmpty()) {
                return new Correspondent(author, author, null, fromText);
            }
            why = unanswerable.get();
        }
        return new Correspondent(author, null, why, fromText);
    }

    /** The address the ticket's customer is known by: the answered one, or none. */
    public String customerEmail() {
        return answerTo == null ? "" : answerTo.address();
    }

    /** The name the ticket's customer is known by; when nobody can be answered, what the mail says of its sender. */
    public String customerName() {
        if (answerTo != null) {
            if (answerTo.name() != null) {
                return answerTo.name();
            }
            if (author != null && author.name() != null) {
                return author.name();
            }
            return answerTo.localPart();
        }
        if (author != null) {
            return author.toString();
        }
        return fromHeader == null || fromHeader.isBlank() ? "(unknown sender)" : fromHeader;
    }

    /** What staff should know when the answered address is not the author's (Reply-To), else empty. */
    public Optional<String> replyToNote() {
        if (answerTo == null || author == null || author.address().equals(answerTo.address())) {
            return Optional.empty();
        }
        return Optional.of("The mail from " + author.address() + " asks for answers at " + answerTo.address()
                + " (Reply-To): the hub writes there.");
    }

    /** The first mailbox of From (the author when there is one), as the mail's sender for records and machine checks. */
    static Mailbox sender(String from, String sender, String replyTo) {
        Correspondent c = of(from, sender, replyTo);
        if (c.author() != null) {
            return c.author();
        }
        List<Mailbox> froms = mailboxes(from);
        return froms.isEmpty() ? null : froms.get(0);
    }

    private static List<Mailbox> mailboxes(String header) {
        if (header == null) {
            return List.of();
        }
        // mime4j leaves an encoded word in an unknown charset as it is; EncodedWords falls back to windows-1252
        return MailAddresses.parse(text(header)).stream()
                .map(m -> m.name() == null || !m.name().contains("=?") ? m
                        : new Mailbox(m.localPart(), m.domain(), EncodedWords.decode(m.name())))
                .toList();
    }

    private static String text(String header) {
        return EncodedWords.utf8IfValid(EncodedWords.unfold(header));
    }

    private static String list(List<Mailbox> boxes) {
        return boxes.stream().map(Mailbox::address).collect(Collectors.joining(", "));
    }

    private static String cut(String s, int max) {
        String clean = s.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() <= max ? clean : clean.substring(0, max) + "...";
    }
}
