package org.edgeorch.observability.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The scrape token's check: only its SHA-256 is configured, compared in constant time. */
final class ScrapeAuth {

    private final byte[] expected;

    ScrapeAuth(String sha256Hex) {
        String hex = sha256Hex == null ? "" : sha256Hex.strip().toLowerCase(Locale.ROOT);
        if (!hex.isEmpty() && !hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("scrapeTokenSha256 must be 64 hex digits (a SHA-256), not "
                    + hex.length() + " characters");
        }
        expected = hex.isEmpty() ? null : HexFormat.of().parseHex(hex);
    }

    /** Whether a token is configured at all. */
    boolean configured() {
        return expected != null;
    }

    /** Whether {@code authorization} is {@code Bearer <the token>}. */
    boolean accepts(String authorization) {
        String token = bearer(authorization);
        return expected != null && token != null && MessageDigest.isEqual(expected, sha256(token));
    }

    /** The token of a {@code Bearer} header, or null. */
    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int bounded(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", not " + value);
        }
        return value;
    }
}
