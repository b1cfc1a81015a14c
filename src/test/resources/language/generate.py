# Writes the mails of MailLanguageTableTest (*.eml beside this file) and index.tsv, the table the test reads:
# file, expected language, a phrase the decoded new text must contain, and one it must not (quoted history).
# Deterministic: run it again only to change the mails (python3 generate.py), then check the test still passes.
#
# The mails are what customers of a queue-management vendor write: kiosks, ticket printers, call displays, in
# French, English and Spanish, short and long, from Outlook, Thunderbird, Gmail, Apple Mail and phones, in UTF-8,
# ISO-8859-1, ISO-8859-15, windows-1252, US-ASCII and (once) no charset at all, as 7bit, 8bit, quoted-printable and
# base64, some HTML only, some replying above history quoted in another language. Only the two whose names say so
# carry Content-Language: the others' language comes from their text. The "default" ones say too little to tell.
import base64, os, quopri

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENTS = {
    "outlook": "X-Mailer: Microsoft Outlook 16.0\nThread-Index: AdtYc2xPq0S1xN0dR0C8uJm1Vn3kAw==",
    "outlook-fr": "X-Mailer: Microsoft Outlook 16.0\nX-MS-Has-Attach: \nThread-Index: AdtYc9EwYl1kQxk6T2a1pXbJ0q9lRw==",
    "thunderbird": "User-Agent: Mozilla Thunderbird",
    "gmail": "X-Gm-Message-State: AOJu0YwExample",
    "apple": "X-Mailer: iPhone Mail (22B91)",
    "android": "X-Mailer: Samsung Email",
    "roundcube": "User-Agent: Roundcube Webmail/1.6.9",
    "none": "",
}
mails = []


def mail(name, expected, sender, subject, text, charset="utf-8", cte="quoted-printable", form="plain",
         client="thunderbird", must="", mustnot="", language=None, attachment=None):
    mails.append(dict(name=name, expected=expected, sender=sender, subject=subject, text=text, charset=charset,
                      cte=cte, form=form, client=client, must=must, mustnot=mustnot, language=language,
                      attachment=attachment))


def encode_body(text, charset, cte):
    raw = text.encode(charset or "iso-8859-1")
    if cte == "base64":
        b = base64.encodebytes(raw).decode("ascii")
        return b
    if cte == "quoted-printable":
        return quopri.encodestring(raw).decode("ascii")
    return raw.decode(charset or "iso-8859-1")


def encoded_word(s, charset):
    try:
        s.encode("ascii")
        return s
    except UnicodeEncodeError:
        pass
    if charset.lower() == "utf-8":
        return "=?UTF-8?B?" + base64.b64encode(s.encode("utf-8")).decode("ascii") + "?="
    q = quopri.encodestring(s.encode(charset), header=True).decode("ascii")
    return "=?" + charset.upper() + "?Q?" + q.replace("?", "=3F") + "?="


def html_of(text):
    paras = text.split("\n\n")
    out = []
    for p in paras:
        p = p.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>\n")
        out.append("<p class=\"MsoNormal\">" + p + "</p>")
    return ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html\"><style>p.MsoNormal{margin:0}"
            "</style></head>\n<body lang=\"x\">\n" + "\n".join(out) + "\n</body></html>\n")


def part(ctype, text, charset, cte):
    cs = "; charset=\"" + charset + "\"" if charset else ""
    return ("Content-Type: " + ctype + cs + "\nContent-Transfer-Encoding: " + cte + "\n\n"
            + encode_body(text, charset, cte))


def write(m, i):
    headers = [
        "Return-Path: <" + m["sender"][1] + ">",
        "Received: from mx.customer.example (mx.customer.example [192.0.2.25])\n\tby mail.esii.example with ESMTPS"
        " id 4Xk2{0:03d}; Tue, 17 Nov 2026 09:{1:02d}:12 +0100".format(i, i % 60),
        "From: " + encoded_word(m["sender"][0], m["charset"] or "iso-8859-1") + " <" + m["sender"][1] + ">",
        "To: Support ESII <support@esii.example>",
        "Subject: " + encoded_word(m["subject"], m["charset"] or "iso-8859-1"),
        "Date: Tue, 17 Nov 2026 09:{0:02d}:07 +0100".format(i % 60),
        "Message-ID: <lang-" + m["name"] + "@customer.example>",
        "MIME-Version: 1.0",
    ]
    if m["language"]:
        headers.append("Content-Language: " + m["language"])
    if CLIENTS[m["client"]]:
        headers.append(CLIENTS[m["client"]])
    text, charset, cte = m["text"], m["charset"], m["cte"]
    if m["form"] == "plain" and not m["attachment"]:
        body = "\n".join(headers) + "\n" + part("text/plain", text, charset, cte)
    elif m["form"] == "html" and not m["attachment"]:
        body = "\n".join(headers) + "\n" + part("text/html", html_of(text), charset, cte)
    else:
        inner = "=_alt_" + m["name"]
        alt = ("Content-Type: multipart/alternative; boundary=\"" + inner + "\"\n\n--" + inner + "\n"
               + part("text/plain", text, charset, cte) + "\n--" + inner + "\n"
               + part("text/html", html_of(text), charset, cte) + "\n--" + inner + "--\n")
        if m["attachment"]:
            outer = "=_mixed_" + m["name"]
            fname, content = m["attachment"]
            body = ("\n".join(headers) + "\nContent-Type: multipart/mixed; boundary=\"" + outer + "\"\n\n"
                    + "This is a multi-part message in MIME format.\n\n--" + outer + "\n"
                    + (alt if m["form"] == "alternative" else part("text/plain", text, charset, cte))
                    + "\n--" + outer + "\nContent-Type: application/pdf; name=\"" + fname + "\"\n"
                    + "Content-Disposition: attachment; filename=\"" + fname + "\"\n"
                    + "Content-Transfer-Encoding: base64\n\n"
                    + base64.encodebytes(content).decode("ascii") + "\n--" + outer + "--\n")
        else:
            body = "\n".join(headers) + "\n" + alt
    data = body.encode(charset or "iso-8859-1").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    with open(os.path.join(HERE, m["name"] + ".eml"), "wb") as f:
        f.write(data)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# ---------------------------------------------------------------------------------------------------- French
