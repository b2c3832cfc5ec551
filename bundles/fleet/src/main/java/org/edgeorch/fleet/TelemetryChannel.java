package org.edgeorch.fleet;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the observability side adds to a host's sync: how often the host samples its telemetry, the project's
 * setting. Implemented by the observability bundle and found as an optional service; without one, desired states ask
 * for no telemetry (interval 0). Called on the southbound path for every sync, so implementations answer from memory.
 */
@ConsumerType
public interface TelemetryChannel {

    /** Seconds between two telemetry samples of the project's hosts, at least 1. */
    int telemetryIntervalSeconds(String projectId);
}
