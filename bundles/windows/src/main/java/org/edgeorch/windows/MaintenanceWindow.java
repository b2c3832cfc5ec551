package org.edgeorch.windows;

import java.time.Duration;
import java.time.Instant;

/**
 * When a host may be disrupted. Either a {@link SingleWindow} or a {@link RepeatedWindow}; both
 * validate on construction and throw {@link IllegalArgumentException} saying what to fix.
 */
public sealed interface MaintenanceWindow permits SingleWindow, RepeatedWindow {

    /** From {@code start} until {@code end}; a {@code null} end leaves the window open for good. */
    static SingleWindow single(Instant start, Instant end) {
        return new SingleWindow(start, end);
    }

    /**
     * Starting at each match of a five-field cron expression (minute hour day-of-month month
     * day-of-week) read in the local time of {@code zoneId}, lasting {@code duration} each time.
     */
    static RepeatedWindow repeated(String cron, String zoneId, Duration duration) {
        return new RepeatedWindow(cron, zoneId, duration);
    }
}
