package org.edgeorch.spi.southbound;

import java.util.List;

import org.edgeorch.spi.Telemetry;

/**
 * The host's figures read at one instant, as sent with a sync: the agent sends what it sampled since the last sync
 * the orchestrator answered (and, after being offline, what it buffered meanwhile); sets re-sent after a lost answer
 * are stored once.
 *
 * <p>{@code buffer} and {@code sequence} are the set's batch id: the agent numbers the sets of its on-disk buffer
 * 1, 2, 3 … and sends them oldest first, so the orchestrator keeps, per host, the highest number it stored of the
 * host's current buffer and skips (and counts) a set at or below it without reading the samples. A new buffer (the
 * node's data folder was wiped) has a new id and starts again at 1.
 *
 * @param at       when they were read, epoch milliseconds (host clock)
 * @param samples  the figures
 * @param buffer   the id of the node's telemetry buffer (a UUID made with it); null from senders without one, whose
 *                 sets are deduplicated sample by sample only
 * @param sequence the set's number in that buffer, from 1; 0 without a buffer
 */
public record SampleSet(long at, List<Telemetry.Sample> samples, String buffer, long sequence) {

    public SampleSet {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    /** A set without a batch id. */
    public SampleSet(long at, List<Telemetry.Sample> samples) {
        this(at, samples, null, 0);
    }
}