mail("fr-01-borne-outlook-latin1-qp", "fr", ("Sandrine Morel", "s.morel@mairie-exemple.fr"),
     "Borne en panne",
     "Bonjour,\n\nLa borne de l'accueil n'imprime plus les tickets depuis ce matin.\nMerci de nous rappeler.\n\n"
     "Cordialement,\nSandrine Morel\nMairie de Saint-Jean-de-Védas",
     charset="iso-8859-1", client="outlook-fr", must="n'imprime plus")
mail("fr-02-afficheurs-long-utf8-qp", "fr", ("Jérôme Lefèvre", "jerome.lefevre@chu-exemple.fr"),
     "Afficheurs de la salle d'attente des urgences",
     "Bonjour,\n\nDepuis la mise à jour de lundi soir, les deux afficheurs de la salle d'attente des urgences "
     "n'affichent plus les numéros appelés. Les agents appellent bien les patients depuis leur poste, le son est "
     "diffusé, mais l'écran reste sur la page d'accueil avec le logo.\n\n"
     "Nous avons déjà redémarré les boîtiers et vérifié le câble réseau : les voyants sont allumés et le boîtier "
     "répond au ping. Le troisième afficheur, celui du hall, fonctionne normalement, ce qui nous fait penser à un "
     "problème de configuration plutôt que de matériel.\n\n"
     "Pouvez-vous prendre la main à distance cet après-midi ? Notre technicien, M. Garcia, sera disponible à "
     "partir de 14 h au 04 67 00 00 00. Nous avons un contrat de maintenance (code d'accès 31842).\n\n"
     "Je vous remercie par avance.\n\n-- \nJérôme Lefèvre\nService informatique\nCHU de Montpellier",
     must="afficheurs de la salle d'attente")
mail("fr-03-reply-above-english-history-cp1252", "fr", ("Claire Dubois", "claire.dubois@banque-exemple.fr"),
     "RE: [SUP-2026-000412] Call display frozen",
     "Bonjour,\n\nJe vous confirme que l’écran s’est de nouveau figé ce matin vers 9 h, malgré le correctif. "
     "Pouvez-vous revenir vers nous ?\n\nBien à vous,\nClaire\n\n"
     "On Mon, 16 Nov 2026 at 17:42, ESII Support <support@esii.example> wrote:\n"
     "> Hello Claire,\n> We have applied a fix to the display controller. Could you please tell us whether the\n"
     "> screen still freezes tomorrow morning? If it does, we will send a technician on site.\n"
     "> Kind regards,\n> ESII Support team",
     charset="windows-1252", cte="8bit", client="outlook-fr", must="figé ce matin", mustnot="technician on site")
mail("fr-04-html-only-webmail-utf8-base64", "fr", ("Patrick Roux", "patrick.roux@orange-exemple.fr"),
     "Problème écran tactile",
     "Bonjour,\n\nL'écran tactile de la borne d'orientation ne réagit plus quand on appuie dessus. L'affichage "
     "est normal mais rien ne se passe au toucher. Nous l'avons éteinte et rallumée sans succès.\n\n"
     "Pourriez-vous nous dire s'il faut la renvoyer en atelier ?\n\nMerci,\nPatrick Roux",
     form="html", cte="base64", client="roundcube", must="ne réagit plus")
mail("fr-05-devis-alternative-latin9", "fr", ("Élodie Garnier", "elodie.garnier@cpam-exemple.fr"),
     "Demande de devis pour une seconde imprimante",
     "Bonjour,\n\nSuite à notre échange téléphonique, pourriez-vous nous faire parvenir un devis pour une "
     "seconde imprimante de tickets identique à celle du guichet principal ? Le montant indiqué au téléphone "
     "était d'environ 1 250 € HT, installation comprise.\n\nBonne journée,\nÉlodie Garnier\nCPAM de l'Hérault",
     charset="iso-8859-15", form="alternative", client="outlook-fr", must="1 250 €")
mail("fr-06-question-nouveau-service-utf8-8bit", "fr", ("Nicolas Bernard", "n.bernard@prefecture-exemple.fr"),
     "Ajouter un service sur la borne",
     "Bonjour,\n\nComment faire pour ajouter un nouveau service (« Titres de séjour ») sur le menu de la borne ? "
     "Je ne trouve pas l'option dans l'interface d'administration.\n\nMerci d'avance,\nNicolas",
     cte="8bit", must="nouveau service")
mail("fr-07-short-thanks-latin1", "fr", ("Julie Martin", "julie.martin@laposte-exemple.fr"),
     "RE: [SUP-2026-000377] Écran noir",
     "Merci, c'est réparé.\n\nJulie",
     charset="iso-8859-1", cte="8bit", client="outlook-fr", must="c'est réparé")
