package com.esii.support.hub.demo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.cluster.Leases;
import com.esii.support.hub.jira.JiraConfig;
import com.esii.support.hub.oncall.MovableClock;
import com.esii.support.hub.outbox.OutboxRelayProducer;
import com.esii.support.hub.security.SecurityConfig;
import com.esii.support.hub.testing.Db;
import com.esii.support.hub.testing.FreePorts;
import com.esii.support.hub.testing.Samples;
import com.esii.support.hub.testing.sim.Simulator;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;

/**
 * The demo run as a -Pdemo build makes it: its settings file, its generated secrets (demo/DemoSecrets), H2, the
 * embedded GreenMail and the Jira/ERP simulator with its staff console, the seeded rota, the bundled SMDR sender.
 * Only the ports (free ones), the database file (under target/) and the hub's clock (movable, for one night) differ,
 * so that it runs beside anything. No admin password is set: the demo makes one up, as it does for a newcomer.
 */
@org.junit.jupiter.api.Tag("app") // a running hub: the full suite, not the quick lane (-Pquick)
@QuarkusTest
@TestProfile(DemoProfileTest.Demo.class)
class DemoProfileTest {

    static final int SMTP = FreePorts.next();
    static final int IMAP = FreePorts.next();
    static final int SIMULATOR = FreePorts.next();
    static final int PHONE = FreePorts.next();
    static final int HTTP = FreePorts.next();
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    public static class Demo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            Properties demo = new Properties();
            try (Reader r = new InputStreamReader(
                    Files.newInputStream(Path.of("src/demo/resources/META-INF/microprofile-config.properties")),
                    StandardCharsets.UTF_8)) {
                demo.load(r);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            demo.forEach((k, v) -> config.put((String) k, (String) v));
            config.remove("config_ordinal");
            config.put("hub.demo.smtp-port", String.valueOf(SMTP));
            config.put("hub.demo.imap-port", String.valueOf(IMAP));
            config.put("hub.demo.simulator-port", String.valueOf(SIMULATOR));
            config.put("hub.phone.port", String.valueOf(PHONE));
            config.put("quarkus.http.test-port", String.valueOf(HTTP));
            config.put("quarkus.datasource.jdbc.url", demo.getProperty("quarkus.datasource.jdbc.url")
                    .replace("./data/hub-demo", "./target/demo-test-" + System.nanoTime() + "/hub-demo"));
            return config;
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Inject
    DataSource ds;
    @Inject
    SecurityConfig security;
    @Inject
    JiraConfig jira;
    @Inject
    DemoServices demo;
    @Inject
    MovableClock clock;
    @Inject
    BeanManager beans;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    // --- the ticket channels on H2 -----------------------------------------------------------------------------------

    @Test
    void theDemoBootsOnH2AndItsMailServerAndCreatesATicket() throws Exception {
        String email = Samples.unique("demo");
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(email))
                .when().post("/api/tickets").then().statusCode(201).extract().path("number");

        // The acknowledgement arrives in the embedded mail server; the customer reads it over IMAP.
        List<Mail> mails = awaitMails(email, 1);
        assertEquals(1, mails.size());
        assertTrue(mails.get(0).subject().startsWith("[" + number + "]"));
        // A mail to the support mailbox is read by the hub and answered with a ticket number.
        String writer = Samples.unique("demo-mail");
        String colleague = Samples.unique("demo-colleague");
        send(writer, "Demo by mail", "Hello, nothing works since this morning.", null, colleague);
        awaitMails(writer, 1);
        assertEquals(1L, Db.count(ds, "SELECT count(*) FROM ticket_participant WHERE address = ?", colleague),
                "a participant of the ticket (on H2 too)");
        // The simulated JSM holds the ticket's request, raised on the customer's behalf.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sim().requestsOf(number).size() == 1);
        assertEquals(email, sim().requestsOf(number).get(0).reporterEmail());
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theDemoTakesPhoneRecordsOnH2() throws Exception {
        String start = "2026/03/16 09:00:00";
        String first = start + ",00:02:00,6,0612345678,I,0467100200,0467100200,,0,1000100,1,E201,Alice,T9001,L1,5,0";
        String last = start + ",00:01:00,2,0612345678,I,0467100200,0467100200,4711-2026,0,1000100,0,E202,Bruno,T9001,L1,0,0";
        try (java.net.Socket s = new java.net.Socket("localhost", PHONE)) {
            s.getOutputStream().write(("\0\0" + first + "\r\n" + first + "\r\n" + last + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "C0001".equals(
                    Db.string(ds, "SELECT customer_code FROM phone_call WHERE call_id = 1000100")));
        }
        assertEquals(2, Db.count(ds, "SELECT count(*) FROM phone_call_segment WHERE call_id = 1000100"));
        assertEquals("ANSWERED", Db.string(ds, "SELECT outcome FROM phone_call WHERE call_id = 1000100 AND call_start"
                + " = TIMESTAMP WITH TIME ZONE '2026-03-16 09:00:00+01'"));
    }

    // --- the admin password, made up at start and printed once --------------------------------------------------------

    @Test
    void anAdminPasswordIsMadeUpAtStartPrintedOnceInTheBannerAndOpensTheAdminPages() throws IOException {
        String password = security.admin().password().orElse("");
        assertFalse(password.isBlank(), "no HUB_ADMIN_PASSWORD here: the demo made one up");
        assertEquals(DemoSecrets.generated(DemoSecrets.ADMIN_PASSWORD), password);
        assertEquals(DemoSecrets.generated("hub.jira.webhook-secret"), jira.webhookSecret().orElse(null),
                "the webhook secret too, shared with the simulator");

        // Printed once, in the banner, with the admin pages' addresses (the test log of this run).
        String log = Files.readString(Path.of("target/quarkus.log"));
        assertEquals(1, occurrences(log, password), "the password is printed once");
        int at = log.indexOf(password);
        String banner = log.substring(log.lastIndexOf("Support hub demo is running", at), Math.min(log.length(), at + 2000));
        assertTrue(banner.contains("user admin, password " + password), banner);
        assertTrue(banner.contains("/api/stats") && banner.contains("/admin/oncall") && banner.contains("/admin/outbox")
                && banner.contains("localhost:" + SIMULATOR + "/__sim/console") && banner.contains("Ctrl-C"), banner);
        assertEquals(0, occurrences(log, jira.webhookSecret().orElseThrow()), "the other secrets are not");

        admin().get("/admin/mail/verdicts").then().statusCode(200);
        given().get("/admin/oncall").then().statusCode(401);
        given().auth().preemptive().basic("admin", password + "x").get("/admin/oncall").then().statusCode(401);
    }

    @Test
    void theGeneratedSecretsComeOnlyInADemoAndBelowTheEnvironment() {
        DemoSecrets factory = new DemoSecrets();
        assertFalse(factory.getConfigSources(context(null)).iterator().hasNext(), "not a demo: nothing made up");
        assertFalse(factory.getConfigSources(context("false")).iterator().hasNext());
        ConfigSource source = factory.getConfigSources(context("true")).iterator().next();
        assertTrue(source.getOrdinal() < 300, "environment variables (300) choose them");
        assertEquals(DemoSecrets.generated(DemoSecrets.ADMIN_PASSWORD), source.getValue("hub.admin.password"));
        assertNotNull(source.getValue("hub.oncall.link-key"));
        // ...and the -Pdemo build registers it (the file the tests read it from is the demo's own)
        assertTrue(java.util.stream.StreamSupport.stream(ConfigProvider.getConfig().getConfigSources().spliterator(), false)
                .anyMatch(s -> s.getName().equals(source.getName())), "registered in this run");
    }

    // --- on call ---------------------------------------------------------------------------------------------------

    @Test
    void aRotaIsSeededAndAnOutOfHoursBlockingTicketOfTheOnCallCustomerPagesTheTechnician() {
        JsonPath rota = admin().get("/admin/oncall").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("alice", "bruno"), rota.getList("technicians.code"));
        assertEquals(List.of("demo"), rota.getList("rotations.name"));
        assertEquals(List.of("alice", "bruno"), rota.getList("rotations[0].members"));

        clock.set(LocalDateTime.parse("2026-03-21T03:00:00").atZone(PARIS).toInstant()); // a Saturday night
        try {
            JsonPath now = admin().get("/api/oncall/now").then().statusCode(200).extract().jsonPath();
            assertFalse(now.getBoolean("deskOpen"));
            String onCall = now.getString("onCall.technician.email");
            assertTrue(onCall.equals("alice.martin@esii.example") || onCall.equals("bruno.petit@esii.example"), onCall);

            Map<String, Object> body = new HashMap<>(Samples.ticket(Samples.unique("night")));
            body.put("accessCode", "4711-2026"); // C0001: maintained, on-call option
            String number = given().contentType(ContentType.JSON).body(body).post("/api/tickets").then()
                    .statusCode(201).extract().path("number");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(ds, "SELECT count(*) FROM oncall_page p"
                    + " JOIN ticket t ON t.id = p.ticket_id WHERE t.number = ?", number) >= 1);
            assertEquals(onCall, Db.string(ds, "SELECT p.recipient_email FROM oncall_page p JOIN ticket t"
                    + " ON t.id = p.ticket_id WHERE t.number = ? AND p.page_no = 1", number));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> mails(onCall).stream()
                    .anyMatch(m -> m.subject().startsWith("[ASTREINTE] [" + number + "]")));
            List<String> history = admin().get("/admin/tickets/" + number).then().statusCode(200).extract().jsonPath()
                    .getList("history.type");
            assertFalse(history.contains("page-failed"), "somebody to page: " + history);
            // taken in charge: the paging stops
            admin().body(Map.of("type", "taken-in-charge")).post("/admin/tickets/" + number + "/steps").then()
                    .statusCode(200);
        } finally {
            clock.reset();
        }
    }

    // --- staff's side: the simulator and its console -------------------------------------------------------------

    @Test
    void theReadmeStoryMailAcknowledgementStaffReplyAnswerResolutionReopen() throws Exception {
        String customer = Samples.unique("story");
        send(customer, "Scanner not detected", "Hello, the scanner is no longer detected since the update.", null, null);
        String[] ticket = acknowledgedAndInJira(customer);
        String number = ticket[0];
        String key = ticket[1];
        assertTrue(console().contains("[" + number + "] Scanner not detected"));

        // Staff answer in the console: the form posts to the control API, which sends the hub the signed webhook.
        String done = staff("action=comment&key=" + key + "&public=true&text="
                + URLEncoder.encode("Could you send us a photo of the error?", StandardCharsets.UTF_8));
        assertTrue(done.contains("comment_created: the hub answered 204"), done);
        Mail reply = awaitMails(customer, 2).get(1);
        assertTrue(reply.text().contains("Could you send us a photo of the error?"), reply.text());
        assertTrue(reply.subject().contains(number), reply.subject());

        // The customer answers the mail: a public comment on the request, seen in the console.
        send(customer, "Re: " + reply.subject(), "Here it is: the error is E42.", reply.messageId(), null);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sim().comments(key).stream()
                .anyMatch(c -> c.isPublic() && c.body().contains("the error is E42")));
        assertTrue(console().contains("the error is E42"));

        // Resolved by staff: the closing mail; the customer's answer reopens the request.
        assertTrue(staff("action=resolve&key=" + key + "&resolution=Done").contains("the hub answered 204"));
        Mail closing = awaitMails(customer, 3).get(2);
        assertTrue(closing.subject().contains(number), closing.subject());
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "RESOLVED".equals(Db.string(ds, "SELECT status FROM ticket WHERE number = ?", number)));
        send(customer, "Re: " + closing.subject(), "Sorry, it happens again.", closing.messageId(), null);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "Reopened".equals(sim().request(key).status()));
        assertTrue(console().contains("Reopened"));

        // Escalated to R&D from the console: the bug, then its workaround and its fix released reach the customer
        // (the demo's loop caps let a whole story through in minutes).
        assertTrue(staff("action=label&key=" + key + "&label=escalate-n2").contains("the hub answered 204"));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> Db.string(ds, "SELECT rd_key FROM ticket WHERE number = ?", number) != null);
        String bug = Db.string(ds, "SELECT rd_key FROM ticket WHERE number = ?", number);
        assertTrue(console().contains("<h3>" + bug + " [" + number + "]"));
        staff("action=comment&key=" + bug + "&public=true&text=" + URLEncoder.encode("Workaround: restart the scanner"
                + " service.", StandardCharsets.UTF_8));
        assertTrue(awaitMails(customer, 4).get(3).text().contains("restart the scanner service"));
        assertTrue(staff("action=releaseFix&key=" + bug + "&version=2.4.1").contains("jira:version_released: the hub answered 204"));
        assertTrue(awaitMails(customer, 5).get(4).text().contains("2.4.1"));
        assertEquals(List.of(), sim().contractViolations(), "the demo checks no contract, and records none");
    }

    // --- on-site interventions (issue 27's demo) ---------------------------------------------------------------------

    @Test
    void aDecisionInHeraultInvitesTheCustomerAndALaveruneTechnicianADeclineBringsAnotherProposalAndTheMapShowsIt()
            throws Exception {
        JsonPath team = admin().get("/admin/field-team").then().statusCode(200).extract().jsonPath();
        assertEquals(7, team.getList("members.findAll { it.kind == 'technician' }").size(), "the brochure's seven");
        assertEquals(2, team.getList("members.findAll { it.kind == 'partner' }").size());

        // a customer of the Clinique Saint-Roch (Montpellier, Hérault) writes; staff decide an intervention
        String customer = "jo-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@clinique-saint-roch.fr";
        send(customer, "Imprimante d'étiquettes en panne", "Bonjour, l'imprimante du service ne démarre plus.", null,
                null);
        String[] ticket = acknowledgedAndInJira(customer);
        String number = ticket[0];
        String key = ticket[1];
        assertTrue(staff("action=onsite&key=" + key).contains("the hub answered 204"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> proposals(key) >= 1);
        String proposal = sim().comments(key).stream().filter(c -> c.body().contains("/onsite accept")
                && !c.body().strip().startsWith("/onsite")).findFirst()
                .orElseThrow().body();
        String technician = Db.string(ds, "SELECT v.worker_email FROM onsite_visit v JOIN ticket t ON t.id = v.ticket_id"
                + " WHERE t.number = ?", number);
        assertTrue(technician.equals("lucie@esii.example") || technician.equals("hugo@esii.example"),
                "a Lavérune technician: " + technician);
        String name = technician.startsWith("lucie") ? "Lucie Bernard" : "Hugo Fabre";
        assertTrue(proposal.startsWith("Intervention sur site proposée : " + name), proposal);
        assertTrue(proposal.contains("Dans l'engagement"), "within 16 working hours: " + proposal);

        // staff accept: both invited, the same appointment
        assertTrue(staff("action=onsite-accept&key=" + key).contains("the hub answered 204"));
        Mail invitation = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> mails(customer).stream()
                .filter(x -> x.calendar() != null).findFirst().orElse(null), java.util.Objects::nonNull);
        assertTrue(invitation.calendar().startsWith("REQUEST\n"), invitation.calendar());
        String uid = line(invitation.calendar(), "UID:");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> mails(technician).stream()
                .anyMatch(x -> x.calendar() != null && uid.equals(line(x.calendar(), "UID:"))
                        && x.text().contains(number)));

        // the customer declines from their calendar: another proposal for staff, no new ticket
        sendCalendarReply(customer, "Refusé : [" + number + "]", uid, "DECLINED");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> proposals(key) >= 2);
        assertEquals(1, Db.count(ds, "SELECT count(*) FROM ticket WHERE customer_email = ?", customer));

        // the managers' map
        LocalDate today = LocalDate.now(PARIS);
        String page = admin().get("/admin/dashboard?lang=fr&from=" + today.withDayOfMonth(1) + "&to="
                + today.plusDays(40)).then().statusCode(200).extract().asString();
        assertTrue(page.contains("data-department=\"34\""), "the Hérault on the map");
    }

    /** The customer's acknowledgement read, its ticket's number and JSM key once the request exists: {number, key}. */
    String[] acknowledgedAndInJira(String customer) {
        Mail ack = awaitMails(customer, 1).get(0);
        Matcher m = Pattern.compile("\\[(SUP-\\d{4}-\\d{6})]").matcher(ack.subject());
        assertTrue(m.find(), ack.subject());
        String number = m.group(1);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number) != null);
        return new String[] {number, Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number)};
    }

    long proposals(String key) {
        // the hub's proposals tell staff to write "/onsite accept"; staff's own command comment is not one
        return sim().comments(key).stream().filter(c -> !c.isPublic() && c.body().contains("/onsite accept")
                && !c.body().strip().startsWith("/onsite")).count();
    }

    static String line(String calendar, String prefix) {
        return calendar.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip())
                .findFirst().orElse(null);
    }

    static void sendCalendarReply(String from, String subject, String uid, String partStat) throws Exception {
        Properties smtp = new Properties();
        smtp.put("mail.smtp.host", "localhost");
        smtp.put("mail.smtp.port", String.valueOf(SMTP));
        MimeMessage mail = new MimeMessage(Session.getInstance(smtp));
        mail.setFrom(new InternetAddress(from));
        mail.setRecipients(Message.RecipientType.TO, "support@example.com");
        mail.setSubject(subject, "UTF-8");
        jakarta.mail.internet.MimeMultipart alt = new jakarta.mail.internet.MimeMultipart("alternative");
        jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
        text.setText(subject, "UTF-8");
        alt.addBodyPart(text);
        jakarta.mail.internet.MimeBodyPart cal = new jakarta.mail.internet.MimeBodyPart();
        cal.setContent("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Demo//Calendar//FR\r\nMETHOD:REPLY\r\n"
                + "BEGIN:VEVENT\r\nUID:" + uid + "\r\nSEQUENCE:1\r\nDTSTAMP:20261204T090000Z\r\nATTENDEE;PARTSTAT="
                + partStat + ":mailto:" + from + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                "text/calendar; charset=UTF-8; method=REPLY");
        alt.addBodyPart(cal);
        mail.setContent(alt);
        Transport.send(mail);
    }

    @Test
    void theSimulatedJiraGoesOnAfterTheKeysAnEarlierRunLeftInTheLedger() throws Exception {
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(Samples.unique("earlier")))
                .post("/api/tickets").then().statusCode(201).extract().path("number");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> Db.string(ds, "SELECT jsm_key FROM ticket WHERE number = ?", number) != null);
        // As if ./data kept this ticket from an earlier run, whose simulated Jira had gone as far as SD-900.
        Db.update(ds, "UPDATE ticket SET jsm_key = 'SD-900' WHERE number = ?", number);
        demo.continueKeys();
        String done = staff("action=portal&email=" + URLEncoder.encode(Samples.unique("portal"), StandardCharsets.UTF_8)
                + "&name=Lea&summary=Scanner&description=Not+detected");
        assertTrue(done.contains("SD-901: portal"), done);
    }

    // --- the phone: a week of calls from the bundled sender, and its figures ------------------------------------------

    @Test
    void theBundledSenderSendsAWeekOfCallsAndTheFiguresOfThatWeekAreCoherent() throws Exception {
        assertEquals(LocalDate.of(2026, 11, 16), SendSmdrWeek.lastWeeksMonday(LocalDate.of(2026, 11, 28)));
        assertEquals(LocalDate.of(2026, 11, 16), SendSmdrWeek.lastWeeksMonday(LocalDate.of(2026, 11, 23)));
        List<String> moved = SendSmdrWeek.week(SendSmdrWeek.recordedWeek(), LocalDate.of(2025, 6, 2), "SUP-2026-000042");
        assertTrue(moved.stream().noneMatch(l -> l.contains("${")), "no placeholder left");
        assertTrue(moved.stream().anyMatch(l -> l.contains(",SUP-2026-000042,")) && moved.stream()
                .anyMatch(l -> l.contains(",2026000042,")), "the ticket in both forms");
        assertTrue(moved.stream().anyMatch(l -> l.startsWith("2025/06/02 08:14:33")), "Monday stays a Monday");
        assertTrue(moved.stream().anyMatch(l -> l.startsWith("2026/02/30")), "a date that is no date stays malformed");

        // As the README runs it, for a week far from the other tests' calls.
        SendSmdrWeek.main(new String[] { "--week", "2025-06-02", "--port", String.valueOf(PHONE) });
        String week = "call_start >= TIMESTAMP WITH TIME ZONE '2025-06-02 00:00:00+02'"
                + " AND call_start < TIMESTAMP WITH TIME ZONE '2025-06-07 00:00:00+02'";
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Db.count(ds, "SELECT count(*) FROM phone_call WHERE " + week) >= 162);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(ds,
                "SELECT count(*) FROM phone_call WHERE customer_status = 'UNKNOWN' AND " + week) == 0);

        JsonPath figures = admin().get("/api/stats?from=2025-06-02&to=2025-06-06").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(147, figures.getInt("calls.total"));
        assertEquals(112, figures.getInt("calls.answered"));
        assertEquals(25, figures.getInt("calls.abandoned"));
        assertEquals(10, figures.getInt("calls.voicemail"));
        // The answered calls of known customers are recorded as ERP activity dated when they were made, so they
        // count in the same period as the calls (they used to count on the day the records were read).
        long known = Db.count(ds, "SELECT count(*) FROM phone_call WHERE outcome = 'ANSWERED' AND customer_code IS NOT NULL"
                + " AND " + week);
        assertTrue(known > 0);
        assertEquals(known, figures.getInt("support.answeredCallsRecorded"));
        JsonPath after = admin().get("/api/stats?from=2025-06-09&to=2025-06-13").then().statusCode(200).extract().jsonPath();
        assertEquals(0, after.getInt("calls.total"));
        assertEquals(0, after.getInt("support.answeredCallsRecorded"));

        // The same week again changes nothing: once every line sent is read (counted by what became of it),
        // still 162 calls.
        int sent = SendSmdrWeek.week(SendSmdrWeek.recordedWeek(), LocalDate.of(2025, 6, 2), null).size();
        double read = phoneLinesRead();
        SendSmdrWeek.main(new String[] { "--week", "2025-06-02", "--port", String.valueOf(PHONE) });
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> phoneLinesRead() >= read + sent);
        assertEquals(read + sent, phoneLinesRead(), "each line read once");
        assertEquals(162, Db.count(ds, "SELECT count(*) FROM phone_call WHERE " + week));
    }

    /** The SMDR lines the hub has read, whatever became of them ({@code hub_phone_lines_total}, every result). */
    private static double phoneLinesRead() {
        return given().when().get("/q/metrics").asString().lines().filter(l -> l.startsWith("hub_phone_lines_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    // --- a clean stop ------------------------------------------------------------------------------------------------

    @Test
    void onStopTheHubHandsItsLeasesBackBeforeTheDemoStopsItsServersAndH2StaysOpenUntilThen() {
        List<ObserverMethod<? super ShutdownEvent>> observers = new ArrayList<>(beans.resolveObserverMethods(new ShutdownEvent()));
        observers.sort(Comparator.comparingInt(ObserverMethod::getPriority));
        List<Class<?>> order = observers.stream().map(ObserverMethod::getBeanClass).collect(Collectors.toList());
        int servers = order.indexOf(DemoServices.class);
        assertTrue(servers >= 0, order.toString());
        assertTrue(order.indexOf(Leases.class) >= 0 && order.indexOf(Leases.class) < servers, order.toString());
        assertTrue(order.indexOf(OutboxRelayProducer.class) >= 0 && order.indexOf(OutboxRelayProducer.class) < servers,
                order.toString());
        assertTrue(observers.get(servers).getPriority() > observers.get(order.indexOf(OutboxRelayProducer.class)).getPriority(),
                "strictly after: same priorities run in any order");
        // H2's own JVM shutdown hook would close the database before the leases are handed back.
        assertTrue(ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class)
                .contains(";DB_CLOSE_ON_EXIT=FALSE"));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /** {@code calendar}: the iCalendar part's METHOD and text ("REQUEST\nBEGIN:VCALENDAR…"), or null. */
    record Mail(String subject, String text, String messageId, String calendar) {
    }

    Simulator sim() {
        return demo.simulator();
    }

    RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", security.admin().password().orElseThrow())
                .contentType(ContentType.JSON);
    }

    String console() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + SIMULATOR
                + "/__sim/console")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    /** Posts a console form; answers what the console then says (the 303's message). */
    String staff(String form) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + SIMULATOR + "/__sim/staff"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, r.statusCode(), r.body());
        return URLDecoder.decode(r.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8);
    }

    static void send(String from, String subject, String text, String inReplyTo, String cc) throws Exception {
        Properties smtp = new Properties();
        smtp.put("mail.smtp.host", "localhost");
        smtp.put("mail.smtp.port", String.valueOf(SMTP));
        MimeMessage mail = new MimeMessage(Session.getInstance(smtp));
        mail.setFrom(new InternetAddress(from));
        mail.setRecipients(Message.RecipientType.TO, "support@example.com");
        if (cc != null) {
            mail.setRecipients(Message.RecipientType.CC, cc);
        }
        mail.setSubject(subject, "UTF-8");
        mail.setText(text, "UTF-8");
        if (inReplyTo != null) {
            mail.setHeader("In-Reply-To", inReplyTo);
            mail.setHeader("References", inReplyTo);
        }
        Transport.send(mail);
    }

    static List<Mail> awaitMails(String address, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> mails(address).size() >= count);
        return mails(address);
    }

    /** The mails in {@code address}'s inbox, read over IMAP as a customer would. */
    static List<Mail> mails(String address) {
        List<Mail> out = new ArrayList<>();
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect("localhost", IMAP, address, address);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message message : inbox.getMessages()) {
                MimeMessage mime = (MimeMessage) message;
                out.add(new Mail(mime.getSubject(), text(mime), mime.getMessageID(), calendar(mime)));
            }
            inbox.close(false);
        } catch (Exception e) {
            return List.of();
        }
        return out;
    }

    private static String calendar(jakarta.mail.Part p) throws Exception {
        if (p.isMimeType("text/calendar")) {
            return new jakarta.mail.internet.ContentType(p.getContentType()).getParameter("method") + "\n"
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        if (p.isMimeType("multipart/*")) {
            jakarta.mail.Multipart mp = (jakarta.mail.Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                String c = calendar(mp.getBodyPart(i));
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    private static String text(MimeMessage m) throws Exception {
        Object content = m.getContent();
        if (content instanceof String s) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        if (content instanceof jakarta.mail.Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                Object part = mp.getBodyPart(i).getContent();
                if (part instanceof String s) {
                    b.append(s).append('\n');
                } else if (part instanceof jakarta.mail.Multipart inner) {
                    for (int j = 0; j < inner.getCount(); j++) {
                        if (inner.getBodyPart(j).getContent() instanceof String s) {
                            b.append(s).append('\n');
                        }
                    }
                }
            }
        }
        return b.toString();
    }

    private static int occurrences(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private static ConfigSourceContext context(String demoEnabled) {
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                return demoEnabled == null || !name.equals("hub.demo.enabled") ? null
                        : ConfigValue.builder().withName(name).withValue(demoEnabled).build();
            }

            @Override
            public java.util.Iterator<String> iterateNames() {
                return List.<String>of().iterator();
            }
        };
    }
}
