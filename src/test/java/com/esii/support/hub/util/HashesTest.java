package com.esii.support.hub.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class HashesTest {

    @Test
    void aSealedValueOpensOnlyWithItsSecret() {
        String token = Hashes.randomToken();
        String sealed = Hashes.seal("the client's key", token);
        assertFalse(sealed.contains(token));
        assertEquals(Optional.of(token), Hashes.unseal("the client's key", sealed));
        assertEquals(Optional.empty(), Hashes.unseal("another key", sealed));
        assertEquals(Optional.empty(), Hashes.unseal(Hashes.sha256Hex("the client's key"), sealed), "not with the stored hash");
        assertEquals(Optional.empty(), Hashes.unseal(null, sealed));
        assertEquals(Optional.empty(), Hashes.unseal("the client's key", null));
        assertEquals(Optional.empty(), Hashes.unseal("", sealed));
        assertNotEquals(sealed, Hashes.seal("the client's key", token), "a fresh IV each time");
    }

    @Test
    void aDamagedSealOpensToNothing() {
        String sealed = Hashes.seal("k", "value");
        char last = sealed.charAt(sealed.length() - 2);
        String flipped = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
        assertEquals(Optional.empty(), Hashes.unseal("k", flipped));
        assertEquals(Optional.empty(), Hashes.unseal("k", "v1.%%%"));
        assertEquals(Optional.empty(), Hashes.unseal("k", "v1.AAAA"));
        assertEquals(Optional.empty(), Hashes.unseal("k", "v0." + sealed.substring(3)));
        assertTrue(Hashes.unseal("k", sealed).isPresent());
    }
}
