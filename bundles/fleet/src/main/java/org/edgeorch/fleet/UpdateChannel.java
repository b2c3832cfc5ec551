package org.edgeorch.fleet;

import java.util.List;

import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.UpdateReport;
import org.edgeorch.spi.southbound.WindowSpec;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the scheduling side adds to a host's sync: its maintenance windows and desired OS into the desired
 * state, and the agent's update reports and running OS version out of the sync request. Implemented by the
 * scheduling bundle and found as an optional service; without one, desired states carry neither.
 * Called on the southbound path for every sync, so implementations answer from indexed reads or caches.
 */
@ConsumerType
public interface UpdateChannel {

    /** What the host should run and when it may change. */
    HostUpdates updatesFor(String projectId, String hostId);

    /**
     * Records what the agent said: the OS version it runs (null: unknown) and the state of its update run
     * (null: none). Called before {@link #updatesFor} on the same sync, so the answer reflects it.
     */
    void reported(String projectId, String hostId, String osVersion, UpdateReport update);

    /**
     * Windows and desired OS of one host; {@code os} null when nothing says what it should run. {@code nextSyncSeconds}
     * greater than 0 asks the host to sync again that soon (a rollout wave involving it runs or is next).
     */
    record HostUpdates(DesiredOs os, List<WindowSpec> windows, int nextSyncSeconds) {
        public static final HostUpdates NONE = new HostUpdates(null, List.of());

        /** Updates without next-sync hint. */
        public HostUpdates(DesiredOs os, List<WindowSpec> windows) {
            this(os, windows, 0);
        }

        public HostUpdates {
            windows = windows == null ? List.of() : List.copyOf(windows);
        }
    }
}
