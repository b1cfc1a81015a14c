package com.esii.support.hub.onsite;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.HubTestResources;
import com.esii.support.hub.testing.MailClient;
import com.esii.support.hub.testing.Mailboxes;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.TestSettings;
import com.esii.support.hub.testing.WireMockResource;
import com.esii.support.hub.testing.sim.Simulator;
import com.esii.support.hub.testing.sim.SimulatorProfile;
import com.esii.support.hub.testing.sim.SimulatorResource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * On-site interventions end to end (issue 27): staff decide one in the simulated Jira, the hub proposes who goes
 * and when in an internal comment, staff accept with a comment command, the customer and the technician receive
 * iMIP invitations by mail, the customer's calendar answers reach the support mailbox and change the appointment,
 * and the dashboard's map shows it. The bad inputs the issue names each have their test.
 */
@QuarkusTest
@TestProfile(SimulatorProfile.class)
class OnSiteFlowTest extends HubTestResources {

    @Inject
    DataSource ds;

    Simulator sim;

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", TestSettings.ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    static void member(String code, String name, String kind, String postcode, List<String> departments) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("kind", kind);
        body.put("email", code + "@field.example");
        body.put("basePostcode", postcode);
        body.put("departments", departments);
        admin().body(body).put("/admin/field-team/" + code).then().statusCode(200);
    }

    @BeforeEach
    void fresh() {
        sim = SimulatorResource.simulator();
        sim.reset();
        sim.webhooksTo("http://localhost:" + RestAssured.port + "/webhooks/jira", WireMockResource.WEBHOOK_SECRET);
        // the brochure's towns: two in Lavérune (Hérault), one in Toulouse, one in Créteil
        member("lucie", "Lucie Bernard", "technician", "34880", List.of());
        member("hugo", "Hugo Fabre", "technician", "34880", List.of());
        member("ines", "Inès Roussel", "technician", "31000", List.of());
        member("nadia", "Nadia Lefèvre", "technician", "94000", List.of());
    }

    @AfterEach
    void contractsKept() {
        assertEquals(List.of(), sim.contractViolations(), "requests to Jira that break Atlassian's contracts");
    }

    // ---- helpers

    String openTicket(String email, String accessCode) {
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        body.put("accessCode", accessCode);
        return given().contentType(ContentType.JSON).body(body).when().post("/api/tickets").then().statusCode(201)
                .extract().path("number");
    }

    /** A French ticket of the Clinique Saint-Roch, and the session of its request page: {number, cookie}. */
    String[] openWithPage(String email) {
        Map<String, Object> body = new HashMap<>(Samples.ticket(email));
        body.put("accessCode", "4711-2026");
        body.put("language", "fr");
        io.restassured.response.Response opened = given().contentType(ContentType.JSON).body(body)
                .post("/api/tickets").then().statusCode(201).extract().response();
        String number = opened.path("number");
        String cookie = given().redirects().follow(false).get("/status/" + number + "?token="
                + opened.path("accessToken")).then().statusCode(200).extract().cookie("hub_request");
        return new String[] {number, cookie};
    }

    String jsmKey(String number) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number) != null);
        return Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number);
    }

    /** A staff action through the simulator's control API (what staff do in Jira), delivered to the hub by webhook. */
    void staff(String action, String key, Map<String, String> more) {
        Map<String, Object> body = new HashMap<>(more);
        body.put("action", action);
        body.put("key", key);
        given().baseUri(sim.url()).contentType(ContentType.JSON).body(body).post("/__sim/staff").then().statusCode(200);
    }

    /**
     * The hub's internal comments on the request holding {@code containing}; staff's own {@code /onsite} commands are
     * not counted (a command "/onsite accept" is no second proposal).
     */
    List<String> internalComments(String key, String containing) {
        return sim.comments(key).stream().filter(c -> !c.isPublic() && !c.body().startsWith("/onsite")
                && c.body().contains(containing)).map(Simulator.JiraComment::body).toList();
    }

    /** The {@code count}th proposal: the hub's internal comment telling staff to write "/onsite accept". */
    String awaitProposal(String key, int count) {
        return awaitComment(key, "/onsite accept", count);
    }

    String awaitComment(String key, String containing, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> internalComments(key, containing).size() >= count);
        List<String> all = internalComments(key, containing);
        return all.get(count - 1);
    }

    long ticketId(String number) {
        return Long.parseLong(Db.string(ds, "SELECT id FROM ticket WHERE number = ?", number));
    }

    String visit(String number, String column) {
        return Db.string(ds, "SELECT " + column + " FROM onsite_visit WHERE ticket_id = ?", ticketId(number));
    }

    /** The mails to {@code address} carrying an iCalendar part, as (METHOD, calendar text). */
    static List<String[]> invitations(String address) {
        List<String[]> out = new ArrayList<>();
        for (MimeMessage m : Mailboxes.to(address)) {
            calendar(m).ifPresent(c -> out.add(c));
        }
        return out;
    }

    static Optional<String[]> calendar(Part p) {
        try {
            if (p.isMimeType("text/calendar")) {
                String type = p.getContentType();
                String method = new jakarta.mail.internet.ContentType(type).getParameter("method");
                return Optional.of(new String[] {method, new String(p.getInputStream().readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8)});
            }
            if (p.isMimeType("multipart/*")) {
                Multipart mp = (Multipart) p.getContent();
                for (int i = 0; i < mp.getCount(); i++) {
                    Optional<String[]> c = calendar(mp.getBodyPart(i));
                    if (c.isPresent()) {
                        return c;
                    }
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String[]> awaitInvitations(String address, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> invitations(address).size() >= count);
        return invitations(address);
    }

    /** The customer's calendar answering: a mail to the support mailbox with the iCalendar reply, as Outlook sends it. */
    static String answer(String from, String subject, String method, String uid, int sequence, String partStat,
            Instant start) throws Exception {
        String ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Calendar//FR\r\nMETHOD:" + method + "\r\n"
                + "BEGIN:VEVENT\r\nUID:" + uid + "\r\nSEQUENCE:" + sequence + "\r\nDTSTAMP:20261204T090000Z\r\n"
                + (start == null ? "" : "DTSTART:" + ical(start) + "\r\nDTEND:" + ical(start.plus(Duration.ofHours(2)))
                        + "\r\n")
                + "ATTENDEE;PARTSTAT=" + partStat + ":mailto:" + from + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        MimeMessage m = MailClient.message(from, subject, "x");
        MimeMultipart alt = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(partStat + " — " + subject, "UTF-8");
        alt.addBodyPart(text);
        BodyPart cal = new MimeBodyPart();
        cal.setContent(ics, "text/calendar; charset=UTF-8; method=" + method);
        alt.addBodyPart(cal);
        m.setContent(alt);
        MailClient.send(m);
        return m.getMessageID();
    }

    static String ical(Instant i) {
        return i.toString().replace("-", "").replace(":", "").replace(".000", "");
    }

    String verdict(String messageId) {
        String bare = messageId.replaceAll("[<>]", "");
        return Db.string(ds, "SELECT verdict FROM mail_receipt WHERE message_id IN (?, ?)", bare, "<" + bare + ">");
    }

    String awaitVerdict(String messageId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> verdict(messageId) != null);
        return verdict(messageId);
    }

    int ticketsFrom(String email) {
        return Integer.parseInt(Db.string(ds, "SELECT COUNT(*) FROM ticket WHERE customer_email = ?", email));
    }

    /** Staff decide on site; the hub proposes; staff accept; both invited. Returns the customer's invitation. */
    String[] plannedAndInvited(String email, String key) {
        staff("onsite", key, Map.of());
        awaitProposal(key, 1);
        staff("onsite-accept", key, Map.of());
        return awaitInvitations(email, 1).get(0);
    }

    // ---- the story of the issue

    @Test
    void aDecisionInHeraultInvitesTheCustomerAndALaveruneTechnicianWithinTheDeadlineAndADeclineBringsAnotherProposal()
            throws Exception {
        String email = Samples.unique("onsite");
        String number = openTicket(email, "4711-2026"); // Clinique Saint-Roch, Montpellier (34), under maintenance
        String key = jsmKey(number);

        staff("onsite", key, Map.of());
        String proposal = awaitProposal(key, 1);
        String worker = visit(number, "worker_email");
        assertTrue(worker.equals("lucie@field.example") || worker.equals("hugo@field.example"),
                "a Lavérune technician, the nearest: " + worker);
        assertTrue(proposal.startsWith("Intervention sur site proposée : " + visit(number, "worker_name")), proposal);
        assertTrue(proposal.contains("Montpellier") && proposal.contains("Hérault"), "the site and the travel's base: "
                + proposal);
        assertTrue(proposal.contains("Dans l'engagement"), "within the 16 working hours: " + proposal);
        OffsetDateTime start = OffsetDateTime.parse(visit(number, "starts_at").replace(' ', 'T'));
        OffsetDateTime due = OffsetDateTime.parse(Db.string(ds, "SELECT on_site_due FROM ticket WHERE number = ?",
                number).replace(' ', 'T'));
        assertFalse(start.isAfter(due), "on site " + start + ", before the deadline " + due);
        assertTrue(invitations(email).isEmpty(), "nobody is invited before staff accept");

        staff("onsite-accept", key, Map.of());
        String[] toCustomer = awaitInvitations(email, 1).get(0);
        Invitations.Answer sent = Invitations.read(toCustomer[1]).orElseThrow();
        // the worker's mailbox holds other tests' invitations too: theirs for this appointment
        await().atMost(Duration.ofSeconds(20)).until(() -> invitations(worker).stream()
                .anyMatch(i -> sent.uid().equals(Invitations.read(i[1]).orElseThrow().uid())));
        String[] toWorker = invitations(worker).stream()
                .filter(i -> sent.uid().equals(Invitations.read(i[1]).orElseThrow().uid())).findFirst().orElseThrow();
        assertEquals("REQUEST", toCustomer[0]);
        assertEquals("REQUEST", toWorker[0]);
        assertEquals(start.toInstant(), sent.start());
        assertEquals(1, sent.sequence());
        assertEquals(email, sent.attendee());
        assertEquals(start.toInstant(), Invitations.read(toWorker[1]).orElseThrow().start(),
                "one appointment, two invitations");
        MimeMessage sheet = Mailboxes.to(worker).stream().filter(m -> Mailboxes.text(m).contains(number)).findFirst()
                .orElseThrow();
        assertTrue(Mailboxes.text(sheet).contains(number) && Mailboxes.text(sheet).contains("Claire Roux"),
                "the job sheet names the ticket and the on-site contact: " + Mailboxes.text(sheet));
        awaitComment(key, "Invitations envoyées", 1);

        // the customer declines from their calendar: no ticket, no comment to the customer, a new proposal
        String reply = answer(email, "Refusé : [" + number + "] Intervention sur site", "REPLY", sent.uid(), 1,
                "DECLINED", null);
        assertEquals("CALENDAR_REPLY", awaitVerdict(reply));
        String second = awaitProposal(key, 2);
        assertNotEquals(proposal, second);
        assertEquals(1, ticketsFrom(email), "a calendar's reply never opens a ticket");
        OffsetDateTime next = OffsetDateTime.parse(visit(number, "starts_at").replace(' ', 'T'));
        assertFalse(next.toInstant().isBefore(start.plusHours(2).toInstant()),
                "the declined slot is not proposed again: " + start + " then " + next);
        assertEquals("proposed", visit(number, "status"));

        staff("onsite-accept", key, Map.of());
        String[] update = awaitInvitations(email, 2).get(1);
        Invitations.Answer moved = Invitations.read(update[1]).orElseThrow();
        assertEquals(sent.uid(), moved.uid(), "the same appointment, moved");
        assertEquals(2, moved.sequence());
        assertEquals(next.toInstant(), moved.start());

        // the customer accepts on the request page's side (here: from the calendar again)
        String yes = answer(email, "Accepté : [" + number + "] Intervention sur site", "REPLY", sent.uid(), 2,
                "ACCEPTED", null);
        assertEquals("CALENDAR_REPLY", awaitVerdict(yes));
        await().atMost(Duration.ofSeconds(10)).until(() -> "accepted".equals(visit(number, "status")));

        // the managers' map: the Hérault has it
        LocalDate today = LocalDate.now();
        String page = admin().get("/admin/dashboard?lang=fr&from=" + today.withDayOfMonth(1) + "&to="
                + today.plusDays(40)).then().statusCode(200).extract().asString();
        org.jsoup.nodes.Document doc = org.jsoup.Jsoup.parse(page);
        org.jsoup.nodes.Element map = doc.getElementById("interventions-map-chart");
        assertNotNull(map, "the map is drawn: " + page);
        assertEquals("interventions-map-chart-title interventions-map-chart-desc", map.attr("aria-labelledby"));
        org.jsoup.nodes.Element herault = map.selectFirst("circle[data-department=34]");
        assertNotNull(herault, "the map shows the Hérault");
        assertTrue(Integer.parseInt(herault.attr("data-count")) >= 1);
        assertTrue(herault.text().startsWith("Hérault (34)"), "and names it in words: " + herault.text());
        assertTrue(Integer.parseInt(doc.selectFirst("#map-department tr[data-key=34] td[data-key=planned]").text()) >= 1);
    }

    @Test
    void theRequestPageShowsTheAppointmentAndTakesTheCustomersAnswer() {
        String email = Samples.unique("onsite-page");
        String[] opened = openWithPage(email);
        String number = opened[0];
        String cookie = opened[1];
        String key = jsmKey(number);
        String before = given().cookie("hub_request", cookie).get("/status/" + number).then().statusCode(200)
                .extract().asString();
        assertFalse(before.contains("id=\"visit\""), "nothing to show before an intervention is planned");

        plannedAndInvited(email, key);
        String page = given().cookie("hub_request", cookie).get("/status/" + number).then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("Intervention sur site") && page.contains("en attente de votre réponse"), page);
        assertTrue(page.contains(visit(number, "worker_name")) && page.contains("Montpellier"), page);
        assertTrue(page.contains("id=\"visit-accept\""), page);

        // the customer asks for another slot, in their words: staff are told, a new proposal follows
        given().cookie("hub_request", cookie).redirects().follow(false).formParam("answer", "decline")
                .formParam("message", "Pas le matin, s'il vous plaît").formParam("lang", "fr")
                .post("/status/" + number + "/visit").then().statusCode(303);
        String declined = awaitComment(key, "a décliné", 1);
        assertTrue(declined.contains("Pas le matin"), declined);
        awaitProposal(key, 2);
        staff("onsite-accept", key, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> "invited".equals(visit(number, "status")));

        given().cookie("hub_request", cookie).redirects().follow(false).formParam("answer", "accept")
                .formParam("lang", "fr").post("/status/" + number + "/visit").then().statusCode(303);
        assertEquals("accepted", visit(number, "status"));
        String after = given().cookie("hub_request", cookie).get("/status/" + number + "?done=visit-accepted").then()
                .statusCode(200).extract().asString();
        assertTrue(after.contains("le rendez-vous est confirmé") && !after.contains("id=\"visit-accept\""), after);

        // answered already: the same answer again changes nothing; no session, no answer
        given().cookie("hub_request", cookie).redirects().follow(false).formParam("answer", "accept")
                .post("/status/" + number + "/visit").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.containsString("visit-unchanged"));
        assertEquals("accepted", visit(number, "status"));
        given().redirects().follow(false).formParam("answer", "accept").post("/status/" + number + "/visit").then()
                .statusCode(404);
    }

    @Test
    void aStandardExchangeIsNotPlannedOnSiteAndTheRequestPageSaysWhereTheUnitIs() {
        String email = Samples.unique("onsite-exchange");
        String[] opened = openWithPage(email);
        String number = opened[0];
        String cookie = opened[1];
        String key = jsmKey(number);
        assertEquals(204, sim.deliver(sim.addLabel(key, "standard-exchange")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "exchange".equals(Db.string(ds,
                "SELECT on_site_kind FROM ticket WHERE number = ?", number)));
        org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(given().cookie("hub_request", cookie)
                .get("/status/" + number).then().statusCode(200).extract().asString());
        org.jsoup.nodes.Element exchange = page.getElementById("exchange");
        assertNotNull(exchange, page.html());
        List<org.jsoup.nodes.Element> steps = exchange.select("dd");
        assertEquals(3, steps.size());
        assertNotNull(steps.get(0).selectFirst("time"), "the unit is sent: " + exchange.text());
        assertTrue(steps.get(1).text().equals("pas encore") && steps.get(2).text().equals("pas encore"), exchange.text());
        assertEquals(null, visit(number, "status"), "an exchange is sent, not planned on site");

        assertEquals(204, sim.deliver(sim.addLabel(key, "workshop-repair")));
        await().atMost(Duration.ofSeconds(20)).until(() -> org.jsoup.Jsoup.parse(given().cookie("hub_request", cookie)
                .get("/status/" + number).asString()).select("#exchange dd time").size() == 2);
    }

    @Inject
    OnSitePlanning planning;

    @Test
    void theWorkingDayBeforeBothAreRemindedOnceAndTheErpRecordNamesWhoWent() throws Exception {
        String email = Samples.unique("onsite-remind");
        String number = openTicket(email, "4711-2026");
        String key = jsmKey(number);
        plannedAndInvited(email, key);
        String workerEmail = visit(number, "worker_email");
        String workerName = visit(number, "worker_name");
        OffsetDateTime start = OffsetDateTime.parse(visit(number, "starts_at").replace(' ', 'T'));
        // 16:30 (Paris) on the working day before the appointment
        java.time.ZoneId paris = java.time.ZoneId.of("Europe/Paris");
        LocalDate day = start.atZoneSameInstant(paris).toLocalDate().minusDays(1);
        while (day.getDayOfWeek().getValue() > 5) {
            day = day.minusDays(1);
        }
        OffsetDateTime eve = day.atTime(16, 30).atZone(paris).toOffsetDateTime();
        int before = Mailboxes.to(email).size();
        planning.remind(eve);
        planning.remind(eve.plusMinutes(15)); // the next run, or another replica: nothing twice
        await().atMost(Duration.ofSeconds(20)).until(() -> Mailboxes.to(email).size() == before + 1);
        String reminder = Mailboxes.to(email).get(before).getSubject().toString();
        assertTrue(reminder.contains(number), reminder);
        await().atMost(Duration.ofSeconds(20)).until(() -> Mailboxes.to(workerEmail).stream()
                .anyMatch(m -> Mailboxes.text(m).contains(number) && !Mailboxes.text(m).isEmpty()
                        && calendar(m).isEmpty()));
        awaitComment(key, "Rappel envoyé", 1);
        planning.remind(eve.minusDays(3)); // not the day before: nothing
        assertEquals(before + 1, Mailboxes.to(email).size());

        // done: the ERP's record says who went and how far
        sim.deliver(sim.addLabel(key, "on-site-done"));
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.records(number).stream()
                .anyMatch(r -> r.param().path("activity").asText().equals("intervention-done")));
        com.fasterxml.jackson.databind.JsonNode done = sim.records(number).stream()
                .filter(r -> r.param().path("activity").asText().equals("intervention-done")).findFirst()
                .orElseThrow().param();
        assertTrue(done.path("detail").asText().contains(workerName), done.toString());
        assertTrue(done.path("detail").asText().contains("min each way"), done.toString());
        assertEquals("done", visit(number, "status"));
    }

    @Test
    void resolvingTheRequestCancelsTheAppointmentForBothAndAStrayCommandIsRefused() {
        String email = Samples.unique("onsite-resolved");
        String number = openWithPage(email)[0];
        String key = jsmKey(number);
        staff("comment", key, Map.of("text", "/onsite replan", "public", "false"));
        assertTrue(awaitComment(key, "non appliquée", 1).contains("aucune intervention n'est décidée"));
        assertEquals(null, visit(number, "status"), "nothing planned without a decision");

        plannedAndInvited(email, key);
        String uid = visit(number, "uid");
        String workerEmail = visit(number, "worker_email");
        assertEquals(204, sim.deliver(sim.resolve(key, "Done")));
        await().atMost(Duration.ofSeconds(20)).until(() -> invitations(email).stream().anyMatch(i -> "CANCEL".equals(i[0])));
        String[] cancel = invitations(email).stream().filter(i -> "CANCEL".equals(i[0])).findFirst().orElseThrow();
        assertEquals(uid, Invitations.read(cancel[1]).orElseThrow().uid());
        assertTrue(Mailboxes.to(email).stream().anyMatch(m -> Mailboxes.text(m).contains("votre demande est résolue")),
                "the reason in the customer's language");
        await().atMost(Duration.ofSeconds(20)).until(() -> invitations(workerEmail).stream()
                .anyMatch(i -> "CANCEL".equals(i[0]) && uid.equals(Invitations.read(i[1]).orElseThrow().uid())));
        assertEquals("cancelled", visit(number, "status"));
    }

    @Test
    void aProposalNotAcceptedBeforeItsSlotIsProposedAgain() {
        String email = Samples.unique("onsite-expired");
        String number = openTicket(email, "4711-2026");
        String key = jsmKey(number);
        staff("onsite", key, Map.of());
        awaitProposal(key, 1);
        OffsetDateTime start = OffsetDateTime.parse(visit(number, "starts_at").replace(' ', 'T'));
        planning.expireProposals(start.minusMinutes(1)); // not yet: nothing
        assertEquals("proposed", visit(number, "status"));
        planning.expireProposals(start.plusMinutes(1)); // the slot began, staff never accepted
        awaitComment(key, "pas été acceptée à temps", 1);
        awaitProposal(key, 2);
        assertEquals("proposed", visit(number, "status"));
        assertTrue(invitations(email).isEmpty(), "nobody was invited to the expired slot");
    }

    @Test
    void staffChoosingSomeoneAfterTheDeadlineAreWarnedAndAWrongChoiceIsRefused() {
        String email = Samples.unique("onsite-choose");
        String number = openTicket(email, "4711-2026");
        String key = jsmKey(number);
        staff("onsite", key, Map.of());
        awaitProposal(key, 1);
        // nobody called "zoe"; Nadia on a Sunday; then Nadia (Créteil) in three weeks, a Tuesday at 10:00
        staff("onsite-choose", key, Map.of("worker", "zoe", "at", "2027-01-05 10:00"));
        awaitComment(key, "zoe", 1);
        LocalDate sunday = LocalDate.now().plusWeeks(2).with(java.time.DayOfWeek.SUNDAY);
        staff("onsite-choose", key, Map.of("worker", "nadia", "at", sunday + " 10:00"));
        awaitComment(key, "ne travaille pas", 1);
        assertTrue(invitations(email).isEmpty(), "nothing sent for a refused choice");
        LocalDate tuesday = LocalDate.now().plusWeeks(3).with(java.time.DayOfWeek.TUESDAY);
        while (new com.esii.support.hub.sla.BusinessCalendar(java.time.ZoneId.of("Europe/Paris"),
                java.time.LocalTime.of(8, 0), java.time.LocalTime.of(18, 30),
                java.util.EnumSet.range(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.FRIDAY), "fr")
                .isHoliday(tuesday)) {
            tuesday = tuesday.plusWeeks(1);
        }
        staff("onsite-choose", key, Map.of("worker", "nadia", "at", tuesday + " 10:00"));
        String[] invitation = awaitInvitations(email, 1).get(0);
        assertEquals(tuesday.atTime(10, 0).atZone(java.time.ZoneId.of("Europe/Paris")).toInstant(),
                Invitations.read(invitation[1]).orElseThrow().start());
        assertEquals("nadia@field.example", visit(number, "worker_email"));
        awaitComment(key, "hors engagement", 1);
    }

    @Test
    void theOutboxGaugesTheTypesTheEdgesRegisterTheOnSiteOnesIncluded() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String type : List.of("onsite-plan", "mail-onsite", "mail-staff", "jira-create", "mail-ack", "erp-record")) {
            assertTrue(metrics.contains("hub_outbox_overdue_rows{type=\"" + type + "\"}"), "a series for " + type);
        }
    }

    // ---- bad input

    @Test
    void aSiteWithAnUnknownPostcodeIsProposedWithoutTravelAndSaysSo() {
        sim.addErpCustomer("C0100", "Cabinet Inconnu", true, false, false, List.of("SITE-0000"), List.of(),
                List.of());
        sim.erpCustomerSite("C0100", "1 rue Perdue", "00000", "Nulle-Part", "Jean Perdu", "jean@cabinet.example");
        String email = Samples.unique("onsite-nowhere");
        String number = openTicket(email, "SITE-0000");
        String key = jsmKey(number);
        staff("onsite", key, Map.of());
        String proposal = awaitProposal(key, 1);
        assertTrue(proposal.contains("Trajet non calculé") && proposal.contains("00000"), proposal);
        assertEquals(null, visit(number, "travel_minutes"));
        assertEquals(null, visit(number, "department"));
    }

    @Test
    void aTechnicianRemovedWhilePlannedIsReplacedAndTheirInvitationCancelled() {
        String email = Samples.unique("onsite-removed");
        String number = openTicket(email, "4711-2026");
        String key = jsmKey(number);
        plannedAndInvited(email, key);
        String worker = visit(number, "worker");
        String workerEmail = visit(number, "worker_email");
        try {
            admin().delete("/admin/field-team/" + worker).then().statusCode(204);
            String replan = awaitProposal(key, 2);
            assertFalse(visit(number, "worker").equals(worker), "someone else: " + replan);
            staff("onsite-accept", key, Map.of());
            String uid = visit(number, "uid");
            await().atMost(Duration.ofSeconds(20)).until(() -> invitations(workerEmail).stream()
                    .anyMatch(i -> "CANCEL".equals(i[0]) && uid.equals(Invitations.read(i[1]).orElseThrow().uid())));
            String[] toCustomer = awaitInvitations(email, 2).get(1);
            assertEquals("REQUEST", toCustomer[0]);
            assertEquals(2, Invitations.read(toCustomer[1]).orElseThrow().sequence());
        } finally {
            member(worker, worker.equals("lucie") ? "Lucie Bernard" : "Hugo Fabre", "technician", "34880", List.of());
        }
    }

    @Test
    void aReplyForAnUnknownAppointmentIsKeptAndOpensNoTicket() throws Exception {
        String from = Samples.unique("onsite-stranger");
        int kept = Integer.parseInt(Db.string(ds, "SELECT COUNT(*) FROM onsite_reply"));
        String id = answer(from, "Accepted: Team lunch", "REPLY", "not-ours-" + from, 0, "ACCEPTED", null);
        assertEquals("CALENDAR_REPLY", awaitVerdict(id));
        assertEquals(kept + 1, Integer.parseInt(Db.string(ds, "SELECT COUNT(*) FROM onsite_reply")));
        assertEquals(0, ticketsFrom(from));
        assertTrue(Mailboxes.to(from).isEmpty(), "never answered");
    }

    @Test
    void aCounterProposalOutsideWorkingHoursIsRefusedPolitelyWithTheNextSlots() throws Exception {
        String email = Samples.unique("onsite-counter");
        String number = openTicket(email, "4711-2026");
        String key = jsmKey(number);
        String[] invitation = plannedAndInvited(email, key);
        Invitations.Answer sent = Invitations.read(invitation[1]).orElseThrow();
        String before = visit(number, "starts_at");
        // a Sunday at 03:00, Paris
        Instant sunday = LocalDate.now().plusWeeks(1).with(java.time.DayOfWeek.SUNDAY).atTime(3, 0)
                .atZone(java.time.ZoneId.of("Europe/Paris")).toInstant();
        String id = answer(email, "Nouvelle proposition : [" + number + "]", "COUNTER", sent.uid(), 1, "TENTATIVE",
                sunday);
        assertEquals("CALENDAR_REPLY", awaitVerdict(id));
        await().atMost(Duration.ofSeconds(20)).until(() -> Mailboxes.to(email).size() >= 3);
        MimeMessage refusal = Mailboxes.to(email).get(Mailboxes.to(email).size() - 1);
        String text = Mailboxes.text(refusal);
        assertTrue(text.contains(" - ") || text.contains("  - "), "the next possible slots, listed: " + text);
        assertEquals(before, visit(number, "starts_at"), "the appointment stays as it was");
        assertNotNull(awaitComment(key, "hors des horaires", 1));
    }

    @Test
    void aBadFieldTeamEntryIsRefusedNamingTheField() {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "X");
        body.put("kind", "partner");
        body.put("email", "x@p.example");
        body.put("basePostcode", "99999");
        body.put("departments", List.of("34", "100"));
        body.put("hours", "EVERY DAY");
        String problem = admin().body(body).put("/admin/field-team/x").then().statusCode(400).extract().asString();
        assertTrue(problem.contains("basePostcode") && problem.contains("departments") && problem.contains("hours"),
                problem);
    }
}
