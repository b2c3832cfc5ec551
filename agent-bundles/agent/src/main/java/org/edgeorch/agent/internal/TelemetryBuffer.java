package org.edgeorch.agent.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

import org.edgeorch.spi.Telemetry;
import org.edgeorch.spi.southbound.SampleSet;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Telemetry sampled and not yet taken by the orchestrator, on disk: {@code telemetry.id} holds the buffer's id (a
 * UUID made with it), {@code telemetry.jsonl} one {@link SampleSet} a line, appended and forced to disk as it is
 * sampled, so an orchestrator out of reach for hours, or a restart, loses nothing. Sets are numbered 1, 2, 3 … in the
 * buffer (with its id, their batch id: the orchestrator skips a set it already stored). At most {@code capacity} sets
 * wait: beyond, the oldest tenth is dropped at once (one rewrite, not one per sample) and counted.
 */
public final class TelemetryBuffer {

    static final String FILE = "telemetry.jsonl";
    static final String ID_FILE = "telemetry.id";

    private final AgentFiles files;
    private final ObjectMapper json;
    private final int capacity;
    private final String id;
    private final Deque<SampleSet> pending = new ArrayDeque<>();
    private long lastSequence;
    private long dropped;

    public TelemetryBuffer(AgentFiles files, ObjectMapper json, int capacity) throws IOException {
        if (capacity < 10) {
            throw new IllegalArgumentException("a telemetry buffer holds at least 10 sets, not " + capacity);
        }
        this.files = files;
        this.json = json;
        this.capacity = capacity;
        String stored = files.read(ID_FILE).map(String::strip).orElse("");
        if (stored.matches("[0-9a-f-]{36}")) {
            id = stored;
            for (String line : files.read(FILE).orElse("").split("\n")) {
                if (!line.isBlank()) {
                    try {
                        SampleSet set = json.readValue(line, SampleSet.class);
                        pending.add(set);
                        lastSequence = Math.max(lastSequence, set.sequence());
                    } catch (IOException e) {
                        // a line torn by a power cut: everything before it is intact
                        break;
                    }
                }
            }
            lastSequence = Math.max(lastSequence, files.read(FILE + ".last").map(String::strip)
                    .filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong).orElse(0L));
        } else {
            id = UUID.randomUUID().toString();
            files.delete(FILE);
            files.write(ID_FILE, id);
        }
    }

    public String id() {
        return id;
    }

    /** Keeps one sampling; returns the set as it will be sent. */
    public synchronized SampleSet add(long at, List<Telemetry.Sample> samples) throws IOException {
        SampleSet set = new SampleSet(at, samples, id, ++lastSequence);
        pending.add(set);
        if (pending.size() > capacity) {
            int excess = pending.size() - capacity + capacity / 10;
            for (int i = 0; i < excess; i++) {
                pending.removeFirst();
            }
            dropped += excess;
            rewrite();
        } else {
            files.append(FILE, json.writeValueAsString(set));
        }
        return set;
    }

    /** The oldest sets, as many as fit in {@code maxSamples} samples (at least one set when any waits). */
    public synchronized List<SampleSet> pending(int maxSamples) {
        List<SampleSet> out = new ArrayList<>();
        int samples = 0;
        for (SampleSet s : pending) {
            if (!out.isEmpty() && samples + s.samples().size() > maxSamples) {
                break;
            }
            out.add(s);
            samples += s.samples().size();
        }
        return out;
    }

    /** Forgets the sets up to {@code sequence}: the orchestrator took them. */
    public synchronized void taken(long sequence) throws IOException {
        boolean any = false;
        while (!pending.isEmpty() && pending.peekFirst().sequence() <= sequence) {
            pending.removeFirst();
            any = true;
        }
        if (any) {
            rewrite();
        }
    }

    public synchronized int size() {
        return pending.size();
    }

    /** Sets dropped since the agent started because the buffer was full. */
    public synchronized long dropped() {
        return dropped;
    }

    private void rewrite() throws IOException {
        StringBuilder b = new StringBuilder();
        for (SampleSet s : pending) {
            b.append(json.writeValueAsString(s)).append('\n');
        }
        if (pending.isEmpty()) {
            // The numbering goes on after an empty buffer, or the orchestrator would skip the next sets as seen.
            files.write(FILE + ".last", Long.toString(lastSequence));
        }
        files.write(FILE, b.toString());
    }
}
