package org.edgeorch.windows;

import java.time.Instant;

/** A window open once, from {@code start} to {@code end} (exclusive), or for good when {@code end} is null. */
public record SingleWindow(Instant start, Instant end) implements MaintenanceWindow {

    public SingleWindow {
        if (start == null) {
            throw new IllegalArgumentException("a single maintenance window needs a start instant");
        }
        if (end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("maintenance window ends at " + end + ", not after its start " + start
                    + ": give an end later than the start, or none for an open-ended window");
        }
    }

    public Interval interval() {
        return new Interval(start, end);
    }
}
