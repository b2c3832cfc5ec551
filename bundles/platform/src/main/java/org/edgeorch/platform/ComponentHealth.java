package org.edgeorch.platform;

import java.util.Map;

/**
 * Health of one part of the runtime (the database, say), as shown in the status.
 *
 * @param name    short name of the part
 * @param state   UP or DOWN
 * @param details facts worth showing (product, version, ...); never secrets
 */
public record ComponentHealth(String name, State state, Map<String, String> details) {

    public ComponentHealth {
        details = Map.copyOf(details);
    }

    public enum State { UP, DOWN }
}
