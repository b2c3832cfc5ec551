package org.edgeorch.agent.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.edgeorch.spi.southbound.Report;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reports not yet acknowledged by the orchestrator, one JSON line each in {@code outbox.jsonl}, written
 * to disk before {@link #add} returns: a node that is offline for days, or restarted, loses none. When
 * more than {@code capacity} wait, the oldest go (and the next report says how many).
 */
public final class Outbox {

    static final String FILE = "outbox.jsonl";

    private final AgentFiles files;
    private final ObjectMapper json;
    private final int capacity;
    private final List<Report> pending = new ArrayList<>();
    private long dropped;

    public Outbox(AgentFiles files, ObjectMapper json, int capacity) throws IOException {
        this.files = files;
        this.json = json;
        this.capacity = capacity;
        for (String line : files.read(FILE).orElse("").split("\n")) {
            if (!line.isBlank()) {
                try {
                    pending.add(json.readValue(line, Report.class));
                } catch (IOException e) {
                    // a line torn by a power cut: everything before it is intact
                    break;
                }
            }
        }
    }

    public synchronized void add(Report report) throws IOException {
        pending.add(report);
        if (pending.size() > capacity) {
            int excess = pending.size() - capacity;
            pending.subList(0, excess).clear();
            dropped += excess;
            rewrite();
        } else {
            files.append(FILE, json.writeValueAsString(report));
        }
    }

    /** At most {@code max} of the oldest pending reports. */
    public synchronized List<Report> pending(int max) {
        return List.copyOf(pending.subList(0, Math.min(max, pending.size())));
    }

    public synchronized int size() {
        return pending.size();
    }

    public synchronized long dropped() {
        return dropped;
    }

    /** Forgets the reports the orchestrator stored. */
    public synchronized void acknowledge(long sequence) throws IOException {
        if (pending.removeIf(r -> r.sequence() <= sequence)) {
            rewrite();
        }
    }

    /** The highest sequence number on file, 0 when none. */
    public synchronized long highestSequence() {
        return pending.stream().mapToLong(Report::sequence).max().orElse(0);
    }

    private void rewrite() throws IOException {
        StringBuilder b = new StringBuilder();
        for (Report r : pending) {
            b.append(json.writeValueAsString(r)).append('\n');
        }
        files.write(FILE, b.toString());
    }
}
