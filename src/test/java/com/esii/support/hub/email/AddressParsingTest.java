package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.esii.support.hub.mailkit.MailAddresses;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.StaffTexts;

/**
 * Address headers as tables: what RFC 5322/6532 mailbox lists, and the broken forms real mailers write, give
 * (mime4j's parser through {@link MailAddresses}); whom the hub answers, or why nobody ({@link Correspondent}); and
 * what a delivery report's recipients mean ({@link DeliveryReport}).
 */
class AddressParsingTest {

    /** {@code ¦} stands for the separator between mailboxes (a comma would split the CSV). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            // header value | mailboxes: address=name, separated by ¦
            "jane@customer.example | jane@customer.example=NONE",
            "Jane Doe <jane@customer.example> | jane@customer.example=Jane Doe",
            "\"Doe, Jane\" <jane@customer.example> | jane@customer.example=Doe, Jane",
            "\"Giant; \\\"Big\\\" Box\" <sysservices@example.net> | sysservices@example.net=Giant; \"Big\" Box",
            "Jane Doe <JANE.DOE@Customer.EXAMPLE> | jane.doe@customer.example=Jane Doe",
            // comments anywhere (RFC 5322 A.5), the obsolete comment-as-name form
            "<pete(his account)@silly.test(his host)> | pete@silly.test=NONE",
            "Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)> | pete@silly.test=Pete",
            "joe@example.com (Joe Smith) | joe@example.com=Joe Smith",
            // obsolete forms (RFC 5322 section 4): spaces around dots and @, a route, a comment in the domain
            "John Doe <jdoe@machine(comment).  example> | jdoe@machine.example=John Doe",
            "Jane <jane @ example . com> | jane@example.com=Jane",
            "Mary Smith <@node.test:mary@example.net> | mary@example.net=Mary Smith",
            // lists and groups
            "Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test> | mary@x.test=Mary Smith¦jdoe@example.org=NONE¦one@y.test=Who?",
            "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>; | c@a.test=Ed Jones¦joe@where.test=NONE¦jdoe@one.test=John",
            "Undisclosed recipients:; | NONE",
            "Mikel Lindsaar <test@lindsaar.net>, jack@lindsar.com | test@lindsaar.net=Mikel Lindsaar¦jack@lindsar.com=NONE",
            // encoded words (RFC 2047) and raw UTF-8 (RFC 6532), an internationalised domain
            "=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de> | joerg@example.de=Jörg Müller",
            "=?iso-8859-1?Q?J=F8rn_St=F8ylen?= <jorn@prikkprikkprikk.no> | jorn@prikkprikkprikk.no=Jørn Støylen",
            "Jörg Müller <joerg@example.de> | joerg@example.de=Jörg Müller",
            "\"Jöhn Doe\" <jdöe@mächine.example> | jdöe@mächine.example=Jöhn Doe",
            "用户 <用户@例子.广告> | 用户@例子.广告=用户",
            "Jörg <joerg@XN--EXMPLE-CUA.DE> | joerg@exämple.de=Jörg",
            // quoted local parts keep their quotes
            "\"john doe\"@example.com | \"john doe\"@example.com=NONE",
            // what mailers write without the punctuation: repaired, then read by the same grammar
            "Big Bug bb@bug.com | bb@bug.com=Big Bug",
            "tim@powerupdev.com concierge@powerupdev.com | tim@powerupdev.com=NONE¦concierge@powerupdev.com=NONE",
            "John Doe <john@example.com | john@example.com=John Doe",
            // nothing to read
            "<> | NONE",
            "undisclosed | NONE",
            "   | NONE",
    })
    void headersAreReadAsMailboxLists(String header, String expected) {
        String got = MailAddresses.parse(header).stream()
                .map(m -> m.address() + "=" + (m.name() == null ? "NONE" : m.name()))
                .collect(Collectors.joining("¦"));
        assertEquals(expected == null ? "" : expected, got);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            // address | why the hub cannot answer it (NONE: it can)
            "jane@customer.example | NONE",
            "jdöe@mächine.example | NONE",
            "joerg@exämple.de | NONE",
            "\"john doe\"@example.com | NONE",
            "john.smith@example.com. | NONE",
            "jdoe@machine | jdoe@machine has no dot-qualified domain",
            "root@localhost | root@localhost has no dot-qualified domain",
            "john@[192.0.2.1] | john@[192.0.2.1] names a host by its IP address, not by a domain name",
            "x@bad_domain.example | x@bad_domain.example: bad_domain.example is not a valid domain name",
            "x@-dash.example | x@-dash.example: -dash.example is not a valid domain name",
            "x@a..example | x@a..example: a..example is not a valid domain name",
            "x@1.2.3.4 | x@1.2.3.4: 1.2.3.4 is not a domain name",
    })
    void onlyAddressesAtADomainNameAreAnswered(String address, String why) {
        List<MailAddresses.Mailbox> m = MailAddresses.parse(address);
        assertEquals(1, m.size(), m.toString());
        assertEquals(why, MailAddresses.unanswerable(m.get(0)).orElse(null));
    }

    @Test
    void anAddressWithALocalPartTooLongForMailServersIsNotAnswered() {
        MailAddresses.Mailbox m = MailAddresses.parse("a".repeat(65) + "@customer.example").get(0);
        assertTrue(MailAddresses.unanswerable(m).orElseThrow().contains("longer than mail servers accept"));
    }

    @ParameterizedTest(name = "{0} / {1} / {2}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            // From | Sender | Reply-To | answered address | customer name | why not answered (NONE: answered)
            "Jane Doe <jane@customer.example> | NONE | NONE | jane@customer.example | Jane Doe | NONE",
            "Big Bug bb@bug.com | NONE | NONE | bb@bug.com | Big Bug | NONE",
            "=?UTF-8?Q?Caf=C3?= =?UTF-8?Q?=A9_cr=C3=A8me?= <cafe@customer.example> | NONE | NONE | cafe@customer.example | Café crème | NONE",
            "=?unknown-charset?Q?caf=E9?= <cafe@customer.example> | NONE | NONE | cafe@customer.example | café | NONE",
            "Mary Smith <mary@example.net> | NONE | \"Mary Smith: Personal Account\" <smith@home.example> | smith@home.example | Mary Smith: Personal Account | NONE",
            "Atsushi Yoshida <atsushi@example.com> | NONE | rudeboyjet@gmail.com | rudeboyjet@gmail.com | Atsushi Yoshida | NONE",
            // a Reply-To the hub cannot answer, or that names several mailboxes, is passed over for From
            "Jane <jane@customer.example> | NONE | jane@machine | jane@customer.example | Jane | NONE",
            "Jane <jane@customer.example> | NONE | a@x.example, b@y.example | jane@customer.example | Jane | NONE",
            // several authors: the Sender wrote it; without one, nobody can tell
            "Mikel Lindsaar <test@lindsaar.net>, jack@lindsar.com | NONE | NONE | NONE | Mikel Lindsaar <test@lindsaar.net>, jack@lindsar.com | From names 2 mailboxes (test@lindsaar.net, jack@lindsar.com) and no Sender says which one wrote it",
            "tim@powerupdev.com concierge@powerupdev.com | NONE | tim@powerupdev.com concierge@powerupdev.com | NONE | tim@powerupdev.com concierge@powerupdev.com | From names 2 mailboxes (tim@powerupdev.com, concierge@powerupdev.com) and no Sender says which one wrote it",
            "a@x.example, b@x.example | Bea <b@x.example> | NONE | b@x.example | Bea | NONE",
            "a@x.example, b@x.example | NONE | help@x.example | help@x.example | help | NONE",
            // an address nobody can answer
            "John Doe <jdoe@machine> | NONE | NONE | NONE | John Doe <jdoe@machine> | jdoe@machine has no dot-qualified domain",
            "\"root@localhost\" <root@localhost> | NONE | NONE | NONE | root@localhost <root@localhost> | root@localhost has no dot-qualified domain",
            "undisclosed sender | NONE | NONE | NONE | undisclosed sender | From \"undisclosed sender\" names no mailbox",
            "NONE | NONE | NONE | NONE | (unknown sender) | no sender address",
            // no From: the Sender, then the Reply-To
            "NONE | Secretary <sec@customer.example> | NONE | sec@customer.example | Secretary | NONE",
            "NONE | NONE | desk@customer.example | desk@customer.example | desk | NONE",
    })
    void theHubAnswersReplyToThenTheAuthorOrSaysWhyNobody(String from, String sender, String replyTo,
            String answered, String name, String why) {
        Correspondent c = Correspondent.of(from, sender, replyTo);
        assertEquals(answered == null ? "" : answered, c.customerEmail());
        assertEquals(name, c.customerName());
        assertEquals(why, c.notAnswered());
    }

    @Test
    void aReplyToNamingTheSupportMailboxItselfIsPassedOver() throws Exception {
        String raw = "From: Jane <jane@customer.example>\r\nReply-To: Support <SUPPORT@example.com>\r\n"
                + "Subject: s\r\n\r\nbody\r\n";
        ParsedMail m = MailParser.parse(raw.getBytes(StandardCharsets.US_ASCII));
        assertEquals("jane@customer.example", Correspondent.of(m, "support@example.com").customerEmail());
        assertEquals("support@example.com", Correspondent.of(m).customerEmail());
    }

    @Test
    void rawUtf8HeaderBytesAsJakartaMailReadsThemAreDecoded() {
        // Jakarta Mail gives header bytes as Latin-1 characters; the address must come out whole, not garbled.
        String latin1View = new String("\"Jöhn Doe\" <jdöe@mächine.example>".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
        Correspondent c = Correspondent.of(latin1View, null, null);
        assertEquals("jdöe@mächine.example", c.customerEmail());
        assertEquals("Jöhn Doe", c.customerName());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            // corpus file | author's address as the parsed mail gives it | answered | why not
            "mail-gem/plain_emails/mix_caps_content_type.eml | bb@bug.com | bb@bug.com | NONE",
            "mail-gem/rfc2822/example10.eml | pete@silly.test | pete@silly.test | NONE",
            "mail-gem/rfc2822/example13.eml | jdoe@machine.example | jdoe@machine.example | NONE",
            "mail-gem/rfc2822/example06.eml | mary@example.net | smith@home.example | NONE",
            "mail-gem/rfc6532/utf8_headers.eml | jdöe@mächine.example | jdöe@mächine.example | NONE",
            "mail-gem/plain_emails/raw_email_multiple_from.eml | tim@powerupdev.com | NONE | From names 2 mailboxes (tim@powerupdev.com, concierge@powerupdev.com) and no Sender says which one wrote it",
            "mail-gem/plain_emails/raw_email_with_at_display_name.eml | test@lindsaar.net | NONE | From names 2 mailboxes (test@lindsaar.net, jack@lindsar.com) and no Sender says which one wrote it",
            "mail-gem/error_emails/bad_subject.eml | carol@mysurvey.com | carol@reply.mysurvey.com | NONE",
            "rt/new-ticket-from-gb18030 | root@localhost | NONE | root@localhost has no dot-qualified domain",
    })
    void corpusSendersAreReadWhole(String file, String from, String answered, String why) throws Exception {
        ParsedMail m = MailParser.parse(Files.readAllBytes(Path.of("src/test/resources/corpus/emails", file)));
        assertEquals(from, m.fromAddress());
        Correspondent c = Correspondent.of(m);
        assertEquals(answered == null ? "" : answered, c.customerEmail());
        assertEquals(why, c.notAnswered());
    }

    @Test
    void theCanonicalFormOfOneAddressIsWhatIntakeStores() {
        assertEquals("jane.doe@customer.example", MailAddresses.canonical(" <Jane.Doe@Customer.Example> "));
        assertEquals("joerg@exämple.de", MailAddresses.canonical("joerg@xn--exmple-cua.de"));
        assertNull(MailAddresses.canonical("  "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            // per-recipient block (\n between lines) | recipient as staff read it | failed for good
            "Final-Recipient: rfc822; jane@customer.example\\nAction: failed\\nStatus: 5.1.1\\nDiagnostic-Code: smtp; 550 5.1.1 user unknown | jane@customer.example failed (5.1.1: 550 5.1.1 user unknown) | true",
            "Final-Recipient: RFC822; <Jane@Customer.Example>\\nOriginal-Recipient: rfc822;jane@customer.example\\nAction: failed\\nStatus: 5.3.0 | jane@customer.example failed (5.3.0) | true",
            "Final-Recipient: rfc822; jane@customer.example\\nAction: delayed\\nStatus: 4.4.1\\nWill-Retry-Until: Fri, 27 Nov 2026 10:00:00 +0100 | jane@customer.example delayed (4.4.1) | false",
            "Final-Recipient: rfc822; jane@customer.example\\nAction: relayed\\nStatus: 2.0.0 | jane@customer.example relayed (2.0.0) | false",
            "Final-Recipient: rfc822; list@customer.example\\nAction: expanded\\nStatus: 2.0.0 | list@customer.example expanded (2.0.0) | false",
            "Final-Recipient: rfc822; jane@customer.example\\nAction: delivered\\nStatus: 2.0.0 | jane@customer.example delivered (2.0.0) | false",
            "Final-Recipient: rfc822; jane@customer.example\\nAction: failed\\nStatus: 4.4.7 | jane@customer.example failed (4.4.7) | false",
            "Final-Recipient: rfc822; jane@customer.example\\nAction: FAILED (permanent)\\nStatus: 5.1.1 (bad mailbox) | jane@customer.example failed (5.1.1) | true",
            "Final-Recipient: utf-8; j\\x{F6}rg@customer.example\\nAction: failed\\nStatus: 5.1.1 | jörg@customer.example failed (5.1.1) | true",
            "Final-Recipient: rfc822; jane@customer.example\\nStatus: 5.1.1 | jane@customer.example unknown (5.1.1) | false",
    })
    void onlyAPermanentFailureStopsMail(String block, String described, boolean failed) {
        String body = "Reporting-MTA: dns; mx.customer.example\r\nArrival-Date: Thu, 26 Nov 2026 10:00:00 +0100\r\n\r\n"
                + block.replace("\\n", "\r\n") + "\r\n";
        List<DeliveryReport.Recipient> r = DeliveryReport.parse(body.getBytes(StandardCharsets.UTF_8), true);
        assertEquals(1, r.size(), r.toString());
        assertEquals(described, r.get(0).describe());
        assertEquals(failed, r.get(0).failedForGood());
    }

    /**
     * A header read again (a mail's From is read five or six times on its way, the sender's next mail reads it
     * again) is not parsed again: the same answer, which no caller can change (issue 29).
     */
    @Test
    void aHeaderReadAgainIsTheSameAnswerReadOnce() {
        String header = "\"Doe, Jane\" <jane." + System.nanoTime() + "@customer.example>";
        List<MailAddresses.Mailbox> first = MailAddresses.parse(header);
        assertEquals(1, first.size());
        assertTrue(first == MailAddresses.parse(header), "read once");
        assertThrows(UnsupportedOperationException.class, () -> first.add(null));
        assertEquals(List.of(), MailAddresses.parse("   "));
    }