mail("fr-08-forwards-spanish-site-utf8", "fr", ("Laurent Petit", "laurent.petit@groupe-exemple.fr"),
     "TR: Impresora de turnos",
     "Bonjour,\n\nJe vous transfère le message de notre agence de Barcelone : l'imprimante de tickets est en panne "
     "depuis hier. Pouvez-vous les contacter directement en espagnol ?\n\nMerci,\nLaurent Petit\n\n"
     "-------- Message transféré --------\nDe : Marta Puig <marta.puig@groupe-exemple.es>\n"
     "Date : lun. 16 nov. 2026 à 18:05\nObjet : Impresora de turnos\n\n"
     "Hola Laurent, la impresora de turnos de la oficina de Barcelona no funciona desde ayer por la tarde. "
     "Ya hemos cambiado el rollo de papel y sigue sin imprimir. ¿Puedes avisar al soporte? Gracias, Marta",
     must="agence de Barcelone", mustnot="rollo de papel")
mail("fr-09-stack-trace-utf8-qp", "fr", ("Sébastien Faure", "sebastien.faure@editeur-exemple.fr"),
     "Erreur au démarrage du serveur de files d'attente",
     "Bonjour,\n\nAprès le redémarrage du serveur cette nuit, le service de gestion des files d'attente ne démarre "
     "plus. Voici l'erreur relevée dans le journal :\n\n"
     "2026-11-17 06:02:11 ERROR [main] o.s.boot.SpringApplication - Application run failed\n"
     "java.lang.IllegalStateException: Failed to load ApplicationContext\n"
     "    at org.springframework.test.context.cache.DefaultCacheAwareContextLoaderDelegate.loadContext\n"
     "Caused by: java.net.ConnectException: Connection refused (Connection refused)\n\n"
     "La base de données est pourtant joignable depuis le serveur. Les agents ne peuvent plus appeler de "
     "tickets, c'est bloquant pour nous.\n\nCordialement,\nSébastien Faure",
     must="ne démarre plus")
mail("fr-10-gmail-reply-two-line-header", "fr", ("Amandine Leroy", "amandine.leroy@gmail-exemple.com"),
     "Re: [SUP-2026-000455] Son des annonces",
     "Bonjour,\n\nLe son fonctionne de nouveau dans la salle B, mais toujours pas dans la salle A. Les "
     "haut-parleurs sont pourtant branchés de la même façon.\n\nAmandine\n\n"
     "Le mar. 17 nov. 2026 à 09:14, ESII Support <support@esii.example> a\nécrit :\n\n"
     "> Hello Amandine,\n> Could you check whether the volume is set on the audio module of room A?\n"
     "> Best regards",
     cte="quoted-printable", client="gmail", must="salle A", mustnot="audio module")
mail("fr-11-no-accents-ascii", "fr", ("Marc Girard", "marc.girard@transports-exemple.fr"),
     "logiciel ne demarre plus",
     "Bonjour\n\nle logiciel de la borne ne demarre plus apres la mise a jour d'hier soir, on a un ecran bleu "
     "avec un message d'erreur. on a essaye de redemarrer plusieurs fois sans resultat.\n\nmerci de nous "
     "rappeler rapidement\nMarc",
     charset="us-ascii", cte="7bit", client="none", must="ne demarre plus")
mail("fr-12-bloquant-short-utf8", "fr", ("Accueil Mairie", "accueil@mairie2-exemple.fr"),
     "URGENT - plus rien ne fonctionne à l'accueil",
     "Plus rien ne fonctionne : ni la borne, ni les écrans. Le public attend. Rappelez-nous au plus vite svp.",
     cte="8bit", client="outlook-fr", must="Le public attend")
mail("fr-13-cp1252-qp-quotes", "fr", ("Hélène Rousseau", "helene.rousseau@assurance-exemple.fr"),
     "Statistiques de fréquentation",
     "Bonjour,\n\nDepuis le 1er novembre, l’export des statistiques de fréquentation ne contient plus les temps "
     "d’attente par service : la colonne « Attente moyenne » est vide. C’est gênant pour notre rapport mensuel, "
     "même si ce n’est pas urgent.\n\nPourriez-vous regarder ?\n\nBien cordialement,\nHélène Rousseau",
     charset="windows-1252", client="outlook-fr", must="« Attente moyenne »")
mail("fr-14-numbers-heavy-latin1", "fr", ("Poste 3", "guichet3@caf-exemple.fr"),
     "Code accès 48213 - borne n°3",
     "Site Lyon Part-Dieu, borne n°3, n° de série 2019-04-8821 : bourrage papier à répétition depuis la "
     "livraison du 12/11. Ticket précédent : SUP-2026-000871.",
     charset="iso-8859-1", client="outlook-fr", must="bourrage papier")
mail("fr-15-iphone-short", "fr", ("Thomas Blanc", "thomas.blanc@icloud-exemple.com"),
     "Écran guichet 4",
     "L'écran d'appel du guichet 4 reste figé sur le numéro 57. Pouvez-vous regarder ?\n\nEnvoyé de mon iPhone",
     client="apple", must="guichet 4")
mail("fr-16-outlook-english-history-long", "fr", ("Isabelle Fontaine", "isabelle.fontaine@hopital-exemple.fr"),
     "RE: Remote session for the kiosks",
     "Bonjour,\n\nNous sommes d'accord pour la session à distance jeudi à 10 h. Notre prestataire réseau ouvrira "
     "l'accès VPN le matin même. Merci de nous envoyer l'adresse IP à autoriser.\n\nCordialement,\n"
     "Isabelle Fontaine\n\n"
     "From: Mark Stevens <mark.stevens@esii.example>\nSent: Monday, November 16, 2026 4:10 PM\n"
     "To: Isabelle Fontaine <isabelle.fontaine@hopital-exemple.fr>\nSubject: Remote session for the kiosks\n\n"
     "Dear Isabelle,\n\nOur R&D team would like to connect to the three kiosks to collect the diagnostic logs. "
     "Would Thursday at 10 am suit you? We will need VPN access to the kiosk network for about one hour.\n\n"
     "Best regards,\nMark Stevens\nESII R&D",
     charset="iso-8859-1", client="outlook-fr", must="session à distance", mustnot="diagnostic logs")
