package org.edgeorch.windows;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One occurrence of a maintenance window: open from {@code start} (inclusive) to {@code end}
 * (exclusive); a {@code null} end means it never closes.
 */
public record Interval(Instant start, Instant end) {

    public Interval {
        Objects.requireNonNull(start, "start");
        if (end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException(
                    "interval ends at " + end + ", not after its start " + start + ": give an end later than the start");
        }
    }

    /** The end, if there is one. */
    public Optional<Instant> endIfAny() {
        return Optional.ofNullable(end);
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && (end == null || instant.isBefore(end));
    }
}
