package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decoded sender, subject, text and attachment names of the corpus's charset, attachment and broken-header cases,
 * checked against what a person reading each message sees.
 */
class MailParserCorpusTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            // file | sender | subject | start of the new text | attachment names (;-separated)
            "mail-gem/attachment_emails/attachment_nonascii_filename.eml | foo@example.com | testing | This is the first part. | ciële.txt",
            "mail-gem/attachment_emails/attachment_with_base64_encoded_name.eml | xxxxxxxxx.xxxxxxx@gmail.com | Fwd: Signed email causes file attachments | We should not include | This is a test.pdf",
            "mail-gem/attachment_emails/attachment_pdf_non_ascii.eml | xxxx@xxxx.com | Another PDF with 🎉 Unicode chars in it 🍿 | Just attaching another PDF | broken.pdf",
            "mail-gem/attachment_emails/attachment_message_rfc822_inline_image.eml | test@example.com | test | NONE | img.png;Testmail.eml",
            "mail-gem/multi_charset/japanese.eml | raasdnil@gmail.com | まみむめも | かきくえこ | NONE",
            "mail-gem/multi_charset/japanese_iso_2022.eml | raasdnil@gmail.com | まみむめも | すみません。 | NONE",
            "mail-gem/multi_charset/japanese_shift_jis.eml | xxxxxxx@docomo.ne.jp | test | あいうえお | NONE",
            "mail-gem/multi_charset/ks_c_5601-1987.eml | from@example.com | test | 스티해 | NONE",
            "mail-gem/multi_charset/japanese_attachment_long_name.eml | mikel@test.lindsaar.net | まみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめも | NONE | かきくけこかきくけこかきくけこかきくけこかきくけこ.txt",
            "rt/new-ticket-from-gb18030 | root@localhost | 测试 | 测试 | NONE",
            "rt/new-ticket-from-iso-8859-1 | hw@nordkapp.net | Re: rt-3.0.3pre1 | Håvard | NONE",
            "rt/rfc2231-attachment-filename-continuations | root@localhost | Client ? Japanese Attachment Name issue | Some data in a file | 新しいテキスト ドキュメント.txt",
            "rt/subject-with-folding-ws | foo@example.com | test | test | NONE",
            "rt/text-html-with-umlaut | gst@example.com | An example of mail containing text-html with an umlaut in the content | Hello, | NONE",
            "rt/8859-15-message-series/msg1 | pape@inf.fu-berlin.de | test äöüßÄÖÜß€ | test nochmal in anderer Queue | NONE",
            "mail-gem/error_emails/bad_encoded_subject.eml | NONE | TEST | TEST | NONE"
    })
    void decodesWhatAPersonSees(String file, String sender, String subject, String text, String attachments)
            throws Exception {
        ParsedMail m = MailParser.parse(Files.readAllBytes(Path.of("src/test/resources/corpus/emails", file)));
        assertEquals(sender, m.fromAddress());
        assertEquals(subject, m.subject());
        if (text != null) {
            assertTrue(m.newText().startsWith(text), m.newText());
        }
        List<String> names = m.attachments().stream().map(ParsedMail.Attachment::filename).toList();
        assertEquals(attachments == null ? List.of() : Arrays.asList(attachments.split(";")), names);
    }

    @org.junit.jupiter.api.Test
    void htmlMailIsSanitisedAndTheUmlautKept() throws Exception {
        ParsedMail m = MailParser.parse(Files.readAllBytes(Path.of("src/test/resources/corpus/emails/rt/text-html-with-umlaut")));
        assertTrue(m.newText().contains("Mit freundlichen Grüßen"), m.newText());
        assertTrue(!m.newText().contains("<"), m.newText());
    }
}