mail("fr-17-formation-latin1-8bit", "fr", ("Catherine Lambert", "c.lambert@universite-exemple.fr"),
     "Formation des nouveaux agents",
     "Bonjour,\n\nEst-il possible d'organiser une formation d'une demi-journée pour nos quatre nouveaux agents "
     "d'accueil, de préférence en décembre ? Ils devront savoir ouvrir et fermer leur guichet, transférer un "
     "visiteur vers un autre service et consulter les statistiques du jour.\n\nBien à vous,\nCatherine Lambert",
     charset="iso-8859-1", cte="8bit", must="nouveaux agents")
mail("fr-18-attachment-utf8-base64", "fr", ("Vincent Moreau", "vincent.moreau@clinique-exemple.fr"),
     "Bon de livraison incomplet",
     "Bonjour,\n\nVous trouverez ci-joint le bon de livraison de la commande du 10 novembre. Il manque le pied "
     "de la borne et le câble d'alimentation de l'imprimante.\n\nMerci de faire le nécessaire,\nVincent Moreau",
     cte="base64", attachment=("bon-de-livraison.pdf", PDF), client="outlook-fr", must="bon de livraison")
mail("fr-19-franglais-utf8-qp", "fr", ("Kevin Dupuis", "kevin.dupuis@startup-exemple.fr"),
     "Dashboard KO",
     "Hello,\n\nLe dashboard affiche « Connection lost » et le backend ne répond plus depuis le déploiement. "
     "On a fait un reboot du serveur mais ça n'a rien changé. Vous pouvez checker de votre côté ?\n\nThx,\nKevin",
     client="thunderbird", must="backend ne répond plus")
mail("fr-20-alternative-signature-disclaimer", "fr", ("Nathalie Chevalier", "n.chevalier@notaires-exemple.fr"),
     "Tickets imprimés en double",
     "Bonjour,\n\nDepuis hier, chaque appui sur le bouton « Accueil » de la borne imprime deux tickets avec le "
     "même numéro. Les visiteurs sont ensuite appelés deux fois.\n\nMerci de votre aide.\n\n"
     "-- \nNathalie Chevalier\nOffice notarial\nCe message et ses pièces jointes sont confidentiels et établis "
     "à l'attention exclusive de leurs destinataires.",
     charset="iso-8859-1", form="alternative", client="outlook-fr", must="imprime deux tickets",
     mustnot="confidentiels")

# ---------------------------------------------------------------------------------------------------- English
mail("en-01-kiosk-outlook-short", "en", ("Sarah Collins", "sarah.collins@council-example.co.uk"),
     "Kiosk not printing",
     "Hi,\n\nThe kiosk at reception stopped printing tickets this morning. Can someone call me back?\n\nThanks,\n"
     "Sarah",
     client="outlook", must="stopped printing")
mail("en-02-displays-long-utf8-qp", "en", ("David Hughes", "david.hughes@nhs-example.uk"),
     "Waiting room displays not updating after Monday's upgrade",
     "Hello,\n\nSince the upgrade on Monday evening, the two displays in the outpatients' waiting room no longer "
     "show the ticket numbers being called. Staff can still call patients from their desks and the chime plays, "
     "but the screens stay on the welcome page with our logo.\n\n"
     "We have already restarted the display boxes and checked the network cable: the lights are on and the boxes "
     "answer to ping. The third display, in the main hall, works normally, so we suspect a configuration problem "
     "rather than a hardware fault.\n\n"
     "Could you connect remotely this afternoon? Our technician, Mr Patel, is available from 2 pm on "
     "01632 960000. We have a maintenance contract (access code 31842).\n\n"
     "Many thanks in advance.\n\n-- \nDavid Hughes\nIT Department\nSt Example's Hospital",
     must="outpatients' waiting room")
mail("en-03-reply-above-french-history", "en", ("Tom Baker", "tom.baker@retail-example.com"),
     "RE: [SUP-2026-000498] Borne d'accueil",
     "Hello,\n\nSorry, I don't speak French. The kiosk is still showing the same error after the restart you "
     "suggested. Could someone who speaks English give me a call?\n\nRegards,\nTom\n\n"
     "Le 12/11/2026 à 10:02, Support ESII a écrit :\n"
     "> Bonjour Monsieur,\n> Pourriez-vous redémarrer la borne d'accueil en maintenant le bouton enfoncé pendant\n"
     "> dix secondes, puis nous dire si le message d'erreur apparaît toujours ?\n> Cordialement,\n"
     "> Le support technique ESII",
     charset="iso-8859-1", cte="quoted-printable", client="outlook", must="don't speak French",
     mustnot="bouton enfoncé")
mail("en-04-html-only-outlook-qp", "en", ("Emily Watson", "emily.watson@bank-example.com"),
     "Touch screen unresponsive",
     "Good morning,\n\nThe touch screen on the wayfinding kiosk no longer responds when you press it. The display "
     "looks normal but nothing happens on touch. We switched it off and on again with no luck.\n\n"
     "Could you let us know whether it needs to go back to your workshop?\n\nKind regards,\nEmily Watson",
     form="html", client="outlook", must="no longer responds")
mail("en-05-cp1252-alternative-pound", "en", ("James O'Neill", "james.oneill@utility-example.ie"),
     "Quote for a second ticket printer",
     "Hi there,\n\nFollowing our call, could you send us a quote for a second ticket printer, identical to the "
     "one at the main desk? You mentioned it would be around £1,100 including installation – we’d like it "
     "before Christmas if possible.\n\nCheers,\nJames",
     charset="windows-1252", form="alternative", client="outlook", must="£1,100")
