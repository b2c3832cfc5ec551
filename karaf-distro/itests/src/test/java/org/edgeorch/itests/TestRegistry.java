package org.edgeorch.itests;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.edgeorch.oci.testing.RegistryHarness;

/**
 * The real docker-registry of the release ITs, started once in the test JVM (never inside the booted
 * runtime, which does not have the harness) and stopped when that JVM exits.
 */
final class TestRegistry {

    /** One registry per webhook: each IT class's orchestrator gets the notifications of its own registry. */
    private static final Map<URI, RegistryHarness> REGISTRIES = new java.util.HashMap<>();

    private TestRegistry() {
    }

    /** Starts the registry, notifying {@code webhook} with the bearer token; returns its URL. */
    static synchronized String start(URI webhook, String token) {
        RegistryHarness registry = REGISTRIES.get(webhook);
        if (registry == null) {
            registry = RegistryHarness.start(List.of(new RegistryHarness.Endpoint("orchestrator", webhook,
                    Map.of("Authorization", "Bearer " + token), List.of("pull"), List.of("application/octet-stream"))));
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close));
            REGISTRIES.put(webhook, registry);
        }
        return registry.uri().toString();
    }
}
