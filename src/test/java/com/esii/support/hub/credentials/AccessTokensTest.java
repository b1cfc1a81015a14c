package com.esii.support.hub.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.esii.support.hub.testing.sim.Simulator;

/**
 * The token cache against the simulator's Entra-shaped endpoint (Nimbus' client-credentials grant over real HTTP),
 * on a clock the test moves: when a token is renewed, what a refusal costs the provider, a rotated secret file.
 */
class AccessTokensTest {

    static final String TENANT = "contoso.onmicrosoft.com";
    static final String CLIENT = "6731de76-14a6-49ae-97bc-6eba6914391e";
    static final String SCOPE = "https://outlook.office365.com/.default";

    final Simulator sim = Simulator.start((m, t, h, b) -> java.util.List.of());
    final MovableClock clock = new MovableClock();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        sim.close();
    }

    /** The secret file holds {@code inFile}, Entra holds {@code atEntra}; tokens live {@code lifetime}. */
    AccessTokens tokens(String inFile, String atEntra, Duration lifetime) throws java.io.IOException {
        sim.entraApp(TENANT, CLIENT, atEntra);
        sim.tokenLifetime(lifetime);
        return tokens(Files.writeString(dir.resolve("secret"), inFile));
    }

    AccessTokens tokens(Path secretFile) {
        ClientCredentials grant = new ClientCredentials(URI.create(sim.entraTokenUrl(TENANT)), CLIENT,
                SecretSource.of(Optional.empty(), Optional.of(secretFile.toString()), "hub.mail.oauth2.client-secret"),
                SCOPE, Duration.ofSeconds(5), "hub.mail.oauth2", clock);
        return new AccessTokens("Mail", grant, clock);
    }

    @Test
    void aTokenIsKeptThenRenewedBeforeItExpiresAndAtOnceWhenAServerRefusesIt() throws Exception {
        AccessTokens tokens = tokens("s1\n", "s1", Duration.ofMinutes(60));
        String first = tokens.current();
        assertTrue(sim.validToken(first, SCOPE));
        clock.move(Duration.ofMinutes(44));
        assertEquals(first, tokens.current(), "kept while three quarters of its hour have not passed");
        clock.move(Duration.ofMinutes(2));
        String second = tokens.current();
        assertNotEquals(first, second, "renewed 15 minutes before it expires");

        tokens.refused(second);
        String third = tokens.current();
        assertNotEquals(second, third, "a token a server refused is replaced at once");
        tokens.refused(second); // an old token refused again: the current one stays
        assertEquals(third, tokens.current());
        assertEquals(3, tokens.obtained());
    }

    @Test
    void aShortLivedTokenIsRenewedAtHalfItsLife() throws Exception {
        AccessTokens tokens = tokens("s1", "s1", Duration.ofSeconds(40));
        String first = tokens.current();
        clock.move(Duration.ofSeconds(19));
        assertEquals(first, tokens.current());
        clock.move(Duration.ofSeconds(2));
        assertNotEquals(first, tokens.current());
    }

    @Test
    void aRefusalIsNotAskedAgainBeforeItsBackoffUnlessTheSecretFileChanges() throws Exception {
        AccessTokens tokens = tokens("old", "new", Duration.ofHours(1));
        Path secret = dir.resolve("secret");
        TokenRefused refused = assertThrows(TokenRefused.class, tokens::current);
        assertEquals("invalid_client", refused.error());
        assertTrue(refused.getMessage().contains("AADSTS7000215"), refused.getMessage());
        assertTrue(refused.getMessage().contains("hub.mail.oauth2.client-secret"), refused.getMessage());
        assertTrue(tokens.problem().isPresent());
        long asked = sim.tokenRequests();
        for (int i = 0; i < 20; i++) {
            assertThrows(TokenRefused.class, tokens::current);
        }
        assertEquals(asked, sim.tokenRequests(), "the provider is not asked again within the backoff");
        clock.move(Duration.ofSeconds(5));
        assertThrows(TokenRefused.class, tokens::current);
        assertEquals(asked + 1, sim.tokenRequests(), "asked again after 5 s");
        clock.move(Duration.ofSeconds(5));
        assertThrows(TokenRefused.class, tokens::current);
        assertEquals(asked + 1, sim.tokenRequests(), "then after 10 s");

        // the operator fixes the mounted secret: asked at once, without waiting for the backoff
        Files.writeString(secret, "new-and-longer");
        sim.entraApp(TENANT, CLIENT, "new-and-longer");
        assertTrue(sim.validToken(tokens.current(), SCOPE));
        assertTrue(tokens.problem().isEmpty());
    }

    @Test
    void anUnreachableProviderLeavesAStillValidTokenInUse() throws Exception {
        AccessTokens tokens = tokens("s1", "s1", Duration.ofMinutes(60));
        String first = tokens.current();
        clock.move(Duration.ofMinutes(50));
        sim.faults().on("POST", "/" + TENANT + "/oauth2/v2.0/token").status(503).times(10);
        assertEquals(first, tokens.current(), "still valid for 10 minutes: used while the provider is away");
        assertEquals("unreachable", tokens.problem().orElseThrow().error());
    }

    @Test
    void theRenewalTimeOfALongAndAShortToken() {
        Instant t = Instant.parse("2026-12-04T10:00:00Z");
        assertEquals(t.plus(Duration.ofMinutes(45)), AccessTokens.renewal(new AccessToken("x", t,
                t.plus(Duration.ofMinutes(60)))));
        assertEquals(t.plus(Duration.ofMinutes(5)), AccessTokens.renewal(new AccessToken("x", t,
                t.plus(Duration.ofMinutes(10)))));
        assertEquals(t.plusSeconds(20), AccessTokens.renewal(new AccessToken("x", t, t.plusSeconds(40))));
    }

    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-04T10:00:00Z");

        synchronized void move(Duration d) {
            now = now.plus(d);
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
