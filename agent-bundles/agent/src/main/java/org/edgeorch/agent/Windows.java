package org.edgeorch.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.edgeorch.spi.southbound.WindowSpec;
import org.edgeorch.windows.MaintenanceWindow;
import org.edgeorch.windows.MaintenanceWindows;
import org.edgeorch.windows.RepeatedWindow;
import org.edgeorch.windows.SingleWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance windows of a desired state, evaluated on the node with the orchestrator's own window engine
 * (embedded in this bundle), so that a node decides the same as its orchestrator without asking it.
 * No windows at all means no restriction: always open.
 */
public final class Windows {

    private static final Logger LOG = LoggerFactory.getLogger(Windows.class);

    private final List<MaintenanceWindow> windows;

    private Windows(List<MaintenanceWindow> windows) {
        this.windows = windows;
    }

    /** Reads the windows; one this node cannot read is left out (and logged), not fatal. */
    public static Windows of(List<WindowSpec> specs) {
        List<MaintenanceWindow> out = new ArrayList<>();
        for (WindowSpec w : specs == null ? List.<WindowSpec>of() : specs) {
            try {
                if (w.cron() != null) {
                    out.add(new RepeatedWindow(w.cron(), w.zone(), Duration.parse(w.duration())));
                } else {
                    out.add(new SingleWindow(Instant.parse(w.start()), w.end() == null ? null : Instant.parse(w.end())));
                }
            } catch (RuntimeException e) {
                LOG.warn("Ignoring window {} that this node cannot read: {}", w.name(), e.getMessage());
            }
        }
        return new Windows(List.copyOf(out));
    }

    /** Whether there is no window, so every moment is open. */
    public boolean unrestricted() {
        return windows.isEmpty();
    }

    /** Whether installing is allowed at the instant. */
    public boolean isOpen(Instant at) {
        return windows.isEmpty() || MaintenanceWindows.isOpen(windows, at);
    }

    /** The next instant after {@code at} when a window opens; empty when none will (or there are no windows). */
    public Optional<Instant> nextOpening(Instant at) {
        return windows.isEmpty() ? Optional.empty() : MaintenanceWindows.nextOpening(windows, at);
    }
}
