package org.edgeorch.fleet;

import java.util.List;

import org.edgeorch.spi.southbound.AppReport;
import org.edgeorch.spi.southbound.DesiredApp;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the applications side adds to a host's sync: the deployments the host should run into the desired state, and
 * its app agent's states out of the sync request. Implemented by the apps bundle and found as an optional service;
 * without one, desired states carry no applications. Called on the southbound path for every sync, so
 * implementations answer from indexed reads.
 */
@ConsumerType
public interface AppChannel {

    /** The deployments that target the host now, resolved for it (secret values in clear: for this host only). */
    List<DesiredApp> appsFor(String projectId, String hostId);

    /**
     * Records the app agent's states: every deployment the host has. Called before {@link #appsFor} on the same
     * sync; only when the node runs an app agent.
     */
    void reported(String projectId, String hostId, List<AppReport> apps);
}
