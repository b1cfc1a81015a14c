package com.esii.support.hub.email;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.mailkit.MailSender;
import com.esii.support.hub.ticket.TicketConfig;
import com.esii.support.hub.ticket.WarmUpStep;

/**
 * The mail channel's part of the start's warm-up: a sample mail (text and HTML in quoted-printable, a reply header,
 * a file) read as a received one is (the parser, its charsets and HTML reading, the mail's key, whom to answer,
 * whether a machine wrote it). Nothing is stored.
 */
@ApplicationScoped
public class MailWarmUp implements WarmUpStep {

    static final String SAMPLE = """
            From: "Warm Up" <warm-up@example.com>\r
            Reply-To: Warm Up <warm-up@example.com>\r
            To: support@example.com\r
            Subject: =?UTF-8?Q?Borne_en_panne_d=C3=A8s_ce_matin?=\r
            Message-ID: <warm-up@example.com>\r
            Date: Sat, 5 Dec 2026 08:00:00 +0100\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="m"\r
            \r
            --m\r
            Content-Type: multipart/alternative; boundary="a"\r
            \r
            --a\r
            Content-Type: text/plain; charset=UTF-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Bonjour, la borne ne fonctionne plus depuis ce matin. Merci d'avance =C3=A0 vous.\r
            \r
            > Le 4 d=C3=A9c. 2026, Support a =C3=A9crit :\r
            > Votre demande est enregistr=C3=A9e.\r
            --a\r
            Content-Type: text/html; charset=UTF-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            <html><body><p>Bonjour, la borne ne fonctionne plus depuis ce matin. Merci d'avance =C3=A0 vous.</p>\r
            <blockquote>Votre demande est enregistr=C3=A9e.</blockquote></body></html>\r
            --a--\r
            --m\r
            Content-Type: application/octet-stream; name="log.txt"\r
            Content-Disposition: attachment; filename="log.txt"\r
            Content-Transfer-Encoding: base64\r
            \r
            SGVsbG8sIHdhcm0tdXAu\r
            --m--\r
            """;

    private final TicketConfig core;

    public MailWarmUp(TicketConfig core) {
        this.core = core;
    }

    @Override
    public String name() {
        return "mail parser";
    }

    @Override
    public void run() throws Exception {
        byte[] raw = SAMPLE.getBytes(StandardCharsets.UTF_8);
        ParsedMail m = MailParser.parse(raw);
        MailKey.of(raw, m);
        Correspondent.of(m, core.mailFrom());
        MachineMailGuard.inspect(m, core.mailFrom(), MailSender.HUB_HEADER);
    }
}