mail("en-06-question-new-service-8bit", "en", ("Rachel Green", "rachel.green@university-example.edu"),
     "Adding a service to the kiosk menu",
     "Hello,\n\nHow do I add a new service (\"Student visas\") to the kiosk menu? I can't find the option in the "
     "admin interface.\n\nThanks in advance,\nRachel",
     cte="8bit", must="new service")
mail("en-07-short-thanks", "en", ("Mike Turner", "mike.turner@post-example.com"),
     "RE: [SUP-2026-000377] Display frozen",
     "Thanks, that fixed it.\n\nMike",
     client="outlook", cte="7bit", charset="us-ascii", must="that fixed it")
mail("en-08-gmail-above-spanish-history", "en", ("Laura Smith", "laura.smith@gmail-example.com"),
     "Re: [SUP-2026-000502] Pantalla de llamada",
     "Hi,\n\nI'm the new IT manager at the Madrid office and I don't read Spanish very well. The call display "
     "still goes blank every afternoon around 3 pm. Could you reply in English, please?\n\nThanks,\nLaura\n\n"
     "El lun, 16 nov 2026 a las 11:20, Soporte ESII (<support@esii.example>) escribió:\n\n"
     "> Hola Laura:\n> ¿Podría comprobar si la pantalla está configurada para apagarse automáticamente por la\n"
     "> tarde? Puede verlo en el menú de energía del equipo.\n> Un saludo,\n> Soporte técnico ESII",
     client="gmail", must="Madrid office", mustnot="menú de energía")
mail("en-09-stack-trace", "en", ("Priya Sharma", "priya.sharma@software-example.com"),
     "Queue server fails to start",
     "Hello,\n\nAfter last night's server restart, the queue management service no longer starts. This is the "
     "error from the log:\n\n"
     "2026-11-17 06:02:11 ERROR [main] o.s.boot.SpringApplication - Application run failed\n"
     "java.lang.IllegalStateException: Failed to load ApplicationContext\n"
     "Caused by: java.net.ConnectException: Connection refused (Connection refused)\n\n"
     "The database is reachable from the server. Our agents cannot call any tickets, so this is blocking us.\n\n"
     "Regards,\nPriya",
     charset="iso-8859-1", cte="8bit", must="no longer starts")
mail("en-10-us-urgent-short", "en", ("Front Desk", "frontdesk@dmv-example.gov"),
     "URGENT: all check-in screens dark",
     "Our check-in screens went dark at 7am across all branches. Customers are lining up outside. Please call "
     "ASAP.",
     client="outlook", must="went dark")
mail("en-11-outlook-above-french-outlook-history", "en", ("Olivia Brown", "olivia.brown@insurance-example.co.uk"),
     "RE: Statistiques mensuelles",
     "Hello,\n\nThank you for the report. The waiting times look right now, but the figures for Saturday are "
     "missing. Could you check that too?\n\nBest,\nOlivia\n\n"
     "De : Support ESII <support@esii.example>\nEnvoyé : lundi 16 novembre 2026 15:20\n"
     "À : Olivia Brown <olivia.brown@insurance-example.co.uk>\nObjet : Statistiques mensuelles\n\n"
     "Bonjour Madame,\n\nVous trouverez ci-joint le rapport de fréquentation corrigé pour le mois d'octobre. "
     "Les temps d'attente par service sont de nouveau renseignés.\n\nCordialement,\nLe support ESII",
     charset="windows-1252", client="outlook", must="Saturday", mustnot="fréquentation")
mail("en-12-non-native-english", "en", ("Javier Ruiz", "javier.ruiz@empresa-ejemplo.es"),
     "Problem with printer of tickets",
     "Hello,\n\nWe have problem with the printer of tickets in our office of Sevilla, it not print since "
     "yesterday and the light is red. We changed the paper but is the same. Please can you help us?\n\n"
     "Best regards,\nJavier Ruiz",
     client="outlook", must="office of Sevilla")
mail("en-13-latin1-8bit-cafe", "en", ("Anna Kowalski", "anna.kowalski@cafe-example.com"),
     "Café branch: ticket numbers reset",
     "Hi,\n\nAt our Café Rouge branch the ticket numbers reset to 1 several times a day, which confuses our "
     "customers. Is there a setting that controls when the counter is reset?\n\nThanks,\nAnna",
     charset="iso-8859-1", cte="8bit", must="reset to 1")
mail("en-14-android-base64", "en", ("Ben Carter", "ben.carter@logistics-example.com"),
     "Ticket printer jam",
     "Printer at gate 2 keeps jamming after every 10 tickets or so. We cleaned it but no change. Can you send "
     "someone?\n\nSent from my Samsung Galaxy smartphone.",
     cte="base64", client="android", must="gate 2")
mail("en-15-formal-sla-complaint", "en", ("Margaret Ellis", "m.ellis@council2-example.gov.uk"),
     "Formal complaint: response times on ticket SUP-2026-000311",
     "Dear Sir or Madam,\n\nI am writing to raise a formal complaint about the handling of our ticket "
     "SUP-2026-000311. Our maintenance contract commits you to taking charge of a blocking incident within four "
     "working hours and to an on-site intervention within sixteen working hours. In this case, the incident was "
     "reported on Tuesday morning and nobody contacted us until Thursday afternoon.\n\n"
     "During that time, our customer service centre had to hand out paper tickets, and several visitors left "
     "without being seen. I would be grateful if you could explain what went wrong and what you will do to make "
     "sure it does not happen again.\n\nI look forward to your reply.\n\nYours faithfully,\n\nMargaret Ellis\n"
     "Head of Customer Services",
     charset="iso-8859-1", client="outlook", must="formal complaint")
