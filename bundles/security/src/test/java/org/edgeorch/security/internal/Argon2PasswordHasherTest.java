package org.edgeorch.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

class Argon2PasswordHasherTest {

    private final Argon2PasswordHasher hasher = new Argon2PasswordHasher();

    @Test
    void verifiesTheRightPasswordOnly() {
        String encoded = hasher.hash("correct horse".toCharArray());
        assertTrue(encoded.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), encoded);
        assertTrue(hasher.verify("correct horse".toCharArray(), encoded));
        assertFalse(hasher.verify("correct hors".toCharArray(), encoded));
        assertFalse(hasher.verify("".toCharArray(), encoded));
        assertFalse(hasher.needsRehash(encoded));
    }

    @Test
    void handlesNonAsciiPasswords() {
        String encoded = hasher.hash("pässwörd✓".toCharArray());
        assertTrue(hasher.verify("pässwörd✓".toCharArray(), encoded));
        assertFalse(hasher.verify("passwörd✓".toCharArray(), encoded));
    }

    @Test
    void tellsItsEncodingsFromPasswords() {
        assertTrue(hasher.isEncoded(hasher.hash("correct horse".toCharArray())));
        assertFalse(hasher.isEncoded("correct horse battery"));
        assertFalse(hasher.isEncoded("$argon2id$not-really"));
        assertFalse(hasher.isEncoded(null));
    }

    @Test
    void saltsEveryHash() {
        assertNotEquals(hasher.hash("x".toCharArray()), hasher.hash("x".toCharArray()));
    }

    @Test
    void rejectsMalformedOrForeignEncodings() {
        assertFalse(hasher.verify("x".toCharArray(), null));
        assertFalse(hasher.verify("x".toCharArray(), "plain"));
        assertFalse(hasher.verify("x".toCharArray(), "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g"));
        assertTrue(hasher.needsRehash("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g"));
    }

    /** RFC 9106's Argon2id test vector, so the parameters reach Bouncy Castle as intended. */
    @Test
    void bouncyCastleMatchesRfc9106() {
        byte[] password = new byte[32];
        java.util.Arrays.fill(password, (byte) 0x01);
        byte[] salt = new byte[16];
        java.util.Arrays.fill(salt, (byte) 0x02);
        byte[] secret = new byte[8];
        java.util.Arrays.fill(secret, (byte) 0x03);
        byte[] ad = new byte[12];
        java.util.Arrays.fill(ad, (byte) 0x04);
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(32).withIterations(3).withParallelism(4).withSalt(salt).withSecret(secret)
                .withAdditional(ad).build());
        byte[] out = new byte[32];
        g.generateBytes(password, out);
        assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", HexFormat.of().formatHex(out));
    }
}
