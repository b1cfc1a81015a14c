package com.esii.support.hub.demo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.esii.support.hub.testing.FreePorts;
import com.esii.support.hub.testing.Samples;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The demo run as a -Pdemo build makes it: its settings file, H2, the embedded GreenMail and WireMock. Only the
 * ports (free ones) and the database file (under target/) differ, so that it runs beside anything.
 */
@QuarkusTest
@TestProfile(DemoProfileTest.Demo.class)
class DemoProfileTest {

    static final int SMTP = FreePorts.next();
    static final int IMAP = FreePorts.next();
    static final int WIREMOCK = FreePorts.next();
    static final int PHONE = FreePorts.next();

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
            config.put("hub.demo.wiremock-port", String.valueOf(WIREMOCK));
            config.put("hub.phone.port", String.valueOf(PHONE));
            config.put("quarkus.datasource.jdbc.url", demo.getProperty("quarkus.datasource.jdbc.url")
                    .replace("./data/hub-demo", "./target/demo-test-" + System.nanoTime() + "/hub-demo"));
            return config;
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void theDemoBootsOnH2AndItsMailServerAndCreatesATicket() throws Exception {
        String email = Samples.unique("demo");
        String number = given().contentType(ContentType.JSON).body(Samples.ticket(email))
                .when().post("/api/tickets").then().statusCode(201).extract().path("number");

        // The acknowledgement arrives in the embedded mail server; the customer reads it over IMAP.
        Session session = Session.getInstance(new Properties());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> inbox(session, email) > 0);
        try (Store store = session.getStore("imap")) {
            store.connect("localhost", IMAP, email, email);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] messages = inbox.getMessages();
            assertEquals(1, messages.length);
            assertTrue(messages[0].getSubject().startsWith("[" + number + "]"));
        }
        // A mail to the support mailbox is read by the hub and answered with a ticket number.
        String writer = Samples.unique("demo-mail");
        java.util.Properties smtp = new java.util.Properties();
        smtp.put("mail.smtp.host", "localhost");
        smtp.put("mail.smtp.port", String.valueOf(SMTP));
        jakarta.mail.internet.MimeMessage mail = new jakarta.mail.internet.MimeMessage(Session.getInstance(smtp));
        mail.setFrom(new jakarta.mail.internet.InternetAddress(writer));
        mail.setRecipients(Message.RecipientType.TO, "support@example.com");
        String colleague = Samples.unique("demo-colleague");
        mail.setRecipients(Message.RecipientType.CC, colleague); // a participant of the ticket (on H2 too)
        mail.setSubject("Demo by mail");
        mail.setText("Hello, nothing works since this morning.");
        jakarta.mail.Transport.send(mail);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> inbox(session, writer) > 0);
        assertEquals(1L, com.esii.support.hub.testing.Db.count(ds,
                "SELECT count(*) FROM ticket_participant WHERE address = ?", colleague));
        // WireMock serves mocks/.
        HttpResponse<String> jsm = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + WIREMOCK + "/rest/servicedeskapi/info")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, jsm.statusCode());
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @jakarta.inject.Inject
    javax.sql.DataSource ds;

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
                    com.esii.support.hub.testing.Db.string(ds, "SELECT customer_code FROM phone_call WHERE call_id = 1000100")));
        }
        assertEquals(2, com.esii.support.hub.testing.Db.count(ds,
                "SELECT count(*) FROM phone_call_segment WHERE call_id = 1000100"));
        assertEquals("ANSWERED", com.esii.support.hub.testing.Db.string(ds,
                "SELECT outcome FROM phone_call WHERE call_id = 1000100 AND call_start = TIMESTAMP WITH TIME ZONE"
                        + " '2026-03-16 09:00:00+01'"));
    }

    private static int inbox(Session session, String email) {
        try (Store store = session.getStore("imap")) {
            store.connect("localhost", IMAP, email, email);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            return inbox.getMessageCount();
        } catch (Exception e) {
            return 0;
        }
    }
}
