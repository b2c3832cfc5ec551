package org.edgeorch.windows;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Queries on maintenance windows. Every method takes the instant to answer for; none reads the clock,
 * so callers pass {@code clock.instant()} and tests pass fixed instants.
 *
 * <p>Occurrences are half-open: open from their start (inclusive) to their end (exclusive). An
 * occurrence of a repeated window that started before {@code now} and has not ended yet is open.
 */
public final class MaintenanceWindows {

    /** Among occurrences open at the same time, the one that stays open longest (no end = forever). */
    private static final Comparator<Interval> BY_END =
            Comparator.comparing(Interval::end, Comparator.nullsLast(Comparator.naturalOrder()));

    private MaintenanceWindows() {
    }

    public static boolean isOpen(MaintenanceWindow window, Instant now) {
        return currentOrNext(window, now).filter(occurrence -> occurrence.contains(now)).isPresent();
    }

    /**
     * The occurrence of {@code window} open at {@code now}, else the next one to open; empty when the
     * window will never be open again (a single window that has ended).
     */
    public static Optional<Interval> currentOrNext(MaintenanceWindow window, Instant now) {
        Objects.requireNonNull(now, "now");
        if (window instanceof SingleWindow single) {
            return single.end() == null || now.isBefore(single.end()) ? Optional.of(single.interval()) : Optional.empty();
        }
        RepeatedWindow repeated = (RepeatedWindow) window;
        Optional<Interval> current = repeated.schedule().lastStartAtOrBefore(now)
                .map(start -> new Interval(start, start.plus(repeated.duration())))
                .filter(occurrence -> occurrence.contains(now));
        if (current.isPresent()) {
            return current;
        }
        return repeated.schedule().firstStartAfter(now).map(start -> new Interval(start, start.plus(repeated.duration())));
    }

    /** Whether any of {@code windows} (say, all the windows a host inherits) is open at {@code now}. */
    public static boolean isOpen(List<? extends MaintenanceWindow> windows, Instant now) {
        return windows.stream().anyMatch(window -> isOpen(window, now));
    }

    /**
     * Over several windows: the open occurrence that stays open longest, else the occurrence that opens
     * first (the longer one when two open together). Occurrences of different windows that touch or
     * overlap are not merged.
     */
    public static Optional<Interval> currentOrNext(List<? extends MaintenanceWindow> windows, Instant now) {
        List<Interval> occurrences = windows.stream().map(window -> currentOrNext(window, now))
                .flatMap(Optional::stream).toList();
        Optional<Interval> open = occurrences.stream().filter(occurrence -> occurrence.contains(now)).max(BY_END);
        if (open.isPresent()) {
            return open;
        }
        return occurrences.stream().min(Comparator.comparing(Interval::start).thenComparing(BY_END.reversed()));
    }

    /**
     * When maintenance may next begin under any of {@code windows}: {@code now} itself if one is open,
     * else the earliest opening; empty if none will open again.
     */
    public static Optional<Instant> nextOpening(List<? extends MaintenanceWindow> windows, Instant now) {
        return currentOrNext(windows, now).map(occurrence -> occurrence.contains(now) ? now : occurrence.start());
    }
}
