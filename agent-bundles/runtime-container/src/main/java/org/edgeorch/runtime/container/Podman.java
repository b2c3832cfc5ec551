package org.edgeorch.runtime.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.PluginKind;
import org.edgeorch.spi.apps.AppRuntime;
import org.edgeorch.spi.apps.AppUnit;
import org.edgeorch.spi.apps.UnitStatus;
import org.edgeorch.spi.southbound.AppState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The CONTAINER runtime on Podman's command line. A unit is one container named {@code edge-<deployment>}, made from
 * the version's image pulled by digest ({@code registry/repository@sha256:…}, so Podman checks every byte against the
 * signed manifest's digest), with labels that say which deployment, version and fingerprint it is: {@link #installed()}
 * finds the containers again after a restart of the node by those labels alone. Parameters become environment
 * variables through an env file readable by root only, deleted as soon as the container is created, so no secret is
 * ever on a command line (visible in {@code ps}) or in a log.
 *
 * <p>A new version replaces a running one only once it is healthy: the old container is stopped and kept as
 * {@code edge-<deployment>.previous}, the new one must be running (and healthy, if its image has a health check) for
 * {@code healthSeconds}; otherwise it is removed, the previous one is renamed back and started, and the unit is
 * {@link AppState#ROLLED_BACK} with the reason. The failed fingerprint is not tried again for {@code retryInterval}.
 */
public final class Podman implements AppRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(Podman.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String KIND = "CONTAINER";
    static final String LABEL_DEPLOYMENT = "org.edgeorch.deployment";
    static final String LABEL_VERSION = "org.edgeorch.version";
    static final String LABEL_FINGERPRINT = "org.edgeorch.fingerprint";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern PORT = Pattern.compile("([0-9]{1,5}):([0-9]{1,5})(/tcp|/udp)?");
    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor("podman", "Podman containers", "Edge Orchestrator",
            "0.1.0", PluginKind.APP_RUNTIME);

    /**
     * @param command        the podman executable and the global options this host needs (for example
     *                       {@code --runtime runc --cgroup-manager cgroupfs})
     * @param containersConf a {@code containers.conf} to use (CONTAINERS_CONF), or null for Podman's own
     * @param workDir        a private folder for env files
     * @param stopTimeout    how long a container may take to stop before it is killed
     * @param callTimeout    how long one podman call may take (a pull of a large image included)
     */
    public record Settings(List<String> command, Path containersConf, Path workDir, Duration stopTimeout, Duration callTimeout,
                           Duration healthTime, Duration retryInterval) {
        public Settings {
            command = List.copyOf(command);
        }
    }

    static final String PREVIOUS = ".previous";

    /** A version that failed its health check and was rolled back: its fingerprint, when, and the report to repeat. */
    private record RolledBack(String fingerprint, long atNanos, UnitStatus status) {
    }

    private final Settings settings;
    private final Map<String, RolledBack> rolledBack = new java.util.concurrent.ConcurrentHashMap<>();

    public Podman(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    private volatile Availability availability;
    private volatile long availabilityAt;

    /** Asks podman at most every 30 seconds: the app agent asks on every pass. */
    @Override
    public Availability availability() {
        Availability known = availability;
        if (known != null && System.nanoTime() - availabilityAt < TimeUnit.SECONDS.toNanos(30)) {
            return known;
        }
        availability = probe();
        availabilityAt = System.nanoTime();
        return availability;
    }

    private Availability probe() {
        try {
            Result r = run(List.of("version", "--format", "{{.Client.Version}}"), Duration.ofSeconds(30));
            return r.code() == 0 ? new Availability(true, "podman " + r.out().strip())
                    : new Availability(false, "podman version failed: " + r.brief());
        } catch (PluginException e) {
            return new Availability(false, e.getMessage());
        }
    }

    @Override
    public List<UnitStatus> installed() throws PluginException {
        Result r = run(List.of("ps", "-a", "--filter", "label=" + LABEL_DEPLOYMENT, "--format", "json"), settings.callTimeout());
        if (r.code() != 0) {
            throw new PluginException("podman ps failed: " + r.brief());
        }
        List<UnitStatus> out = new ArrayList<>();
        try {
            JsonNode list = JSON.readTree(r.out().isBlank() ? "[]" : r.out());
            for (JsonNode c : list) {
                JsonNode labels = c.path("Labels");
                String deployment = labels.path(LABEL_DEPLOYMENT).asText(null);
                if (deployment == null || c.path("Names").path(0).asText("").endsWith(PREVIOUS)) {
                    continue;
                }
                String state = c.path("State").asText("");
                boolean running = state.equals("running");
                out.add(new UnitStatus(deployment, labels.path(LABEL_VERSION).asText(null),
                        labels.path(LABEL_FINGERPRINT).asText(null), running ? AppState.RUNNING : AppState.UNHEALTHY,
                        running ? null : "the container is " + state + (c.has("ExitCode") ? " (exit code "
                                + c.path("ExitCode").asInt() + ")" : "")));
            }
        } catch (IOException e) {
            throw new PluginException("podman ps answered what is not JSON");
        }
        return out;
    }

    @Override
    public UnitStatus apply(AppUnit unit) throws PluginException {
        String name = containerName(unit.deployment());
        UnitStatus current = current(unit.deployment());
        if (current == null && exists(name + PREVIOUS)) {
            // stopped mid-swap (a restart of the node): the version that ran before is the one to go on from
            LOG.info("Container {} has no successor; renaming it back", name + PREVIOUS);
            run(List.of("rename", name + PREVIOUS, name), settings.callTimeout());
            current = current(unit.deployment());
        }
        RolledBack back = rolledBack.get(unit.deployment());
        if (back != null && (!back.fingerprint().equals(unit.fingerprint())
                || System.nanoTime() - back.atNanos() > settings.retryInterval().toNanos())) {
            rolledBack.remove(unit.deployment());
            back = null;
        }
        if (back != null && current != null) {
            if (current.state() != AppState.RUNNING) {
                run(List.of("start", name), settings.callTimeout());
            }
            return back.status();
        }
        if (current != null && unit.fingerprint().equals(current.fingerprint())) {
            if (current.state() == AppState.RUNNING) {
                return current;
            }
            LOG.info("Container {} of deployment {} stopped ({}); starting it again", name, unit.deployment(), current.reason());
            Result start = run(List.of("start", name), settings.callTimeout());
            if (start.code() != 0) {
                return failed(unit, "the container stopped (" + current.reason() + ") and cannot be started: " + start.brief());
            }
            return state(unit, "it stopped (" + current.reason() + ") and was started again");
        }
        String problem = check(unit);
        if (problem != null) {
            return failed(unit, problem);
        }
        AppUnit.Artifact image = unit.artifacts().get(0);
        Registry registry = registry(unit.registry());
        if (registry == null) {
            return failed(unit, "the orchestrator names no registry to pull " + image.repository() + " from");
        }
        String reference = registry.host() + "/" + image.repository() + "@" + image.digest();
        LOG.info("Pulling {} for deployment {} ({})", reference, unit.deployment(), unit.version());
        List<String> pull = new ArrayList<>(List.of("pull", "--quiet"));
        if (!registry.tls()) {
            pull.add("--tls-verify=false");
        }
        pull.add(reference);
        Result pulled = run(pull, settings.callTimeout());
        if (pulled.code() != 0) {
            return failed(unit, "cannot pull " + reference + ": " + pulled.brief());
        }
        String previous = name + PREVIOUS;
        if (current != null) {
            LOG.info("Replacing container {} ({} → {}); keeping the old one until the new one is healthy", name,
                    current.version(), unit.version());
            run(List.of("rm", "-f", previous), settings.callTimeout());
            Result stop = run(List.of("stop", "-t", Long.toString(settings.stopTimeout().toSeconds()), name), settings.callTimeout());
            Result renamed = stop.code() == 0 ? run(List.of("rename", name, previous), settings.callTimeout()) : stop;
            if (renamed.code() != 0) {
                LOG.warn("Cannot keep container {} for a rollback ({}); replacing it", name, renamed.brief());
                remove(unit.deployment());
                current = null;
            }
        }
        Path env = null;
        try {
            env = envFile(unit);
            List<String> create = new ArrayList<>(List.of("run", "-d", "--name", name,
                    "--label", LABEL_DEPLOYMENT + "=" + unit.deployment(),
                    "--label", LABEL_VERSION + "=" + unit.version(),
                    "--label", LABEL_FINGERPRINT + "=" + unit.fingerprint(),
                    "--env-file", env.toString()));
            for (String port : unit.ports()) {
                create.add("-p");
                create.add(port);
            }
            create.add(reference);
            create.addAll(unit.command());
            LOG.info("Starting container {} for deployment {} ({}, {} parameter(s))", name, unit.deployment(), unit.version(),
                    unit.values().size());
            Result started = run(create, settings.callTimeout());
            if (started.code() != 0) {
                run(List.of("rm", "-f", name), settings.callTimeout());
                return rollBack(unit, current, "podman run failed: " + started.brief(),
                        failed(unit, "podman run failed: " + started.brief()));
            }
        } catch (IOException e) {
            return failed(unit, "cannot write the container's environment: " + e.getMessage());
        } finally {
            if (env != null) {
                try {
                    Files.deleteIfExists(env);
                } catch (IOException e) {
                    LOG.warn("Cannot delete the env file {}: {}", env, e.toString());
                }
            }
        }
        String unhealthy = awaitHealthy(name);
        if (unhealthy != null && current != null) {
            run(List.of("rm", "-f", "-t", "0", name), settings.callTimeout());
            return rollBack(unit, current, unhealthy, null); // current is not null here
        }
        if (unhealthy != null) {
            // nothing ran before: the container stays, and the next pass starts it again (level-triggered)
            return new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.UNHEALTHY, unhealthy);
        }
        if (current != null) {
            run(List.of("rm", "-f", "-t", "0", previous), settings.callTimeout());
        }
        return state(unit, null);
    }

    /**
     * Watches a container that was just started for {@code healthTime}: null when it ran all along (and its health
     * check, if the image has one, says healthy at the end), else why not.
     */
    private String awaitHealthy(String name) throws PluginException {
        long deadline = System.nanoTime() + settings.healthTime().toNanos();
        while (true) {
            Result r = run(List.of("inspect", "--type", "container", "--format", "json", name), settings.callTimeout());
            if (r.code() != 0) {
                return "the container vanished after it was started: " + r.brief();
            }
            JsonNode state;
            try {
                state = JSON.readTree(r.out()).path(0).path("State");
            } catch (IOException e) {
                throw new PluginException("podman inspect answered what is not JSON");
            }
            String status = state.path("Status").asText("");
            String health = state.path("Health").path("Status").asText("");
            if (!status.equals("running")) {
                return "the container is " + status + " (exit code " + state.path("ExitCode").asInt() + ") within "
                        + settings.healthTime().toSeconds() + " s of its start";
            }
            if (health.equals("unhealthy")) {
                return "the container's health check says unhealthy";
            }
            if (System.nanoTime() >= deadline) {
                return health.equals("starting") ? "the container's health check did not pass within "
                        + settings.healthTime().toSeconds() + " s" : null;
            }
            try {
                Thread.sleep(Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PluginException("interrupted", e);
            }
        }
    }

    /**
     * The new version of a unit failed: with a version that ran before, that one is started again and the unit is
     * ROLLED_BACK (not retried for {@code retryInterval}); without one, {@code otherwise} is the answer.
     */
    private UnitStatus rollBack(AppUnit unit, UnitStatus previous, String reason, UnitStatus otherwise) throws PluginException {
        String name = containerName(unit.deployment());
        if (previous == null) {
            return otherwise;
        }
        LOG.warn("Version {} of deployment {} failed ({}); rolling back to {}", unit.version(), unit.deployment(), reason,
                previous.version());
        Result renamed = run(List.of("rename", name + PREVIOUS, name), settings.callTimeout());
        Result started = renamed.code() == 0 ? run(List.of("start", name), settings.callTimeout()) : renamed;
        String back = started.code() == 0 ? "rolled back to " + previous.version()
                : "rolling back to " + previous.version() + " failed too: " + started.brief();
        UnitStatus status = new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.ROLLED_BACK,
                reason + "; " + back);
        rolledBack.put(unit.deployment(), new RolledBack(unit.fingerprint(), System.nanoTime(), status));
        return status;
    }

    private UnitStatus current(String deployment) throws PluginException {
        return installed().stream().filter(u -> u.deployment().equals(deployment)).findFirst().orElse(null);
    }

    private boolean exists(String container) throws PluginException {
        return run(List.of("container", "exists", container), settings.callTimeout()).code() == 0;
    }

    /** The container's state right after it was (re)started. */
    private UnitStatus state(AppUnit unit, String note) throws PluginException {
        UnitStatus now = installed().stream().filter(u -> u.deployment().equals(unit.deployment())).findFirst()
                .orElse(null);
        if (now == null) {
            return failed(unit, "the container vanished right after it was started");
        }
        if (now.state() != AppState.RUNNING) {
            return new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.UNHEALTHY, now.reason());
        }
        return new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.RUNNING, note);
    }

    @Override
    public void remove(String deployment) throws PluginException {
        String name = containerName(deployment);
        rolledBack.remove(deployment);
        run(List.of("rm", "-f", "-t", "0", name + PREVIOUS), settings.callTimeout());
        Result r = run(List.of("rm", "-f", "-t", Long.toString(settings.stopTimeout().toSeconds()), name), settings.callTimeout());
        if (r.code() != 0 && !r.err().contains("no such container")) {
            throw new PluginException("podman rm " + name + " failed: " + r.brief());
        }
    }

    static String containerName(String deployment) {
        return "edge-" + deployment;
    }

    /** What makes a unit impossible to run as a container; null when it can be. */
    private static String check(AppUnit unit) {
        if (unit.artifacts().size() != 1) {
            return "a CONTAINER version runs one image here; this one has " + unit.artifacts().size() + " artifacts";
        }
        for (String port : unit.ports()) {
            if (!PORT.matcher(port).matches()) {
                return "port '" + port + "' is not hostPort:containerPort";
            }
        }
        for (Map.Entry<String, String> e : unit.values().entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                return "parameter '" + e.getKey() + "' cannot be an environment variable name";
            }
            if (e.getValue().indexOf('\n') >= 0 || e.getValue().indexOf('\r') >= 0 || e.getValue().indexOf('\0') >= 0) {
                return "the value of parameter " + e.getKey() + " has a line break; containers get parameters as"
                        + " environment variables, one a line";
            }
        }
        return null;
    }

    private Path envFile(AppUnit unit) throws IOException {
        Files.createDirectories(settings.workDir());
        Path file = Files.createTempFile(settings.workDir(), "env-", ".list",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder b = new StringBuilder();
        unit.values().forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, b, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }

    private static UnitStatus failed(AppUnit unit, String reason) {
        return new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.FAILED, reason);
    }

    /** A registry's {@code host:port} for image references, and whether it speaks TLS. */
    record Registry(String host, boolean tls) {
    }

    static Registry registry(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String u = url.strip();
        boolean tls = !u.startsWith("http://");
        u = u.replaceFirst("^https?://", "");
        int slash = u.indexOf('/');
        return new Registry(slash < 0 ? u : u.substring(0, slash), tls);
    }

    record Result(int code, String out, String err) {
        /** The first lines of stderr (or stdout), enough to say what went wrong. */
        String brief() {
            String text = err.isBlank() ? out : err;
            text = text.strip().replaceAll("\\s+", " ");
            return text.length() > 300 ? text.substring(0, 300) + "…" : (text.isEmpty() ? "exit code " + code : text);
        }
    }

    private Result run(List<String> args, Duration timeout) throws PluginException {
        List<String> command = new ArrayList<>(settings.command());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        if (settings.containersConf() != null) {
            env.put("CONTAINERS_CONF", settings.containersConf().toString());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new PluginException("podman cannot be run (" + settings.command().get(0) + "): " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new PluginException("podman " + args.get(0) + " took longer than " + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new PluginException("interrupted", e);
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new PluginException("podman " + args.get(0) + ": " + e.getMessage(), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
