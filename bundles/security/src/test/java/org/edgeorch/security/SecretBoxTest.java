package org.edgeorch.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    @TempDir
    Path dir;

    @Test
    void sealsWithAFreshNonceOpensOnlyInItsContextAndWithItsKey() throws Exception {
        Path file = dir.resolve("edgeorch/apps-secret.key");
        SecretBox box = SecretBox.fromFile(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        String a = box.seal("s3cr3t-value", "PROFILE/1/DB_PASSWORD");
        String b = box.seal("s3cr3t-value", "PROFILE/1/DB_PASSWORD");
        assertNotEquals(a, b);
        assertFalse(a.contains("s3cr3t"));
        assertEquals("s3cr3t-value", box.open(a, "PROFILE/1/DB_PASSWORD"));
        // copied to another row, it does not open
        assertThrows(IllegalStateException.class, () -> box.open(a, "PROFILE/2/DB_PASSWORD"));
        // the same file gives the same key (a restart); another key does not open it
        assertEquals("s3cr3t-value", SecretBox.fromFile(file).open(a, "PROFILE/1/DB_PASSWORD"));
        SecretBox other = SecretBox.fromFile(dir.resolve("other.key"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.open(a, "PROFILE/1/DB_PASSWORD"));
        assertFalse(e.getMessage().contains(Files.readString(file).strip()));
        // tampered ciphertext
        String tampered = a.substring(0, a.length() - 4) + (a.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThrows(IllegalStateException.class, () -> box.open(tampered, "PROFILE/1/DB_PASSWORD"));
        assertEquals("SecretBox[AES-256-GCM]", box.toString());
    }
}