mail("en-16-numbers-heavy", "en", ("Desk 4", "desk4@bank2-example.ie"),
     "Access code 77120 - kiosk #4 error E-1042",
     "Site Dublin 2, kiosk #4, serial 2021-07-3310: error E-1042 on boot since the 15/11 update. Previous ticket "
     "SUP-2026-000702.",
     cte="7bit", charset="us-ascii", client="outlook", must="error E-1042")
mail("en-17-forward-of-french-mail", "en", ("Chris Walker", "chris.walker@group-example.com"),
     "Fwd: Imprimante de tickets",
     "Hi support,\n\nPlease see below: our Lyon site reports the same printer problem we had in London last "
     "month. Could you get in touch with them?\n\nThanks,\nChris\n\n"
     "---------- Forwarded message ---------\nDe : Pierre Martin <pierre.martin@group-example.fr>\n"
     "Date: lun. 16 nov. 2026 à 17:55\nSubject: Imprimante de tickets\n\n"
     "Bonjour Chris, l'imprimante de tickets du site de Lyon n'imprime plus que des tickets blancs depuis ce "
     "matin. Peux-tu prévenir le support ? Merci, Pierre",
     client="gmail", must="Lyon site", mustnot="tickets blancs")
mail("en-18-minor-typo", "en", ("Sophie Adams", "sophie.adams@museum-example.org"),
     "Small typo on the welcome screen",
     "Hello,\n\nJust a small thing: the welcome screen says \"Welcom to the museum\" instead of \"Welcome\". "
     "Not urgent at all, whenever you have time.\n\nBest wishes,\nSophie",
     cte="base64", client="apple", must="Welcom to the museum")
mail("en-19-attachment-mixed", "en", ("Daniel Wright", "daniel.wright@clinic-example.com"),
     "Incomplete delivery note",
     "Hello,\n\nPlease find attached the delivery note for the order of 10 November. The kiosk stand and the "
     "printer's power cable are missing.\n\nThanks for sorting this out,\nDaniel",
     charset="iso-8859-1", attachment=("delivery-note.pdf", PDF), client="outlook", must="delivery note")
mail("en-20-alternative-signature-disclaimer", "en", ("Grace Hall", "grace.hall@lawfirm-example.com"),
     "Tickets printed twice",
     "Hello,\n\nSince yesterday, every press on the \"Reception\" button prints two tickets with the same number, "
     "and visitors are then called twice.\n\nThank you for your help.\n\n"
     "-- \nGrace Hall\nOffice Manager\nThis e-mail and any attachments are confidential and intended solely for "
     "the addressee.",
     form="alternative", client="outlook", must="prints two tickets", mustnot="confidential")

# ---------------------------------------------------------------------------------------------------- Spanish
mail("es-01-impresora-turnos-latin1-qp", "es", ("María López", "maria.lopez@ayuntamiento-ejemplo.es"),
     "Impresora de turnos",
     "Buenos días:\n\nLa impresora de turnos no funciona desde esta mañana. Ya la hemos reiniciado y sigue sin "
     "imprimir.\n\nUn saludo,\nMaría López",
     charset="iso-8859-1", client="outlook", must="impresora de turnos")
mail("es-02-reported-defect-latin1-8bit", "es", ("Recepción", "recepcion@clinica-ejemplo.es"),
     "Buenos días",
     "Buenos días, la impresora de turnos no funciona.",
     charset="iso-8859-1", cte="8bit", client="none", must="Buenos días")
mail("es-03-pantallas-long-utf8-qp", "es", ("Jorge Fernández", "jorge.fernandez@hospital-ejemplo.es"),
     "Pantallas de la sala de espera de urgencias",
     "Hola:\n\nDesde la actualización del lunes por la noche, las dos pantallas de la sala de espera de urgencias "
     "ya no muestran los números llamados. Los administrativos siguen llamando a los pacientes desde su puesto y "
     "se oye el aviso, pero la pantalla se queda en la página de bienvenida con el logotipo.\n\n"
     "Ya hemos reiniciado los equipos y comprobado el cable de red: las luces están encendidas y el equipo "
     "responde al ping. La tercera pantalla, la del vestíbulo, funciona con normalidad, así que pensamos que es "
     "un problema de configuración y no de hardware.\n\n"
     "¿Podrían conectarse en remoto esta tarde? Nuestro técnico, el Sr. Gómez, estará disponible a partir de las "
     "14:00 en el 960 000 000. Tenemos contrato de mantenimiento (código de acceso 31842).\n\n"
     "Muchas gracias de antemano.\n\n-- \nJorge Fernández\nServicio de Informática\nHospital General",
     must="sala de espera de urgencias")
mail("es-04-reply-above-english-history", "es", ("Lucía Torres", "lucia.torres@banco-ejemplo.es"),
     "RE: [SUP-2026-000433] Call display frozen",
     "Hola:\n\nLes confirmo que la pantalla se ha vuelto a quedar congelada esta mañana hacia las 9, a pesar "
     "del parche. ¿Pueden revisarlo?\n\nSaludos,\nLucía\n\n"
     "On Mon, Nov 16, 2026 at 5:42 PM ESII Support <support@esii.example> wrote:\n"
     "> Hello Lucía,\n> We have applied a fix to the display controller. Could you please tell us whether the\n"
     "> screen still freezes tomorrow morning? If it does, we will send a technician on site.\n"
     "> Kind regards,\n> ESII Support team",
     client="gmail", must="congelada", mustnot="technician on site")
mail("es-05-html-only-cp1252-qp", "es", ("Pablo Navarro", "pablo.navarro@correo-ejemplo.es"),
     "Pantalla táctil no responde",
     "Buenas tardes:\n\nLa pantalla táctil del quiosco de orientación ya no responde al tocarla. La imagen se ve "
     "bien, pero no pasa nada al pulsar. La hemos apagado y encendido sin éxito.\n\n¿Podrían indicarnos si hay "
     "que enviarla al taller?\n\nGracias,\nPablo Navarro",
     charset="windows-1252", form="html", client="outlook", must="ya no responde")
