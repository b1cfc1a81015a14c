package com.esii.support.hub.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.esii.support.hub.testing.sim.Simulator;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Google service account's JWT-bearer grant, with Google's auth library, against the simulator's Google-shaped
 * endpoint (which checks the assertion's RS256 signature with the account's public key): tokens for the mailbox,
 * Google's refusals read (error and description), a malformed key refused without showing its content.
 */
class GoogleServiceAccountTest {

    static final String ACCOUNT = "support-hub@hub-test.iam.gserviceaccount.com";
    static final String MAILBOX = "support@example.com";
    static final String SCOPE = "https://mail.google.com/";

    final Simulator sim = Simulator.start((m, t, h, b) -> java.util.List.of());

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void aTokenForTheMailboxAndGooglesRefusalsSaidAsGoogleSaysThem() throws Exception {
        KeyPair pair = keyPair();
        Path key = writeKey(pair, "k1");
        sim.googleServiceAccount(ACCOUNT, pair.getPublic(), Set.of(SCOPE));
        GoogleServiceAccount grant = new GoogleServiceAccount(SecretSource.of(Optional.empty(),
                Optional.of(key.toString()), "hub.mail.oauth2.service-account-file"), MAILBOX, SCOPE,
                "hub.mail.oauth2", Clock.systemUTC()).check();
        AccessToken token = grant.request();
        assertTrue(sim.validToken(token.value(), SCOPE, MAILBOX));

        // the delegation no longer grants the scope
        sim.googleServiceAccount(ACCOUNT, pair.getPublic(), Set.of());
        TokenRefused refused = assertThrows(TokenRefused.class, grant::request);
        // Google answers 401 (unauthorized_client); the JDK's client does not keep that answer's body
        assertEquals("http_401", refused.error());
        assertTrue(refused.getMessage().contains("domain-wide delegation"), refused.getMessage());
        assertTrue(refused.refused());

        // a key Google no longer knows (deleted): the signature does not match
        sim.googleServiceAccount(ACCOUNT, keyPair().getPublic(), Set.of(SCOPE));
        refused = assertThrows(TokenRefused.class, grant::request);
        assertEquals("invalid_grant", refused.error());

        // the new key mounted in place of the old: used from the next token on
        KeyPair next = keyPair();
        sim.googleServiceAccount(ACCOUNT, next.getPublic(), Set.of(SCOPE));
        Files.move(writeKey(next, "k2"), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(sim.validToken(grant.request().value(), SCOPE, MAILBOX));
    }

    @Test
    void aMalformedKeyIsRefusedWithoutItsContent() throws Exception {
        Path key = dir.resolve("key.json");
        Files.writeString(key, "{\"type\":\"service_account\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nSECRETBITS\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GoogleServiceAccount(
                SecretSource.of(Optional.empty(), Optional.of(key.toString()), "hub.mail.oauth2.service-account-file"),
                MAILBOX, SCOPE, "hub.mail.oauth2", Clock.systemUTC()).check());
        assertTrue(e.getMessage().startsWith("hub.mail.oauth2.service-account-file"), e.getMessage());
        assertTrue(!e.getMessage().contains("SECRETBITS"), e.getMessage());
    }

    static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    Path writeKey(KeyPair pair, String id) throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Path file = dir.resolve(id + ".json");
        Files.writeString(file, new ObjectMapper().writeValueAsString(Map.of("type", "service_account",
                "project_id", "hub-test", "private_key_id", id, "private_key", pem, "client_email", ACCOUNT,
                "client_id", "104729301847561209384", "token_uri", sim.googleTokenUri())), StandardCharsets.UTF_8);
        return file;
    }
}
