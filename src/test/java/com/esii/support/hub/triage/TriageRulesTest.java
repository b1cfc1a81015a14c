package com.esii.support.hub.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.esii.support.hub.ticket.Criticality;
import com.esii.support.hub.ticket.Kind;

class TriageRulesTest {

    static final TriageRules RULES = TriageRules.builtIn();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // subject | text | kind | criticality | rule that decided the criticality
            "Borne en panne | Depuis ce matin la borne affiche un écran noir. | problem | blocking | blocking-fr",
            "URGENT plus rien ne fonctionne | Toute la production est à l'arrêt. | problem | blocking | blocking-fr",
            "Serveur hors service | Le serveur de supervision ne répond plus. | problem | blocking | blocking-fr",
            "Caisse bloquée | Impossible d'encaisser, la caisse est bloquée. | problem | blocking | blocking-fr",
            "PLUS RIEN NE MARCHE | Tous les postes sont figés | problem | blocking | blocking-fr",
            "Production arrêtée | Depuis la mise à jour, production arrêtée sur la ligne 2 | problem | blocking | blocking-fr",
            "Le logiciel ne fonctionne pas | Message d'erreur au lancement. | problem | major | major-fr",
            "Erreur à l'export | L'export PDF renvoie une erreur 500. | problem | major | major-fr",
            "Application très lente | Les écrans mettent 30 secondes à s'ouvrir. | problem | major | major-fr",
            "Le logiciel plante | Il plante quand on imprime. | problem | major | major-fr",
            "Faute de frappe | Il y a une faute de frappe dans le menu Aide. | problem | minor | minor-fr",
            "Petit souci d'affichage | Un petit souci, pas urgent. | problem | minor | minor-fr",
            "Question sur les exports | Comment faire pour exporter en CSV ? | question | major | default",
            "Comment puis-je ajouter un utilisateur ? | Merci d'avance. | question | major | default",
            "Demande de renseignement | Est-il possible d'avoir deux écrans ? | question | major | default",
            "Formation | Nous souhaitons une formation pour deux agents. | question | major | default",
            "System down | Our whole site is down since 9am. | problem | blocking | blocking-en",
            "Outage | Major outage on the tracking system | problem | blocking | blocking-en",
            "Nothing works | After the update nothing works anymore. | problem | blocking | blocking-en",
            "Printer stopped working | The label printer stopped working at noon. | problem | blocking | blocking-en",
            "Terminal not working at all | Totally unusable since the reboot. | problem | blocking | blocking-en",
            "Report not working | The monthly report is not working. | problem | major | major-en",
            "Error when saving | We get an error when saving a form. | problem | major | major-common",
            "App crashes | The app crashes on startup. | problem | major | major-common",
            "Very slow search | Search is very slow today. | problem | major | major-en",
            "Typo in the invoice | Small typo, low priority. | problem | minor | minor-en",
            "Cosmetic issue | The logo is slightly misaligned, cosmetic only. | problem | minor | minor-en",
            "How do I reset a password? | A user forgot theirs. | question | major | default",
            "Question about licences | Is it possible to move a licence to a new PC? | question | major | default",
            "Documentation | Where can I find the user documentation? | question | major | default",
            "How to export data | Could you explain the export steps? | question | major | default",
            "Download link | Please send the download link for version 5. | problem | major | default",
            "No funciona nada | Desde esta mañana no funciona nada. | problem | blocking | blocking-es",
            "Servidor caído | El servidor está caído. | problem | blocking | blocking-es",
            "Sistema bloqueado | El sistema está bloqueado, imposible trabajar. | problem | blocking | blocking-es",
            "Terminal fuera de servicio | El terminal 3 está fuera de servicio. | problem | blocking | blocking-es",
            "La impresora no funciona | La impresora de etiquetas no funciona. | problem | major | major-es",
            "Error al guardar | Aparece un error al guardar. | problem | major | major-common",
            "Aplicación muy lenta | Todo va muy lento. | problem | major | major-es",
            "Errata en el menú | Pequeño detalle, no es urgente. | problem | minor | minor-es",
            "Pregunta | ¿Cómo puedo añadir un usuario? | question | major | default",
            "Consulta sobre licencias | ¿Es posible instalar en dos equipos? | question | major | default",
            "Question: server down | Is it normal that the server is down? | problem | blocking | blocking-en"
    })
    void classifiesRealisticRequests(String subject, String text, String kind, String criticality, String rule) {
        TriageRules.Classification c = RULES.classify(subject, text, null, null);
        assertEquals(Kind.fromCode(kind).orElseThrow(), c.kind(), "kind (rule " + c.kindRule() + ")");
        assertEquals(Criticality.fromCode(criticality).orElseThrow(), c.criticality(), "criticality");
        assertEquals(rule, c.criticalityRule());
    }

    @Test
    void whatTheCustomerChoseOnTheFormWins() {
        TriageRules.Classification c = RULES.classify("Site down", "nothing works", Kind.QUESTION, Criticality.MINOR);
        assertEquals(new TriageRules.Classification(Kind.QUESTION, "form", Criticality.MINOR, "form"), c);
    }

    @Test
    void wordsMatchWholeWordsOnly() {
        // "down" in "download" and "countdown" is not an outage.
        assertEquals("default", RULES.classify("Countdown timer", "download page", null, null).criticalityRule());
    }

    @ParameterizedTest
    @CsvSource({
            "MAINTAINED, PROBLEM, BLOCKING, 1",
            "MAINTAINED, QUESTION, MINOR, 4",
            "UNKNOWN, PROBLEM, BLOCKING, 2",
            "NOT_MAINTAINED, PROBLEM, BLOCKING, 3",
            "NOT_MAINTAINED, QUESTION, MINOR, 5"
    })
    void priorityComesFromContractKindAndCriticality(TriageRules.Contract contract, Kind kind, Criticality criticality,
            int priority) {
        assertEquals(priority, RULES.priority(contract, kind, criticality));
    }

    @Test
    void aTableWithAHoleIsRefusedWhenLoaded() {
        String json = "{\"defaults\":{},\"criticality\":[],\"kind\":[],\"priority\":{\"maintained\":{}}}";
        assertThrows(IllegalArgumentException.class,
                () -> TriageRules.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    }
}