    @Test
    void aReportOnSeveralRecipientsStopsOnlyTheFailedOnes() throws Exception {
        String raw = "From: MAILER-DAEMON@mx.customer.example\r\nTo: support@example.com\r\nSubject: Delivery Status\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n"
                + "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.customer.example\r\n\r\n"
                + "Final-Recipient: rfc822; gone@customer.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
                + "Final-Recipient: rfc822; slow@customer.example\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n"
                + "--b--\r\n";
        ParsedMail m = MailParser.parse(raw.getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of("gone@customer.example"), m.failedRecipients());
        assertEquals(2, m.deliveryStatus().size());
        // staff's note is in the desk's language: English when hub.desk.language says so...
        String note = DeliveryReport.note(m.deliveryStatus(), new StaffTexts(Language.EN));
        assertTrue(note.contains("gone@customer.example failed (5.1.1)"), note);
        assertTrue(note.contains("slow@customer.example delayed (4.4.1)"), note);
        assertTrue(note.contains("No more automatic mail goes to gone@customer.example"), note);
        assertTrue(!note.contains("goes to gone@customer.example, slow"), note);
        // ...French by default
        assertEquals("Rapport de remise : gone@customer.example en échec (5.1.1) ; slow@customer.example retardé"
                + " (4.4.1). Plus aucun mail automatique n'est envoyé à gone@customer.example (un administrateur peut"
                + " lever ce blocage : /admin/mail/suppressions). Un retard signifie seulement que les serveurs de"
                + " messagerie continuent d'essayer : rien n'est bloqué.",
                DeliveryReport.note(m.deliveryStatus(), new StaffTexts(Language.FR)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // corpus delivery report | addresses it stops (;-separated, empty: none)
            "mail-gem/multipart_report_emails/report_422.eml | ''",
            "mail-gem/mime_emails/raw_email_with_mimepart_without_content_type.eml | ''",
            "mail-gem/multipart_report_emails/report_530.eml | edwin@zzzzzzz.com",
            "mail-gem/multipart_report_emails/multipart_report_multiple_status.eml | u@ci.com",
            "rt/multipart-report | jesmund@mailbox.other.example.com",
    })
    void corpusDelayedReportsStopNothing(String file, String stopped) throws Exception {
        ParsedMail m = MailParser.parse(Files.readAllBytes(Path.of("src/test/resources/corpus/emails", file)));
        assertEquals(stopped.isEmpty() ? List.of() : List.of(stopped.split(";")), m.failedRecipients());
        assertTrue(!m.deliveryStatus().isEmpty());
    }
}
