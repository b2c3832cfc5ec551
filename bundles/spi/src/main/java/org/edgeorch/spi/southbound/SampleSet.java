package org.edgeorch.spi.southbound;

import java.util.List;

import org.edgeorch.spi.Telemetry;

/**
 * The host's figures read at one instant, as sent with a sync: the agent sends what it sampled since the last sync
 * the orchestrator answered (and, after being offline, what it buffered meanwhile); sets re-sent after a lost answer
 * are stored once.
 *
 * @param at      when they were read, epoch milliseconds (host clock)
 * @param samples the figures
 */
public record SampleSet(long at, List<Telemetry.Sample> samples) {

    public SampleSet {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }
}
