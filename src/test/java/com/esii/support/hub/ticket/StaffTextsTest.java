package com.esii.support.hub.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.esii.support.hub.email.DeliveryReport;

import io.smallrye.config.WithDefault;

/**
 * Staff's texts ({@code i18n/staff_xx.properties}): the three files hold the same keys with the same placeholders,
 * every key the code asks for exists and none is left that it does not, and French is the desk's language unless
 * {@code hub.desk.language} says otherwise.
 */
class StaffTextsTest {

    @Test
    void everyKeyIsInTheThreeLanguagesWithTheSamePlaceholders() {
        List<String> wrong = new ArrayList<>();
        for (Language a : Language.values()) {
            for (Language b : Language.values()) {
                for (Map.Entry<String, String> e : StaffTexts.texts(a).entrySet()) {
                    String other = StaffTexts.texts(b).get(e.getKey());
                    if (other == null) {
                        wrong.add(e.getKey() + ": in " + a.code() + ", not in " + b.code());
                    } else if (!StaffTexts.placeholders(e.getValue()).equals(StaffTexts.placeholders(other))) {
                        wrong.add(e.getKey() + ": " + a.code() + " has " + StaffTexts.placeholders(e.getValue())
                                + ", " + b.code() + " has " + StaffTexts.placeholders(other));
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** Keys are literals in the code ({@code texts.text("key"…)}) or built from the hub's values: all must exist. */
    @Test
    void everyKeyTheCodeAsksForExists() throws IOException {
        Set<String> asked = new TreeSet<>();
        // texts.text("key"...), not texts.text("prefix." + value) (those are listed below)
        Pattern literal = Pattern.compile("texts\\.text\\(\\s*\"([^\"]+)\"(?!\\s*\\+)");
        // texts.text(breach ? "a" : "b"...)
        Pattern chosen = Pattern.compile("\\?\\s*\"([a-z][a-z.-]*)\"\\s*:\\s*\"([a-z][a-z.-]*)\"(?!\\s*\\+)");
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String code = Files.readString(f);
                if (!code.contains("StaffTexts")) {
                    continue;
                }
                Matcher m = literal.matcher(code);
                while (m.find()) {
                    asked.add(m.group(1));
                }
                m = chosen.matcher(code);
                while (m.find()) {
                    asked.add(m.group(1));
                    asked.add(m.group(2));
                }
            }
        }
        // the admin pages' templates ask with frame.text('key'...)
        Set<String> inTemplates = templateKeys();
        assertTrue(inTemplates.size() > 100, "the templates' keys were found: " + inTemplates);
        asked.addAll(inTemplates);
        assertTrue(asked.size() > 40, "the code's keys were found: " + asked);
        for (Kind k : Kind.values()) {
            asked.add("kind." + k.code());
        }
        for (Criticality c : Criticality.values()) {
            asked.add("criticality." + c.code());
        }
        for (Channel c : Channel.values()) {
            asked.add("channel." + c.name().toLowerCase(java.util.Locale.ROOT));
        }
        for (String c : List.of(Ticket.MAINTAINED, Ticket.NOT_MAINTAINED, Ticket.UNKNOWN)) {
            asked.add("contract." + c);
        }
        for (String by : List.of("access-code", "email", "domain", "phone")) {
            asked.add("reason." + by);
        }
        for (String level : List.of("on-call", "backup", "manager")) {
            asked.add("level." + level);
        }
        for (DeliveryReport.Action a : DeliveryReport.Action.values()) {
            asked.add(a == DeliveryReport.Action.DELAYED ? "report.delayed-action"
                    : "report." + a.name().toLowerCase(java.util.Locale.ROOT));
        }
        Set<String> missing = new TreeSet<>(asked);
        missing.removeAll(StaffTexts.texts(Language.FR).keySet());
        assertEquals(Set.of(), missing);
    }

    /**
     * No text is left behind once the code stops asking for it (a mail made a template takes its texts along): each
     * key is a literal of the code, or starts with a prefix the code completes ({@code "kind." + k.code()}).
     */
    @Test
    void everyKeyIsAskedForByTheCode() throws IOException {
        Set<String> literals = new TreeSet<>();
        Pattern string = Pattern.compile("\"([A-Za-z][A-Za-z0-9.-]*)\"");
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = string.matcher(Files.readString(f));
                while (m.find()) {
                    literals.add(m.group(1));
                }
            }
        }
        literals.addAll(templateKeys());
        List<String> unused = StaffTexts.texts(Language.FR).keySet().stream().filter(k -> !literals.contains(k)
                && literals.stream().noneMatch(p -> p.endsWith(".") && k.startsWith(p))).sorted().toList();
        assertEquals(List.of(), unused, "texts no code asks for");
    }

    /** The keys the templates ask for: {@code frame.text('admin.tickets.title')} (the admin pages, issue 26.9). */
    static Set<String> templateKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        Pattern asked = Pattern.compile("\\.text\\('([A-Za-z][A-Za-z0-9.-]*)'");
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/templates"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".html") || p.toString().endsWith(".txt")).toList()) {
                Matcher m = asked.matcher(Files.readString(f));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

    @Test
    void theDeskSpeaksFrenchUnlessTheSettingSaysOtherwise() throws Exception {
        assertEquals("fr", TicketConfig.Desk.class.getMethod("language").getAnnotation(WithDefault.class).value());
        assertEquals("Transmis à la R&D : DEV-7. Le client est informé du contournement, du correctif et de la"
                + " résolution au fur et à mesure que la R&D les enregistre.",
                new StaffTexts(Language.FR).text("escalated", "bug", "DEV-7"));
        assertEquals("Escalated to R&D: DEV-7. The customer is told of the workaround, the fix and the resolution as"
                + " R&D records them.", new StaffTexts(Language.EN).text("escalated", "bug", "DEV-7"));
        assertTrue(new StaffTexts(Language.ES).text("escalated", "bug", "DEV-7").startsWith("Escalado a I+D: DEV-7."));
    }

    @Test
    void placeholdersAreFilledOnceAndTimesAreWrittenInTheDesksLanguage() {
        StaffTexts fr = new StaffTexts(Language.FR);
        // a customer's subject holding braces is put in as it is, never filled in turn
        assertEquals("Réponse automatique de la messagerie du client (restée sans réponse) : Absent {ticket}",
                fr.text("auto-reply", "subject", "Absent {ticket}"));
        assertThrows(IllegalArgumentException.class, () -> fr.text("auto-reply", "subject"));
        assertThrows(IllegalArgumentException.class, () -> fr.text("no-such-text"));
        ZonedDateTime at = ZonedDateTime.of(2026, 3, 16, 8, 0, 0, 0, ZoneId.of("Europe/Paris"));
        assertEquals("lundi 16 mars 2026 à 08h00", fr.time(at));
        assertEquals("Mon 2026-03-16 08:00", new StaffTexts(Language.EN).time(at));
        assertEquals("lunes 16 de marzo de 2026, 08:00", new StaffTexts(Language.ES).time(at));
        assertEquals("anomalie", fr.kind(Kind.PROBLEM));
        assertEquals("bloquante", fr.criticality(Criticality.BLOCKING));
        assertEquals("sous maintenance", fr.contract(Ticket.MAINTAINED));
        assertEquals("hosted-only", fr.contract("hosted-only"), "a contract the texts do not know is shown as it is");
    }

    /**
     * Issue 26: the contract's reason (kept in English in the ticket, as the ERP lookup and triage wrote it) reaches
     * staff in the desk's language, in the JSM description and the re-triage comment; a reason of another shape (an
     * ERP's error message) is shown as it is.
     */
    @Test
    void theContractsReasonIsWrittenInTheDesksLanguage() {
        StaffTexts fr = new StaffTexts(Language.FR);
        assertEquals("code d'accès 4711-2026 → client C0001", fr.contractReason("access-code 4711-2026 → C0001 (maintained)"));
        assertEquals("domaine logistique-durand.fr → client C0002",
                fr.contractReason("domain logistique-durand.fr → C0002 (not maintained)"));
        assertEquals("aucun client dans l'ERP pour : code d'accès 12, adresse a@b.fr, domaine b.fr ;"
                + " pas de contrat de maintenance", fr.contractReason("no customer in the ERP for access-code 12,"
                        + " email a@b.fr, domain b.fr: no maintenance contract"));
        assertEquals("rien pour identifier le client ; pas de contrat de maintenance",
                fr.contractReason("nothing to identify the customer by: no maintenance contract"));
        assertEquals("ERP injoignable (connect timed out) ; délais tenus comme pour un client sous maintenance"
                + " jusqu'à la réponse de l'ERP", fr.contractReason("ERP unavailable: connect timed out; deadlines held"
                        + " as for a maintained customer until the ERP answers"));
        assertEquals("aucun ERP configuré ; délais tenus comme pour un client sous maintenance jusqu'à la réponse de"
                + " l'ERP", fr.contractReason("no ERP configured; deadlines held as for a maintained customer until the"
                        + " ERP answers"));
        assertEquals("access code 4711 via the hotline", fr.contractReason("access code 4711 via the hotline"));
        assertEquals("access code 4711-2026 → customer C0001",
                new StaffTexts(Language.EN).contractReason("access-code 4711-2026 → C0001 (maintained)"));
        assertEquals("código de acceso 4711-2026 → cliente C0001",
                new StaffTexts(Language.ES).contractReason("access-code 4711-2026 → C0001 (maintained)"));
        assertEquals("?", fr.contractReason(null));
    }
}