mail("es-06-question-nuevo-servicio-8bit", "es", ("Carmen Ruiz", "carmen.ruiz@universidad-ejemplo.es"),
     "Añadir un servicio en el dispensador",
     "Hola:\n\n¿Cómo puedo añadir un nuevo servicio («Becas») en el menú del dispensador de turnos? No encuentro "
     "la opción en la interfaz de administración.\n\nGracias de antemano,\nCarmen",
     cte="8bit", must="nuevo servicio")
mail("es-07-short-thanks", "es", ("Andrés Molina", "andres.molina@correos-ejemplo.es"),
     "RE: [SUP-2026-000390] Pantalla bloqueada",
     "Gracias, ya funciona.\n\nAndrés",
     charset="iso-8859-1", cte="8bit", client="outlook", must="ya funciona")
mail("es-08-reply-above-french-outlook-history", "es", ("Isabel Ramos", "isabel.ramos@seguros-ejemplo.es"),
     "RE: Statistiques mensuelles",
     "Hola:\n\nGracias por el informe. Los tiempos de espera ya salen bien, pero faltan los datos del sábado. "
     "¿Pueden revisarlo también?\n\nUn saludo,\nIsabel\n\n"
     "De : Support ESII <support@esii.example>\nEnvoyé : lundi 16 novembre 2026 15:20\n"
     "À : Isabel Ramos <isabel.ramos@seguros-ejemplo.es>\nObjet : Statistiques mensuelles\n\n"
     "Bonjour Madame,\n\nVous trouverez ci-joint le rapport de fréquentation corrigé pour le mois d'octobre. "
     "Les temps d'attente par service sont de nouveau renseignés.\n\nCordialement,\nLe support ESII",
     charset="iso-8859-1", client="outlook", must="sábado", mustnot="fréquentation")
mail("es-09-mexico-utf8-base64", "es", ("Alejandro Hernández", "alejandro.hernandez@gobierno-ejemplo.mx"),
     "Falla en el kiosco de turnos",
     "Buen día,\n\nLes escribo porque el kiosco de turnos de la oficina de Guadalajara se reinicia solo cada "
     "media hora. Ya revisamos la corriente eléctrica y está bien. ¿Ustedes nos podrían apoyar con una revisión "
     "remota?\n\nQuedo atento a sus comentarios.\n\nSaludos cordiales,\nAlejandro Hernández",
     cte="base64", client="gmail", must="Guadalajara")
mail("es-10-argentina-short", "es", ("Martín Sosa", "martin.sosa@municipio-ejemplo.ar"),
     "el kiosco no anda",
     "Hola, ¿me pueden ayudar? El kiosco de la entrada no anda desde ayer, prende pero se queda en la pantalla "
     "de carga.",
     cte="quoted-printable", client="android", must="no anda")
mail("es-11-no-accents-ascii", "es", ("Luis Castro", "luis.castro@transportes-ejemplo.es"),
     "la pantalla no muestra los turnos",
     "Hola\n\nla pantalla no muestra los turnos desde ayer, ya reiniciamos el equipo y nada. que podemos hacer?"
     "\n\ngracias\nLuis",
     charset="us-ascii", cte="7bit", client="none", must="no muestra los turnos")
mail("es-12-stack-trace", "es", ("Sergio Vidal", "sergio.vidal@software-ejemplo.es"),
     "Error al arrancar el servidor de colas",
     "Hola:\n\nTras el reinicio del servidor de esta noche, el servicio de gestión de colas ya no arranca. Este "
     "es el error del registro:\n\n"
     "2026-11-17 06:02:11 ERROR [main] o.s.boot.SpringApplication - Application run failed\n"
     "java.lang.IllegalStateException: Failed to load ApplicationContext\n"
     "Caused by: java.net.ConnectException: Connection refused (Connection refused)\n\n"
     "La base de datos es accesible desde el servidor. Los agentes no pueden llamar turnos, es bloqueante para "
     "nosotros.\n\nSaludos,\nSergio",
     must="ya no arranca")
mail("es-13-iphone-base64", "es", ("Elena Ortiz", "elena.ortiz@icloud-ejemplo.com"),
     "Pantalla ventanilla 4",
     "La pantalla de llamada de la ventanilla 4 se ha quedado fija en el número 57. ¿Pueden mirarlo?\n\n"
     "Enviado desde mi iPhone",
     cte="base64", client="apple", must="ventanilla 4")
mail("es-14-presupuesto-alternative-latin9", "es", ("Rosa Jiménez", "rosa.jimenez@diputacion-ejemplo.es"),
     "Solicitud de presupuesto para una segunda impresora",
     "Buenos días:\n\nTal como hablamos por teléfono, ¿podrían enviarnos un presupuesto para una segunda "
     "impresora de tiques igual a la del mostrador principal? Nos comentaron que serían unos 980 € más IVA, con "
     "la instalación incluida.\n\nQue tengan un buen día,\nRosa Jiménez",
     charset="iso-8859-15", form="alternative", client="outlook", must="980 €")
mail("es-15-urgente-short", "es", ("Oficina Centro", "oficina.centro@ayto2-ejemplo.es"),
     "URGENTE: no funciona nada en la oficina",
     "No funciona nada: ni el dispensador ni las pantallas. Hay cola en la calle. Llámennos cuanto antes, por "
     "favor.",
     charset="iso-8859-1", client="outlook", must="Hay cola en la calle")
