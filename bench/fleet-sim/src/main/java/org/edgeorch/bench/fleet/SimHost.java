package org.edgeorch.bench.fleet;

import java.util.ArrayList;
import java.util.List;

import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.southbound.Report;

/** What one simulated host keeps: the same state the real agent keeps between syncs, in memory. */
final class SimHost {

    final int index;
    final String address;
    final long seed;
    /** The hardware as the agent reports it (free memory is telemetry, not inventory: 0), and its SHA-256. */
    HardwareInventory inventory;
    String inventorySha;
    String serverInventorySha;
    String project;
    String name;
    String etag;
    int intervalSeconds = 30;
    int nextSyncSeconds;
    long lastSequence;
    final List<Report> outbox = new ArrayList<>();
    int failures;
    boolean enrolled;
    boolean syncedOnce;

    SimHost(int index, long seed) {
        this.index = index;
        this.address = HostKeys.address(index);
        this.seed = seed;
    }

    synchronized void report(String kind, String detail) {
        outbox.add(new Report(++lastSequence, System.currentTimeMillis(), kind, detail));
    }

    synchronized List<Report> pending() {
        return outbox.isEmpty() ? List.of() : List.copyOf(outbox.subList(0, Math.min(500, outbox.size())));
    }

    synchronized void acknowledge(long acked) {
        outbox.removeIf(r -> r.sequence() <= acked);
    }

    long intervalMillis() {
        int every = intervalSeconds;
        return (nextSyncSeconds > 0 && nextSyncSeconds < every ? nextSyncSeconds : every) * 1000L;
    }
}
