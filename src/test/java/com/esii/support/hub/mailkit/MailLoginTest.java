package com.esii.support.hub.mailkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.SmallRyeConfigBuilder;

/** What a start with {@code hub.mail.auth=oauth2} needs, and what it says when something is missing or malformed. */
class MailLoginTest {

    @TempDir
    Path dir;

    static MailConfig config(Map<String, String> settings) {
        SmallRyeConfigBuilder b = new SmallRyeConfigBuilder().withMapping(MailConfig.class)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter());
        settings.forEach(b::withDefaultValue);
        return b.build().getConfigMapping(MailConfig.class);
    }

    @Test
    void passwordsStayTheDefault() {
        MailLogin login = new MailLogin(config(Map.of("hub.mail.imap.username", "support@example.com",
                "hub.mail.smtp.username", "relay")), Clock.systemUTC());
        assertFalse(login.oauth2());
        Properties p = new Properties();
        login.configure(p, "mail.imap");
        assertTrue(p.isEmpty(), "no SASL mechanism forced with passwords");
        assertEquals(Optional.of("relay"), login.smtpUser());
    }

    @Test
    void microsoftByTenantLogsInWithXoauth2OnBothProtocolsAsTheMailbox() {
        MailLogin login = new MailLogin(config(Map.of("hub.mail.auth", "oauth2",
                "hub.mail.imap.username", "support@contoso.com",
                "hub.mail.oauth2.tenant", "contoso.onmicrosoft.com",
                "hub.mail.oauth2.client-id", "app", "hub.mail.oauth2.client-secret", "s")), Clock.systemUTC());
        assertTrue(login.oauth2());
        assertEquals(Optional.of("support@contoso.com"), login.smtpUser(), "SMTP logs in as the mailbox by default");
        Properties p = new Properties();
        login.configure(p, "mail.smtp");
        assertEquals("XOAUTH2", p.get("mail.smtp.auth.mechanisms"));
        assertEquals("true", p.get("mail.smtp.auth.login.disable"));
    }

    @Test
    void aMissingSettingStopsTheStartNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new MailLogin(config(Map.of(
                "hub.mail.auth", "oauth2", "hub.mail.imap.username", "support@contoso.com",
                "hub.mail.oauth2.tenant", "contoso.onmicrosoft.com", "hub.mail.oauth2.client-id", "app")),
                Clock.systemUTC()));
        assertTrue(e.getMessage().contains("hub.mail.oauth2.client-secret"), e.getMessage());

        e = assertThrows(IllegalStateException.class, () -> new MailLogin(config(Map.of("hub.mail.auth", "oauth2",
                "hub.mail.imap.username", "support@contoso.com", "hub.mail.oauth2.client-id", "app",
                "hub.mail.oauth2.client-secret", "s")), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("hub.mail.oauth2.tenant"), e.getMessage());

        e = assertThrows(IllegalStateException.class, () -> new MailLogin(config(Map.of("hub.mail.auth", "oauth2",
                "hub.mail.oauth2.tenant", "t", "hub.mail.oauth2.client-id", "app", "hub.mail.oauth2.client-secret",
                "s")), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("hub.mail.imap.username"), e.getMessage());

        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> new MailLogin(
                config(Map.of("hub.mail.auth", "token")), Clock.systemUTC()));
        assertTrue(wrong.getMessage().contains("hub.mail.auth"), wrong.getMessage());
    }

    @Test
    void aMalformedOrMissingKeyFileStopsTheStartWithoutShowingIt() throws Exception {
        Path key = Files.writeString(dir.resolve("key.json"), "{\"private_key\": \"SECRETBITS\"");
        RuntimeException e = assertThrows(RuntimeException.class, () -> new MailLogin(config(Map.of(
                "hub.mail.auth", "oauth2", "hub.mail.imap.username", "support@example.com",
                "hub.mail.oauth2.service-account-file", key.toString())), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("hub.mail.oauth2.service-account-file"), e.getMessage());
        assertFalse(e.getMessage().contains("SECRETBITS"), e.getMessage());

        e = assertThrows(RuntimeException.class, () -> new MailLogin(config(Map.of(
                "hub.mail.auth", "oauth2", "hub.mail.imap.username", "support@example.com",
                "hub.mail.oauth2.service-account-file", dir.resolve("absent.json").toString())), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("hub.mail.oauth2.service-account-file"), e.getMessage());
    }
}