mail("es-16-numbers-heavy", "es", ("Puesto 2", "puesto2@banco2-ejemplo.es"),
     "Código de acceso 55310 - terminal 2",
     "Oficina Valencia Centro, terminal 2, n.º de serie 2020-11-5521: error E-2031 al arrancar desde la "
     "actualización del 15/11. Ticket anterior: SUP-2026-000688.",
     cte="8bit", client="outlook", must="error E-2031")
mail("es-17-forward-of-english-mail", "es", ("Raúl Medina", "raul.medina@grupo-ejemplo.es"),
     "RV: Ticket printer",
     "Hola:\n\nOs reenvío el correo de nuestra sede de Londres: tienen el mismo problema con la impresora que "
     "tuvimos aquí el mes pasado. ¿Podéis poneros en contacto con ellos?\n\nGracias,\nRaúl\n\n"
     "---------- Forwarded message ---------\nFrom: Kate Miller <kate.miller@group-example.co.uk>\n"
     "Date: Mon, 16 Nov 2026 at 17:55\nSubject: Ticket printer\n\n"
     "Hi Raúl, the ticket printer at the London site has only been printing blank tickets since this morning. "
     "Could you let support know? Thanks, Kate",
     charset="iso-8859-1", client="gmail", must="sede de Londres", mustnot="blank tickets")
mail("es-18-minor-typo-no-charset", "es", ("Beatriz Gil", "beatriz.gil@museo-ejemplo.es"),
     "Errata en la pantalla de bienvenida",
     "Hola:\n\nUna cosa sin importancia: en la pantalla de bienvenida pone «Bienbenido al museo» en lugar de "
     "«Bienvenido». No es urgente, cuando tengan tiempo.\n\nUn saludo,\nBeatriz",
     charset=None, cte="8bit", client="none", must="«Bienbenido al museo»")
mail("es-19-attachment-mixed", "es", ("Diego Romero", "diego.romero@clinica2-ejemplo.es"),
     "Albarán incompleto",
     "Hola:\n\nLes adjunto el albarán del pedido del 10 de noviembre. Faltan el pie del quiosco y el cable de "
     "alimentación de la impresora.\n\nGracias por solucionarlo,\nDiego",
     attachment=("albaran.pdf", PDF), cte="base64", client="outlook", must="albarán del pedido")
mail("es-20-formal-disclaimer", "es", ("Pilar Delgado", "pilar.delgado@ayuntamiento3-ejemplo.es"),
     "Reclamación por los plazos de respuesta",
     "Estimados señores:\n\nMe dirijo a ustedes para presentar una reclamación por la gestión de nuestra "
     "incidencia SUP-2026-000322. Nuestro contrato de mantenimiento establece que una incidencia bloqueante se "
     "atiende en un plazo de cuatro horas hábiles y que la intervención in situ se realiza en dieciséis horas "
     "hábiles. Sin embargo, la incidencia se comunicó el martes por la mañana y nadie se puso en contacto con "
     "nosotros hasta el jueves por la tarde.\n\n"
     "Durante ese tiempo, el servicio de atención ciudadana tuvo que repartir números en papel y varias personas "
     "se marcharon sin ser atendidas. Les agradecería que nos explicaran qué ocurrió y qué medidas van a tomar.\n\n"
     "Atentamente,\n\nPilar Delgado\nJefa del Servicio de Atención Ciudadana\n\n"
     "-- \nEste mensaje y sus archivos adjuntos son confidenciales y están dirigidos exclusivamente a sus "
     "destinatarios.",
     charset="iso-8859-1", form="alternative", client="outlook", must="reclamación",
     mustnot="confidenciales")

# ---------------------------------------------------------------------------------------------------- Content-Language
mail("en-21-content-language-short", "en", ("Ops", "ops@retail2-example.com"),
     "Re: [SUP-2026-000610]", "OK", cte="7bit", charset="us-ascii", client="outlook", language="en-GB",
     must="OK")
mail("es-21-content-language", "es", ("Inés Prieto", "ines.prieto@correo2-ejemplo.es"),
     "RE: [SUP-2026-000611]", "Vale, gracias.", cte="8bit", charset="utf-8", client="outlook", language="es-ES",
     must="Vale")

# ---------------------------------------------------------------------------------------------------- Nothing to tell
# Too little text to tell: the desk's default language (the test runs them with two different defaults).
mail("default-01-ok", "default", ("Ops", "ops2@retail3-example.com"), "Re: [SUP-2026-000612]", "OK",
     cte="7bit", charset="us-ascii", client="outlook", must="OK")
mail("default-02-teamviewer-id", "default", ("Poste 12", "poste12@site-example.com"), "TeamViewer",
     "1 234 567 890\n4821", cte="7bit", charset="us-ascii", client="none", must="4821")
mail("default-03-plus-one", "default", ("Agent", "agent@site2-example.com"), "Re: [SUP-2026-000613]",
     "+1", cte="7bit", charset="us-ascii", client="none", must="+1")
mail("default-04-attachment-only", "default", ("Scanner", "scan@site3-example.com"), "IMG_2041.pdf", "",
     cte="7bit", charset="us-ascii", client="none", attachment=("IMG_2041.pdf", PDF))

for f in os.listdir(HERE):
    if f.endswith(".eml"):
        os.remove(os.path.join(HERE, f))
with open(os.path.join(HERE, "index.tsv"), "w", encoding="utf-8") as idx:
    idx.write("# file\texpected (fr|en|es, or default: the desk's)\tthe decoded new text contains\t"
              "and does not contain (quoted history, signature)\n")
    for i, m in enumerate(mails):
        write(m, i)
        idx.write("\t".join([m["name"] + ".eml", m["expected"], m["must"], m["mustnot"]]) + "\n")
print(len(mails), "mails")
