package org.edgeorch.spi.southbound;

import java.util.List;
import java.util.Map;

/**
 * What the orchestrator wants of a host. Its ETag is a digest of the whole record, so an agent that
 * already has it gets a 304.
 *
 * @param metadata            the host's effective metadata
 * @param syncIntervalSeconds how often to sync
 * @param renewAfter          epoch milliseconds after which the agent should renew its certificate
 * @param os                  the OS the host should run, or null when no policy or rollout says
 * @param windows             the host's maintenance windows (inherited region → site → host, and its clusters')
 * @param apps                the application deployments the host should run, by deployment name
 * @param telemetryIntervalSeconds how often to sample the host's telemetry (the project's setting); 0 when the
 *                            orchestrator keeps no telemetry, so the agent samples none
 */
public record DesiredState(String project, String host, Map<String, String> metadata, int syncIntervalSeconds,
                           long renewAfter, DesiredOs os, List<WindowSpec> windows, List<DesiredApp> apps,
                           int telemetryIntervalSeconds) {

    public DesiredState {
        windows = windows == null ? List.of() : List.copyOf(windows);
        apps = apps == null ? List.of() : List.copyOf(apps);
    }

    /** A desired state without telemetry. */
    public DesiredState(String project, String host, Map<String, String> metadata, int syncIntervalSeconds,
                        long renewAfter, DesiredOs os, List<WindowSpec> windows, List<DesiredApp> apps) {
        this(project, host, metadata, syncIntervalSeconds, renewAfter, os, windows, apps, 0);
    }

    /** A desired state without applications. */
    public DesiredState(String project, String host, Map<String, String> metadata, int syncIntervalSeconds,
                        long renewAfter, DesiredOs os, List<WindowSpec> windows) {
        this(project, host, metadata, syncIntervalSeconds, renewAfter, os, windows, List.of(), 0);
    }

    /** A desired state without OS or windows. */
    public DesiredState(String project, String host, Map<String, String> metadata, int syncIntervalSeconds,
                        long renewAfter) {
        this(project, host, metadata, syncIntervalSeconds, renewAfter, null, List.of(), List.of(), 0);
    }
}
