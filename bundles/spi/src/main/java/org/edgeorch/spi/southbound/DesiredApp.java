package org.edgeorch.spi.southbound;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One application deployment a host should run: the version's manifest exactly as its publisher signed it (the
 * node verifies the signature itself and takes runtime and artifacts from the signed manifest only) and the values
 * of its parameters as resolved for this host (defaults, profile, overrides). Secret values are in clear here:
 * the record travels only to the host the deployment targets, over mutual TLS; {@link #toString()} redacts them.
 *
 * @param deployment the deployment's name, unique in the project
 * @param version    the application version ({@code manifest.version})
 * @param registry   the release service's registry the artifacts are pulled from, for example
 *                   {@code http://127.0.0.1:5000}
 * @param manifest   the version's manifest JSON, exactly as signed
 * @param signature  its detached CMS signature, DER in base64
 * @param values     parameter name to value
 * @param secrets    the names of the parameters whose values are secret
 */
public record DesiredApp(String deployment, String application, String version, String registry, String manifest,
                         String signature, Map<String, String> values, List<String> secrets) {

    public DesiredApp {
        values = values == null ? Map.of() : Map.copyOf(new TreeMap<>(values));
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    /** The values with every secret shown as {@code ********}. */
    public Map<String, String> redactedValues() {
        Map<String, String> out = new TreeMap<>(values);
        for (String s : secrets) {
            out.computeIfPresent(s, (k, v) -> "********");
        }
        return out;
    }

    @Override
    public String toString() {
        return "DesiredApp[deployment=" + deployment + ", application=" + application + ", version=" + version
                + ", registry=" + registry + ", values=" + redactedValues() + "]";
    }
}
