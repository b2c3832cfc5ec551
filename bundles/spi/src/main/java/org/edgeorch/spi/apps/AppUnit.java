package org.edgeorch.spi.apps;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one deployment needs of a runtime, taken from its verified manifest and resolved values. {@link #toString()}
 * redacts secret values.
 *
 * @param registry    base URL of the registry the artifacts are pulled from ({@code http://host:port})
 * @param command     the command to run (containers), empty for the artifact's own
 * @param ports       published ports, {@code hostPort:containerPort[/tcp|/udp]}
 * @param values      parameter name to value; a container gets them as environment variables
 * @param secrets     the names of the secret parameters
 * @param fingerprint digest of everything above: a unit installed with another fingerprint is replaced
 */
public record AppUnit(String deployment, String application, String version, String registry, List<Artifact> artifacts,
                      List<String> command, List<String> ports, Map<String, String> values, Set<String> secrets,
                      String fingerprint) {

    public AppUnit {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        command = command == null ? List.of() : List.copyOf(command);
        ports = ports == null ? List.of() : List.copyOf(ports);
        values = values == null ? Map.of() : Map.copyOf(values);
        secrets = secrets == null ? Set.of() : Set.copyOf(secrets);
    }

    /**
     * An artifact pinned by digest.
     *
     * @param repository its repository in the registry, for example {@code apps/web}
     * @param digest     {@code sha256:} and 64 hex digits
     */
    public record Artifact(String name, String repository, String digest) {
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(values);
        secrets.forEach(s -> shown.computeIfPresent(s, (k, v) -> "********"));
        return "AppUnit[deployment=" + deployment + ", application=" + application + ", version=" + version
                + ", artifacts=" + artifacts + ", values=" + shown + ", fingerprint=" + fingerprint + "]";
    }
}
