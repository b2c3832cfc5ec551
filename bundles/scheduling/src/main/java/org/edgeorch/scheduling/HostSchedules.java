package org.edgeorch.scheduling;

import java.util.List;
import java.util.Optional;

import org.edgeorch.spi.southbound.WindowSpec;
import org.edgeorch.windows.MaintenanceWindow;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A host's effective windows and desired OS for the system itself (the rollout reconciler, the southbound): no
 * caller, by host id. Called for every sync of every host, so each answer is a few indexed reads. An unknown host
 * has no windows and no desired version.
 */
@ProviderType
public interface HostSchedules {

    /**
     * The windows the host is subject to: its own, its site's, those of every region up its site's region chain, and
     * its clusters'. The host may change inside any of them.
     */
    List<MaintenanceWindow> windows(String hostId);

    /** The same windows as the node receives them in its desired state. */
    List<WindowSpec> windowSpecs(String hostId);

    /**
     * What the host's effective update policy asks it to run; empty when no policy applies, when the host is not in
     * the project, or when the policy's OS resource is gone or withdrawn.
     */
    Optional<DesiredVersion> desired(String projectId, String hostId);
}
