package org.edgeorch.platform;

import java.time.Instant;
import java.util.List;

/**
 * A runtime's answer to "what are you and how are you".
 *
 * @param runtime       {@code orchestrator} or {@code node}
 * @param uptimeSeconds seconds since the framework started
 */
public record PlatformStatus(String product, String version, String runtime, Instant startedAt,
                             long uptimeSeconds, List<ComponentHealth> components, List<PluginInfo> plugins) {

    public PlatformStatus {
        components = List.copyOf(components);
        plugins = List.copyOf(plugins);
    }
}
