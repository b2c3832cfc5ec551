package org.edgeorch.scheduling;

import java.util.List;
import java.util.Optional;

import org.edgeorch.spi.southbound.WindowSpec;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the scheduling side knows of one host, with no caller (the southbound and the rollout reconciler act
 * for the system): its maintenance windows, inherited region to site to host, and the OS version its update
 * policies want it to run.
 */
@ProviderType
public interface HostSchedules {

    /** The host's maintenance windows, its own and inherited; empty when it has none (it may change at any time). */
    List<MaintenanceWindow> windows(String hostId);

    /** The same windows as the node receives them in its desired state. */
    List<WindowSpec> windowSpecs(String hostId);

    /** The version the host's update policy wants, if a policy applies to it. */
    Optional<DesiredVersion> desired(String projectId, String hostId);

    /**
     * @param profile      the project's OS profile
     * @param version      the version to run
     * @param policySource which policy decided, for update runs and reports (for example {@code site paris})
     */
    record DesiredVersion(String profile, String version, String policySource) {
    }
}
