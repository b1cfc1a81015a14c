package com.esii.support.hub.email;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.LanguageDetection;

/** The channel's decisions as tables: encoded words, quoted history, machine mail, language. */
class MailRulesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // A multibyte character split across two encoded words comes out whole.
            "=?UTF-8?B?w6k=?= | é",
            "=?UTF-8?Q?Caf=C3?= =?UTF-8?Q?=A9_cr=C3=A8me?= | Café crème",
            "=?UTF-8?B?4oKs?=uro | €uro",
            "Re: =?ISO-8859-1?Q?R=E9ponse?= | Re: Réponse",
            "=?unknown-charset?Q?caf=E9?= | café",
            "=?UTF-8?B?not base64!?= | =?UTF-8?B?not base64!?=",
            "plain subject | plain subject"
    })
    void encodedWordsAreDecodedLeniently(String raw, String decoded) {
        assertEquals(decoded, EncodedWords.decode(raw));
    }

    @Test
    void rawUtf8InAHeaderIsRecognised() {
        String latin1View = new String("Problème".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertEquals("Problème", EncodedWords.decode(latin1View));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Thanks, it works.\\n\\nOn Mon, 3 Mar 2026 at 10:00, Support <support@example.com> wrote:\\n> Hello | Thanks, it works.",
            "Merci.\\n\\nLe 26/11/2026 à 10:00, Support a écrit :\\n> Bonjour | Merci.",
            "Gracias.\\n\\nEl 26/11/2026, Soporte escribió:\\n> Hola | Gracias.",
            "See below.\\n-----Original Message-----\\nFrom: x | See below.",
            "Ok.\\n\\nDe : Support\\nEnvoyé : lundi | Ok.",
            "Hello\\n-- \\nJane Doe\\nACME | Hello",
            "> all quoted\\n> nothing new | > all quoted\\n> nothing new",
            "Line one\\n> inline quote\\nmy answer | Line one\\n> inline quote\\nmy answer"
    })
    void newTextIsSeparatedFromHistoryAndSignature(String text, String newText) {
        assertEquals(newText.replace("\\n", "\n"), QuoteSplitter.split(text.replace("\\n", "\n")).newText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "Auto-Submitted: auto-replied | jane@customer.example | AUTO_REPLY",
            "Auto-Submitted: no | jane@customer.example | NONE",
            "Precedence: bulk | jane@customer.example | BULK",
            "Precedence: junk | jane@customer.example | BULK",
            "X-Autoreply: yes | jane@customer.example | AUTO_REPLY",
            "X-Autorespond: yes | jane@customer.example | AUTO_REPLY",
            "X-Auto-Response-Suppress: All | jane@customer.example | AUTO_REPLY",
            "List-Id: <users.lists.example> | jane@customer.example | LIST",
            "List-Unsubscribe: <mailto:u@lists.example> | jane@customer.example | LIST",
            "Return-Path: <> | jane@customer.example | AUTO_REPLY",
            "X-Other: 1 | MAILER-DAEMON@mx.example | SYSTEM_SENDER",
            "X-Other: 1 | postmaster@mx.example | SYSTEM_SENDER",
            "X-Other: 1 | no-reply@vendor.example | SYSTEM_SENDER",
            "X-Other: 1 | alerts-noreply@vendor.example | SYSTEM_SENDER",
            "X-Support-Hub: 1 | jane@customer.example | OWN_MAIL",
            "X-Other: 1 | support@example.com | OWN_MAIL",
            "X-Other: 1 | jane@customer.example | NONE"
    })
    void machineMailIsRecognised(String header, String from, String kind) throws Exception {
        String raw = "From: " + from + "\r\nTo: support@example.com\r\nSubject: s\r\n" + header + "\r\n\r\nbody\r\n";
        ParsedMail m = MailParser.parse(raw.getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.ofNullable(kind),
                MachineMailGuard.inspect(m, "support@example.com", "X-Support-Hub").map(f -> f.kind().name()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "Bonjour, notre imprimante ne fonctionne plus depuis ce matin, merci de nous aider | FR",
            "Hello, the printer is not working since this morning, please help | EN",
            "Hola, la impresora no funciona desde esta mañana, gracias por su ayuda | ES",
            "OK | NONE"
    })
    void theLanguageIsGuessedFromTheText(String text, String language) {
        assertEquals(Optional.ofNullable(language).map(Language::valueOf), LanguageDetection.of(null, text));
    }
}
