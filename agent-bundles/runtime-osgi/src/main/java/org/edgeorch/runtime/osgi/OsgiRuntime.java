package org.edgeorch.runtime.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.edgeorch.oci.BundleArtifact;
import org.edgeorch.oci.OciClient;
import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.PluginKind;
import org.edgeorch.spi.apps.AppRuntime;
import org.edgeorch.spi.apps.AppUnit;
import org.edgeorch.spi.apps.UnitStatus;
import org.edgeorch.spi.southbound.AppState;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OSGI runtime: a unit's artifacts are OCI artifacts whose layers are bundles, installed into the node's own
 * framework (the Karaf the agent runs in) and started. Every bundle's location is
 * {@code edgeorch-app:<deployment>/<application>/<version>/<fingerprint>/<n>}: {@link #installed()} finds them again after a restart
 * from the framework alone. The parameters become the configuration of PID {@code edgeorch.app.<application>}
 * (ConfigAdmin), written before the bundles start.
 *
 * <p>Why the node's own framework and not a child one: a child framework would double the node's framework footprint
 * and give the app neither the node's ConfigAdmin, logging nor shell; the signature check on the node (the app agent's)
 * and the digest check here are what stand between the registry and the JVM, as they would be for a child framework
 * in the same JVM.
 *
 * <p>A new version is installed next to the running one, which is stopped (not uninstalled) first; when a new bundle
 * does not install, resolve or start, the new ones are uninstalled, the previous ones started again and the unit is
 * {@link AppState#ROLLED_BACK} with the reason, not tried again for {@code retryInterval}. Nothing happens before a
 * deployment needs this runtime: no thread, no file.
 */
public final class OsgiRuntime implements AppRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(OsgiRuntime.class);
    public static final String KIND = "OSGI";
    static final String LOCATION = "edgeorch-app:";
    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor("osgi", "Bundles in the node's own framework",
            "Edge Orchestrator", "0.1.0", PluginKind.APP_RUNTIME);

    private final BundleContext context;
    private final ConfigurationAdmin configuration;
    private final Path store;
    private final Duration callTimeout;
    /** One registry client per registry, made on the first fetch: a node with no OSGI app starts no HTTP client. */
    private final Map<String, OciClient> registries = new ConcurrentHashMap<>();
    private final Duration retryInterval;
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    private record Failure(String fingerprint, long atNanos, UnitStatus status) {
    }

    /** The bundles of one installed version of a deployment. */
    private record Group(String deployment, String application, String version, String fingerprint, List<Bundle> bundles) {
        boolean active() {
            return bundles.stream().allMatch(OsgiRuntime::active);
        }
    }

    /**
     * @param configuration ConfigAdmin for the parameters, or null to give the bundles none
     * @param store         where fetched bundles are kept by digest
     */
    public OsgiRuntime(BundleContext context, ConfigurationAdmin configuration, Path store, Duration callTimeout,
                       Duration retryInterval) {
        this.context = context;
        this.configuration = configuration;
        this.store = store;
        this.callTimeout = callTimeout;
        this.retryInterval = retryInterval;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Availability availability() {
        return new Availability(true, "framework " + context.getBundle(0).getSymbolicName() + " "
                + context.getBundle(0).getVersion());
    }

    @Override
    public List<UnitStatus> installed() {
        List<UnitStatus> out = new ArrayList<>();
        for (Map<String, Group> groups : groups().values()) {
            Group g = pick(groups);
            out.add(status(g, g.version(), null));
        }
        return out;
    }

    @Override
    public synchronized UnitStatus apply(AppUnit unit) throws PluginException {
        Map<String, Group> groups = groups().getOrDefault(unit.deployment(), Map.of());
        Failure failed = failures.get(unit.deployment());
        if (failed != null && (!failed.fingerprint().equals(unit.fingerprint())
                || System.nanoTime() - failed.atNanos() > retryInterval.toNanos())) {
            failures.remove(unit.deployment());
            failed = null;
        }
        if (failed != null) {
            groups.values().forEach(g -> start(g.bundles()));
            return failed.status();
        }
        Group current = groups.get(unit.fingerprint());
        if (current != null) {
            String problem = start(current.bundles());
            for (Group other : groups.values()) {
                if (other != current) {
                    uninstall(other.bundles());
                }
            }
            return problem == null ? status(current, unit.version(), null)
                    : new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.UNHEALTHY, problem);
        }
        String problem = check(unit);
        if (problem != null) {
            return fail(unit, null, problem);
        }
        List<Path> files = new ArrayList<>();
        try {
            for (AppUnit.Artifact a : unit.artifacts()) {
                LOG.info("Fetching {}@{} for deployment {} ({})", a.repository(), a.digest(), unit.deployment(), unit.version());
                files.addAll(BundleArtifact.fetch(registry(unit.registry()), a.repository(), a.digest(), store));
            }
        } catch (IOException | RuntimeException e) {
            return new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.FAILED,
                    "cannot fetch the bundles: " + e.getMessage());
        }
        Group previous = groups.isEmpty() ? null : pick(groups);
        if (previous != null) {
            LOG.info("Stopping deployment {} {} for {}; kept until the new version runs", unit.deployment(),
                    previous.version(), unit.version());
            stop(previous.bundles());
        }
        configure(unit);
        List<Bundle> installed = new ArrayList<>();
        String failure = null;
        try {
            int n = 0;
            for (Path file : files) {
                String location = LOCATION + unit.deployment() + "/" + unit.application() + "/" + unit.version() + "/"
                        + unit.fingerprint() + "/" + n++;
                try (InputStream in = Files.newInputStream(file)) {
                    Bundle b = context.installBundle(location, in);
                    installed.add(b);
                    LOG.info("Installed bundle {} {} for deployment {}", b.getSymbolicName(), b.getVersion(), unit.deployment());
                }
            }
            failure = start(installed);
        } catch (BundleException | IOException e) {
            failure = "a bundle does not install: " + e.getMessage();
        }
        if (failure == null) {
            for (Group other : groups.values()) {
                uninstall(other.bundles());
            }
            return new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.RUNNING, null);
        }
        uninstall(installed);
        return fail(unit, previous, failure);
    }

    /** The new version failed: the previous one (if any) runs again; not retried for {@code retryInterval}. */
    private UnitStatus fail(AppUnit unit, Group previous, String reason) {
        UnitStatus status;
        if (previous == null) {
            status = new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.FAILED, reason);
        } else {
            LOG.warn("Version {} of deployment {} failed ({}); rolling back to {}", unit.version(), unit.deployment(), reason,
                    previous.version());
            String again = start(previous.bundles());
            status = new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.ROLLED_BACK, reason + "; "
                    + (again == null ? "rolled back to " + previous.version()
                    : "rolling back to " + previous.version() + " failed too: " + again));
        }
        failures.put(unit.deployment(), new Failure(unit.fingerprint(), System.nanoTime(), status));
        return status;
    }

    @Override
    public synchronized void remove(String deployment) throws PluginException {
        failures.remove(deployment);
        Map<String, Group> groups = groups().getOrDefault(deployment, Map.of());
        for (Group g : groups.values()) {
            LOG.info("Uninstalling deployment {} ({})", deployment, g.version());
            uninstall(g.bundles());
            if (configuration != null) {
                try {
                    Configuration[] c = configuration.listConfigurations("(service.pid=" + pid(g.application()) + ")");
                    if (c != null) {
                        for (Configuration one : c) {
                            one.delete();
                        }
                    }
                } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
                    throw new PluginException("cannot delete the configuration of " + pid(g.application()) + ": "
                            + e.getMessage(), e);
                }
            }
        }
    }

    private OciClient registry(String url) {
        return registries.computeIfAbsent(url.strip(), u -> new OciClient(URI.create(u), null, Duration.ofSeconds(10), callTimeout));
    }

    /** Closes the registry clients. */
    public void close() {
        registries.values().forEach(OciClient::close);
        registries.clear();
    }

    /** What makes a unit impossible to run here; null when it can be. */
    private static String check(AppUnit unit) {
        if (unit.registry() == null || unit.registry().isBlank()) {
            return "the orchestrator names no registry to fetch the bundles from";
        }
        if (!unit.command().isEmpty() || !unit.ports().isEmpty()) {
            return "an OSGI version has no command and no ports";
        }
        return null;
    }

    /** The parameters as the configuration of the application's PID; values are never logged. */
    private void configure(AppUnit unit) throws PluginException {
        if (configuration == null) {
            return;
        }
        try {
            Configuration c = configuration.getConfiguration(pid(unit.application()), "?");
            Hashtable<String, Object> props = new Hashtable<>(unit.values());
            props.put("edgeorch.deployment", unit.deployment());
            props.put("edgeorch.version", unit.version());
            c.update(props);
        } catch (IOException e) {
            throw new PluginException("cannot write the configuration of " + pid(unit.application()) + ": " + e.getMessage(), e);
        }
    }

    static String pid(String application) {
        return "edgeorch.app." + application;
    }

    /** Installed app bundles: deployment → fingerprint → group, in installation order. */
    private Map<String, Map<String, Group>> groups() {
        Map<String, Map<String, Group>> out = new LinkedHashMap<>();
        for (Bundle b : context.getBundles()) {
            String location = b.getLocation();
            if (!location.startsWith(LOCATION)) {
                continue;
            }
            String[] p = location.substring(LOCATION.length()).split("/");
            if (p.length != 5) {
                continue;
            }
            out.computeIfAbsent(p[0], d -> new LinkedHashMap<>())
                    .computeIfAbsent(p[3], f -> new Group(p[0], p[1], p[2], p[3], new ArrayList<>())).bundles().add(b);
        }
        return out;
    }

    /** Of several installed versions (a swap cut short), the one that runs, else the last installed. */
    private static Group pick(Map<String, Group> groups) {
        Group last = null;
        for (Group g : groups.values()) {
            if (g.active()) {
                return g;
            }
            last = g;
        }
        return last;
    }

    private static UnitStatus status(Group g, String version, String note) {
        if (g.active()) {
            return new UnitStatus(g.deployment(), version, g.fingerprint(), AppState.RUNNING, note);
        }
        List<String> idle = g.bundles().stream().filter(b -> !active(b)).map(b -> b.getSymbolicName() + " " + state(b)).toList();
        return new UnitStatus(g.deployment(), version, g.fingerprint(), AppState.UNHEALTHY, "not active: " + String.join(", ", idle));
    }

    static boolean active(Bundle b) {
        boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
        return fragment ? (b.getState() & (Bundle.RESOLVED | Bundle.ACTIVE)) != 0 : b.getState() == Bundle.ACTIVE;
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.INSTALLED -> "INSTALLED (unresolved)";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }

    /** Starts the bundles that are not fragments; null when all are active, else why not. */
    private static String start(List<Bundle> bundles) {
        for (Bundle b : bundles) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null || b.getState() == Bundle.ACTIVE) {
                continue;
            }
            try {
                b.start();
            } catch (BundleException | IllegalStateException e) {
                return "bundle " + b.getSymbolicName() + " " + b.getVersion() + " does not start: " + e.getMessage();
            }
        }
        for (Bundle b : bundles) {
            if (!active(b)) {
                return "bundle " + b.getSymbolicName() + " is " + state(b) + " after its start";
            }
        }
        return null;
    }

    private static void stop(List<Bundle> bundles) {
        for (Bundle b : bundles) {
            try {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.stop();
                }
            } catch (BundleException | IllegalStateException e) {
                LOG.warn("Cannot stop bundle {}: {}", b.getSymbolicName(), e.getMessage());
            }
        }
    }

    private static void uninstall(List<Bundle> bundles) {
        for (Bundle b : bundles) {
            try {
                b.uninstall();
            } catch (BundleException | IllegalStateException e) {
                LOG.warn("Cannot uninstall bundle {}: {}", b.getSymbolicName(), e.getMessage());
            }
        }
    }
}
