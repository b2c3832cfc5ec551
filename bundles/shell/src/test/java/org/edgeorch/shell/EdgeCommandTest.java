package org.edgeorch.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.apache.karaf.shell.api.action.Command;
import org.edgeorch.shell.EdgeCommand.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a command can fail prints one bounded line and returns; nothing reaches Karaf's stack-trace printer. */
class EdgeCommandTest {

    @Command(scope = "edge", name = "probe")
    static final class Probe extends EdgeCommand {
        private final Exception failure;

        Probe(Exception failure) {
            this.failure = failure;
        }

        @Override
        protected void run() throws Exception {
            throw failure;
        }
    }

    private static String run(Exception failure) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertNull(new Probe(failure).execute());
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRefusalIsOneLineQuotingAPrefixOnly() throws Exception {
        String out = run(new InputException("name", "name 'a\nb' is wrong; project '" + "z".repeat(10_000) + "' does not exist"));
        assertTrue(out.startsWith("Error: name 'a b' is wrong; project 'zzz") && out.contains("(10002 characters)"), out);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.length() < 200, out);
    }

    @Test
    void anUnexpectedFailureIsOneLineNamingTheCommandAndNoClass() throws Exception {
        String out = run(new NullPointerException("Cannot invoke \"org.edgeorch.fleet.Fleet$Host.name()\""));
        assertEquals("Error: edge:probe failed unexpectedly; the log has the details" + System.lineSeparator(), out);
        assertFalse(run(new java.io.UncheckedIOException(new java.io.IOException("/etc/shadow"))).contains("shadow"));
    }

    @Test
    void anInterruptionEndsTheCommandQuietly() throws Exception {
        assertEquals("", run(new InterruptedException()));
        assertTrue(Thread.interrupted(), "the interrupt is kept for the shell");
    }

    @Test
    void durationsAndInstants() {
        assertEquals(Duration.ofDays(7), EdgeCommand.duration("--validity", "7d"));
        assertEquals(Duration.ofSeconds(90), EdgeCommand.duration("--validity", "90s"));
        assertEquals(Duration.ofHours(12), EdgeCommand.duration("--validity", "pt12h"));
        assertNull(EdgeCommand.duration("--validity", null));
        InputException d = assertThrows(InputException.class, () -> EdgeCommand.duration("--validity", "a week"));
        assertEquals("--validity", d.field());
        assertTrue(d.getMessage().startsWith("--validity 'a week' is not a duration"), d.getMessage());
        assertEquals(Instant.parse("2026-01-31T12:00:00Z"), EdgeCommand.instant("--from", "2026-01-31T12:00:00Z"));
        InputException i = assertThrows(InputException.class, () -> EdgeCommand.instant("--from", "x".repeat(5000)));
        assertTrue(i.getMessage().contains("(5000 characters)") && i.getMessage().length() < 200, i.getMessage());
        assertEquals(12, EdgeCommand.whole("--wave", "wave 1: count", " 12 "));
        assertEquals("wave 1: count needs a whole number, not 'many'",
                assertThrows(InputException.class, () -> EdgeCommand.whole("--wave", "wave 1: count", "many")).getMessage());
    }

    @Test
    void aFileIsReadOrRefusedInWordsWithoutAClassName(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("signer.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertEquals("-----BEGIN CERTIFICATE-----\n", EdgeCommand.text("file", pem.toString()));
        String missing = dir.resolve("missing.pem").toString();
        assertEquals("file '" + missing + "' does not exist on this machine",
                assertThrows(InputException.class, () -> EdgeCommand.text("file", missing)).getMessage());
        assertEquals("file '" + dir + "' is not a regular file",
                assertThrows(InputException.class, () -> EdgeCommand.file("file", dir.toString())).getMessage());
        assertEquals("file 'a\\u0000b' is not a valid file name",
                assertThrows(InputException.class, () -> EdgeCommand.file("file", "a\0b")).getMessage());
        Path binary = Files.write(dir.resolve("bin"), new byte[] {(byte) 0xff, (byte) 0xfe});
        assertEquals("file '" + binary + "' is not UTF-8 text",
                assertThrows(InputException.class, () -> EdgeCommand.text("file", binary.toString())).getMessage());
        assertEquals("--manifest is required",
                assertThrows(InputException.class, () -> EdgeCommand.text("--manifest", " ")).getMessage());
    }

    @Test
    void aChoiceNamesTheConstants() {
        assertEquals(Thread.State.NEW, EdgeCommand.choice(Thread.State.class, "--state", " new "));
        assertEquals("--state 'old' is not one of NEW, RUNNABLE, BLOCKED, WAITING, TIMED_WAITING, TERMINATED",
                assertThrows(InputException.class, () -> EdgeCommand.choice(Thread.State.class, "--state", "old")).getMessage());
    }
}
