package org.edgeorch.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.LongStream;

import org.edgeorch.spi.Telemetry;
import org.edgeorch.spi.southbound.SampleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The node's telemetry buffer on disk: numbered, bounded with the oldest dropped and counted, kept over restarts. */
class TelemetryBufferTest {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    private static List<Telemetry.Sample> cpu(double v) {
        return List.of(new Telemetry.Sample(Telemetry.CPU_USAGE, "", v), new Telemetry.Sample(Telemetry.LOAD_1, "", 1));
    }

    private static List<Long> sequences(List<SampleSet> sets) {
        return sets.stream().map(SampleSet::sequence).toList();
    }

    @Test
    void setsAreNumberedInTheBufferAndSurviveARestartAndATornLine() throws Exception {
        AgentFiles files = new AgentFiles(dir.resolve("a"));
        TelemetryBuffer buffer = new TelemetryBuffer(files, json, 100);
        for (int i = 1; i <= 4; i++) {
            SampleSet set = buffer.add(i * 1000L, cpu(i));
            assertEquals(buffer.id(), set.buffer());
            assertEquals(i, set.sequence());
        }
        buffer.taken(1);
        Files.writeString(dir.resolve("a/telemetry.jsonl"), "{\"at\":5000,\"samp", StandardOpenOption.APPEND);

        TelemetryBuffer reopened = new TelemetryBuffer(files, json, 100);
        assertEquals(buffer.id(), reopened.id(), "the same buffer: the orchestrator's mark still applies");
        assertEquals(List.of(2L, 3L, 4L), sequences(reopened.pending(1000)));
        assertEquals(cpu(3), reopened.pending(1000).get(1).samples());
        assertEquals(5, reopened.add(5000, cpu(5)).sequence());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/telemetry.jsonl"))));
    }

    @Test
    void numberingGoesOnAfterEverythingWasTakenAndARestart() throws Exception {
        AgentFiles files = new AgentFiles(dir.resolve("b"));
        TelemetryBuffer buffer = new TelemetryBuffer(files, json, 100);
        buffer.add(1, cpu(1));
        buffer.add(2, cpu(2));
        buffer.taken(2);
        assertEquals(0, buffer.size());
        assertEquals(3, new TelemetryBuffer(files, json, 100).add(3, cpu(3)).sequence(),
                "numbering from 1 again would have the orchestrator skip the new sets as seen");
    }

    @Test
    void aFullBufferDropsTheOldestTenthAtOnceAndCountsThem() throws Exception {
        TelemetryBuffer buffer = new TelemetryBuffer(new AgentFiles(dir.resolve("c")), json, 50);
        for (int i = 1; i <= 51; i++) {
            buffer.add(i, cpu(i));
        }
        assertEquals(45, buffer.size());
        assertEquals(6, buffer.dropped());
        assertEquals(LongStream.rangeClosed(7, 51).boxed().toList(), sequences(buffer.pending(10_000)));
        for (int i = 52; i <= 56; i++) {
            buffer.add(i, cpu(i));
        }
        assertEquals(50, buffer.size(), "full again, not over");
        assertEquals(6, buffer.dropped());
        assertEquals(50, new TelemetryBuffer(new AgentFiles(dir.resolve("c")), json, 50).size(), "the file holds the same");
    }

    @Test
    void aSyncCarriesTheOldestSetsThatFitItsSampleLimit() throws Exception {
        TelemetryBuffer buffer = new TelemetryBuffer(new AgentFiles(dir.resolve("d")), json, 100);
        for (int i = 1; i <= 10; i++) {
            buffer.add(i, cpu(i));
        }
        assertEquals(List.of(1L, 2L, 3L), sequences(buffer.pending(7)), "two samples a set: three fit in seven");
        assertEquals(List.of(1L), sequences(buffer.pending(1)), "at least one set, whatever the limit");
    }

    @Test
    void aWipedFolderIsANewBuffer() throws Exception {
        TelemetryBuffer first = new TelemetryBuffer(new AgentFiles(dir.resolve("e")), json, 100);
        first.add(1, cpu(1));
        Files.delete(dir.resolve("e/telemetry.id"));
        TelemetryBuffer second = new TelemetryBuffer(new AgentFiles(dir.resolve("e")), json, 100);
        assertNotEquals(first.id(), second.id());
        assertEquals(0, second.size());
        assertEquals(1, second.add(2, cpu(2)).sequence());
    }
}
