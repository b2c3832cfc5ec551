package org.edgeorch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.edgeorch.agent.internal.AgentFiles;
import org.edgeorch.agent.internal.Outbox;
import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.spi.southbound.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What the agent does on its own: back-off bounds, the report buffer on disk, file permissions. */
class AgentLocalTest {

    @TempDir
    Path dir;

    @Test
    void withoutDmiTheMachineIdIsTheUuid(@TempDir Path dir) throws Exception {
        Path systemd = dir.resolve("etc-machine-id");
        Path dbus = Files.writeString(dir.resolve("dbus-machine-id"), "0B6C5A8E9A434B0E9A571F0C3C8A1001\n");
        assertEquals("0b6c5a8e-9a43-4b0e-9a57-1f0c3c8a1001", Agent.machineIdUuid(List.of(systemd, dbus)));
        Files.writeString(systemd, "uninitialized\n");
        assertEquals("0b6c5a8e-9a43-4b0e-9a57-1f0c3c8a1001", Agent.machineIdUuid(List.of(systemd, dbus)));
        Files.writeString(systemd, "4c4c4544004d3510804cb4c04f4e3032\n");
        assertEquals("4c4c4544-004d-3510-804c-b4c04f4e3032", Agent.machineIdUuid(List.of(systemd, dbus)));
        assertEquals(null, Agent.machineIdUuid(List.of(dir.resolve("none"))));
    }

    @Test
    void backOffGrowsWithFullJitterUpToTheCap() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Agent agent = new Agent(new Agent.Settings(URI.create("https://127.0.0.1:1"), null, null, dir.resolve("a"), null,
                null, null, Duration.ofSeconds(20)), () -> SimulatedHardware.forHost(1), scheduler, null, null)) {
            for (int attempt = 1; attempt <= 30; attempt++) {
                long cap = Math.min(20_000, 1000L << Math.min(20, attempt - 1));
                long max = 0;
                for (int i = 0; i < 200; i++) {
                    long b = agent.backoff(attempt);
                    assertTrue(b >= 100 && b <= Math.max(100, cap), attempt + ": " + b);
                    max = Math.max(max, b);
                }
                // jitter spreads over the whole range, not near a fixed value
                assertTrue(max > cap / 2, attempt + ": " + max);
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void reportsSurviveARestartAndATornLastLine() throws Exception {
        AgentFiles files = new AgentFiles(dir.resolve("b"));
        ObjectMapper json = new ObjectMapper();
        Outbox outbox = new Outbox(files, json, 100);
        for (int i = 1; i <= 3; i++) {
            outbox.add(new Report(i, i * 1000L, "STATUS", "r" + i));
        }
        outbox.acknowledge(1);
        // a power cut in the middle of appending the fourth
        Files.writeString(dir.resolve("b/outbox.jsonl"), "{\"sequence\":4,\"at\":4", java.nio.file.StandardOpenOption.APPEND);
        Outbox reopened = new Outbox(files, json, 100);
        assertEquals(List.of(2L, 3L), reopened.pending(10).stream().map(Report::sequence).toList());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("b/outbox.jsonl"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("b"))));
    }

    @Test
    void aFullBufferDropsTheOldest() throws Exception {
        Outbox outbox = new Outbox(new AgentFiles(dir.resolve("c")), new ObjectMapper(), 5);
        for (int i = 1; i <= 8; i++) {
            outbox.add(new Report(i, i, "STATUS", null));
        }
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), outbox.pending(10).stream().map(Report::sequence).toList());
        assertEquals(3, outbox.dropped());
    }

    @Test
    void aNextSyncHintIsOneTo86400SecondsAndAnythingElseIsNone() {
        assertEquals(2, Agent.nextSync("2"));
        assertEquals(86_400, Agent.nextSync("86400"));
        for (String bad : new String[] {null, "", "0x2", "-1", "1.5", "86401", "99999999999", " 2"}) {
            assertEquals(0, Agent.nextSync(bad), bad);
        }
    }
}
