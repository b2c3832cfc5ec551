package org.edgeorch.spi.southbound;

import java.util.Map;

/**
 * What the orchestrator wants of a host. Its ETag is a digest of the whole record, so an agent that
 * already has it gets a 304.
 *
 * @param metadata            the host's effective metadata
 * @param syncIntervalSeconds how often to sync
 * @param renewAfter          epoch milliseconds after which the agent should renew its certificate
 */
public record DesiredState(String project, String host, Map<String, String> metadata, int syncIntervalSeconds,
                           long renewAfter) {
}
