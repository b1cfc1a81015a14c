package com.esii.support.hub.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Digests, HMAC signatures, random tokens and sealed tokens: the hub's one place for them. */
public final class Hashes {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Hashes() {
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(String s) {
        return sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A URL-safe random token with 256 bits of entropy. */
    public static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Compares two strings in time independent of where they differ. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of {@code data} with {@code key} (Jira's webhook signatures, the on-call acknowledgement links). */
    public static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | java.security.InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final byte[] SEAL_LABEL = "support-hub seal v1".getBytes(StandardCharsets.UTF_8);
    private static final String SEAL_PREFIX = "v1.";

    /**
     * Encrypts {@code value} (AES-256-GCM, random IV) under a key derived from {@code secret} (HMAC-SHA256 of a
     * fixed label). The hub keeps the result and forgets the secret: only whoever holds the secret again (the client
     * that sent it) can {@link #unseal} it. Used for the access token answered again to a repeated request, which
     * is kept only sealed under the request's own Idempotency-Key (whose SHA-256 is what the table holds).
     */
    public static String seal(String secret, String value) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            c.init(javax.crypto.Cipher.ENCRYPT_MODE, sealKey(secret), new javax.crypto.spec.GCMParameterSpec(128, iv));
            byte[] sealed = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return SEAL_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@link #seal} sealed under {@code secret}; empty for another secret, a null or a damaged value. */
    public static java.util.Optional<String> unseal(String secret, String sealed) {
        if (secret == null || sealed == null || !sealed.startsWith(SEAL_PREFIX)) {
            return java.util.Optional.empty();
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(sealed.substring(SEAL_PREFIX.length()));
            if (in.length < 12 + 16) {
                return java.util.Optional.empty();
            }
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            c.init(javax.crypto.Cipher.DECRYPT_MODE, sealKey(secret), new javax.crypto.spec.GCMParameterSpec(128, in, 0, 12));
            return java.util.Optional.of(new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8));
        } catch (javax.crypto.AEADBadTagException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static javax.crypto.spec.SecretKeySpec sealKey(String secret) {
        return new javax.crypto.spec.SecretKeySpec(hmacSha256(secret.getBytes(StandardCharsets.UTF_8), SEAL_LABEL), "AES");
    }
}
