package org.edgeorch.apps;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.edgeorch.spi.southbound.AppState;

/** The records of the application domain, as every adapter shows them. Secret values are never in them. */
public final class Apps {

    /** What every read shows in place of a secret's value; sent back unchanged, it keeps the stored value. */
    public static final String REDACTED = "********";

    private Apps() {
    }

    /** How a node runs an application version. */
    public enum RuntimeKind {
        /** Container images run by Podman. */
        CONTAINER,
        /** OSGi bundles or a KAR installed into the node's own Karaf. */
        OSGI
    }

    /** The type of a parameter's value. */
    public enum ParameterType { STRING, INTEGER, BOOLEAN, ENUM }

    /** How a deployment chooses its hosts. */
    public enum TargetKind {
        /** Every host of the project whose effective metadata matches the selector, now and later. */
        SELECTOR,
        /** The hosts named. */
        HOSTS
    }

    /**
     * One typed parameter of a version's template.
     *
     * @param defaultValue the value when neither profile nor deployment gives one; null for none
     * @param mandatory    whether a deployment must end up with a value (given or default)
     * @param min          for INTEGER, the smallest value allowed; null for no bound
     * @param max          for INTEGER, the largest value allowed; null for no bound
     * @param pattern      for STRING, a regular expression the whole value must match; null for any
     * @param values       for ENUM, the values allowed
     * @param secret       stored encrypted, delivered only to the targeted hosts, redacted in every read
     */
    public record ParameterTemplate(String name, ParameterType type, String description, String defaultValue,
                                    boolean mandatory, Long min, Long max, String pattern, List<String> values,
                                    boolean secret) {
        public ParameterTemplate {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    /**
     * An artifact of a version in the release service, pinned by digest.
     *
     * @param name       the artifact's name inside the version (a container's name)
     * @param repository the repository in the release service's registry, for example {@code apps/web}
     * @param digest     {@code sha256:} and 64 hex digits: the image manifest (container) or the blob (bundle, KAR)
     */
    public record Artifact(String name, String repository, String digest) {
    }

    /**
     * How a container version runs: the command (null: the image's own) and the published ports
     * ({@code hostPort:containerPort}).
     */
    public record ContainerSpec(List<String> command, List<String> ports) {
        public ContainerSpec {
            command = command == null ? List.of() : List.copyOf(command);
            ports = ports == null ? List.of() : List.copyOf(ports);
        }
    }

    /**
     * What the publisher signs: the version's manifest, as JSON (the detached CMS signature is over those exact
     * bytes). {@code schemaVersion} is 1.
     */
    public record AppManifest(int schemaVersion, String application, String version, RuntimeKind runtime,
                              String description, List<Artifact> artifacts, ContainerSpec container,
                              List<ParameterTemplate> parameters) {
        public AppManifest {
            artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
            parameters = parameters == null ? List.of() : List.copyOf(parameters);
        }
    }

    /** An application of a project, with its versions (newest first). */
    public record Application(String name, String description, Instant createdAt, List<String> versions) {
        public Application {
            versions = versions == null ? List.of() : List.copyOf(versions);
        }
    }

    /** A verified version: what its signed manifest says, who signed it, and when it was published. */
    public record AppVersion(String application, String version, RuntimeKind runtime, String description,
                             List<Artifact> artifacts, ContainerSpec container, List<ParameterTemplate> parameters,
                             String signer, String signerFingerprint, String publishedBy, Instant publishedAt) {
    }

    /**
     * A named set of values for a version's parameters; secrets shown as {@link #REDACTED}.
     */
    public record Profile(String application, String version, String name, String description,
                          Map<String, String> values, Instant createdAt, Instant updatedAt) {
        public Profile {
            values = values == null ? Map.of() : Map.copyOf(values);
        }
    }

    /** What a profile is made of when it is created or replaced. */
    public record ProfileSpec(String name, String description, Map<String, String> values) {
    }

    /**
     * A deployment: a version and an optional profile, overrides of its values, and its target.
     *
     * @param selector  for SELECTOR, the selector as given; null for HOSTS
     * @param hosts     for HOSTS, the hosts named, by name; empty for SELECTOR
     * @param overrides    values that win over the profile's; secrets shown as {@link #REDACTED}
     * @param versionRange the range it follows (auto-upgrade), null when pinned
     * @param packageDeployment the package deployment it is a member of, null when it deploys one application
     * @param packageName       the package of that package deployment, null when none
     * @param packageVersion    the package version it runs as a member, null when none
     */
    public record Deployment(String name, String application, String version, String profile,
                             Map<String, String> overrides, TargetKind targetKind, String selector, List<String> hosts,
                             String createdBy, Instant createdAt, Instant updatedAt, String versionRange,
                             String packageDeployment, String packageName, String packageVersion) {
        public Deployment {
            overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
        }

        /** A deployment of one application version, not part of a package deployment. */
        public Deployment(String name, String application, String version, String profile, Map<String, String> overrides,
                          TargetKind targetKind, String selector, List<String> hosts, String createdBy, Instant createdAt,
                          Instant updatedAt, String versionRange) {
            this(name, application, version, profile, overrides, targetKind, selector, hosts, createdBy, createdAt,
                    updatedAt, versionRange, null, null, null);
        }
    }

    /**
     * One application version of a package version, with the profile it is deployed with (null: defaults only).
     */
    public record PackageEntry(String application, String version, String profile) {
    }

    /** A deployment package of a project: a named set of application versions, versioned (newest first). */
    public record DeploymentPackage(String name, String description, Instant createdAt, List<String> versions) {
        public DeploymentPackage {
            versions = versions == null ? List.of() : List.copyOf(versions);
        }
    }

    /** A version of a deployment package: its entries, one per application, deployed and upgraded together. */
    public record PackageVersion(String packageName, String version, String description, List<PackageEntry> entries,
                                 String createdBy, Instant createdAt) {
        public PackageVersion {
            entries = entries == null ? List.of() : List.copyOf(entries);
        }
    }

    /** What a package version is made of when it is created. */
    public record PackageVersionSpec(String version, String description, List<PackageEntry> entries) {
    }

    /**
     * A package version deployed to a target: one member deployment per entry, named {@code <name>-<application>},
     * created (and later moved to another version of the package) in one transaction.
     */
    public record PackageDeploymentSpec(String name, String version, TargetKind targetKind, String selector,
                                        List<String> hosts) {
    }

    /**
     * What a deployment is made of when it is created or changed.
     *
     * @param versionRange auto-upgrade: an npm-style semantic-version range ({@code ^1.0.0}, {@code ~1.4.0},
     *                     {@code 1.x}, {@code *}); the deployment then runs the newest signed version of its application
     *                     in the range, and moves when a newer one is published ({@code version} may be left out, and
     *                     when given must be in the range). Null: pinned to {@code version} (on update: unchanged;
     *                     an empty string pins it again)
     */
    public record DeploymentSpec(String name, String application, String version, String profile,
                                 Map<String, String> overrides, TargetKind targetKind, String selector,
                                 List<String> hosts, String versionRange) {

        /** A pinned deployment. */
        public DeploymentSpec(String name, String application, String version, String profile,
                              Map<String, String> overrides, TargetKind targetKind, String selector, List<String> hosts) {
            this(name, application, version, profile, overrides, targetKind, selector, hosts, null);
        }
    }

    /** A host a deployment targets now, with the effective metadata it was chosen by. */
    public record TargetHost(String host, Map<String, String> metadata) {
    }

    /** Where a deployment stands over all the hosts it targets. */
    public enum DeploymentState {
        /** It targets no host. */
        NO_TARGETS,
        /** Some targeted hosts do not run its version yet, none failed. */
        DEPLOYING,
        /** Every targeted host runs its version. */
        RUNNING,
        /** Some hosts run it, some failed or are unhealthy. */
        DEGRADED,
        /** No host runs it and some failed. */
        ERROR
    }

    /**
     * One host's state of a deployment, as its app agent reported it last.
     *
     * @param version    the version the state is about; null when the host has not reported the deployment yet
     * @param state      PENDING when the host has not reported it yet (or still reports another version)
     * @param reason     why it is not RUNNING; null when it is
     * @param reportedAt when the host reported it (host clock), null when never
     * @param targeted   false for a host the deployment no longer targets that still reports it (being removed)
     */
    public record HostAppStatus(String host, String version, AppState state, String reason, Instant reportedAt,
                                boolean targeted) {
    }

    /**
     * A deployment's state on every host it targets (and those still removing it), by host name.
     *
     * @param counts targeted hosts per state
     */
    public record DeploymentStatus(String deployment, String application, String version, DeploymentState state,
                                   Map<AppState, Integer> counts, List<HostAppStatus> hosts) {
        public DeploymentStatus {
            counts = counts == null ? Map.of() : Map.copyOf(counts);
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
        }
    }
}
