package org.edgeorch.agent.apps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.edgeorch.agent.AppHandler;
import org.edgeorch.agent.UpdateHandler;
import org.edgeorch.agent.update.ReleaseVerifier;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.apps.AppRuntime;
import org.edgeorch.spi.apps.AppUnit;
import org.edgeorch.spi.apps.UnitStatus;
import org.edgeorch.spi.southbound.AppReport;
import org.edgeorch.spi.southbound.AppState;
import org.edgeorch.spi.southbound.DesiredApp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Converges the host to the applications of its desired state, level-triggered: after every sync (and every
 * {@code resync} on its own, so a crashed unit is started again and a failed one retried) each desired deployment is
 * verified and handed to the runtime of its kind, and whatever a runtime holds that is no longer desired is removed.
 * Nothing is removed before the first desired state arrives, so a restarted node keeps running what it ran.
 *
 * <p>A version is installed only when its manifest's detached CMS signature verifies against the node's own release
 * trust store (the orchestrator checked it too; the node trusts no one's word for it), and only what the signed
 * manifest says is used: runtime kind, artifacts pinned by digest, command and ports. Parameter values come from the
 * desired state; secret ones are never logged and never put into a reason.
 */
public final class AppAgent implements AppHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AppAgent.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*){0,7}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final int MAX_REASON = 500;

    private final ReleaseVerifier verifier;
    private final Supplier<List<AppRuntime>> runtimes;
    private final Duration resync;
    private final Clock clock;
    private final ScheduledExecutorService worker;
    private final Map<String, AppReport> states = new ConcurrentHashMap<>();
    /** Verified manifests, by digest of manifest and signature: a version is checked once, not on every pass. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private volatile List<DesiredApp> desired;
    private volatile UpdateHandler.Link link;
    private volatile boolean closed;

    /** A manifest that verified, with what the node takes from it. */
    private record Verified(String runtime, String application, String version, List<AppUnit.Artifact> artifacts,
                            List<String> command, List<String> ports, String signer) {
    }

    /**
     * @param verifier the node's release trust; null: no trust file, so nothing is installed (every deployment FAILED)
     * @param runtimes the runtimes present now (by ranking), asked on every pass
     * @param resync   how often to converge without news from the orchestrator
     */
    public AppAgent(ReleaseVerifier verifier, Supplier<List<AppRuntime>> runtimes, Duration resync, Clock clock) {
        this.verifier = verifier;
        this.runtimes = runtimes;
        this.resync = resync;
        this.clock = clock;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeorch-apps");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the periodic pass. */
    public void start() {
        worker.scheduleWithFixedDelay(this::convergeQuietly, resync.toMillis(), resync.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void attach(UpdateHandler.Link agent) {
        this.link = agent;
    }

    @Override
    public List<AppReport> current() {
        List<AppReport> out = new ArrayList<>(states.values());
        out.sort(Comparator.comparing(AppReport::deployment));
        return out;
    }

    @Override
    public void desired(List<DesiredApp> apps) {
        List<DesiredApp> next = apps == null ? List.of() : List.copyOf(apps);
        boolean changed = !next.equals(desired);
        desired = next;
        if (changed) {
            poke();
        }
    }

    /** Converges soon (a runtime came or went, or the desired apps changed). */
    public void poke() {
        if (!closed) {
            worker.execute(this::convergeQuietly);
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
    }

    /** What {@code edge:app-status} shows of the runtimes: kind, id and availability. */
    public List<String[]> runtimeSummary() {
        List<String[]> out = new ArrayList<>();
        for (AppRuntime r : runtimes.get()) {
            AppRuntime.Availability a = r.availability();
            out.add(new String[] {r.kind(), r.descriptor().id(), a.available() ? "available" : "unavailable", a.detail()});
        }
        return out;
    }

    /** The desired apps last received, or null before the first desired state. */
    public List<DesiredApp> desiredApps() {
        return desired;
    }

    private void convergeQuietly() {
        try {
            converge();
        } catch (RuntimeException e) {
            LOG.warn("Converging the applications failed; retrying in {} s: {}", resync.toSeconds(), e.toString());
        }
    }

    /** One pass (on the worker thread; tests call it directly). */
    synchronized void converge() {
        List<DesiredApp> want = desired;
        if (want == null || closed) {
            return;
        }
        boolean news = false;
        Map<String, AppRuntime> byKind = new LinkedHashMap<>();
        for (AppRuntime r : runtimes.get()) {
            byKind.putIfAbsent(r.kind(), r);
        }
        Map<String, String> wantedKind = new HashMap<>();
        for (DesiredApp app : want) {
            news |= apply(app, byKind, wantedKind);
        }
        // Remove what a runtime holds that is not desired of it (another deployment, or one moved to another kind).
        Set<String> held = new HashSet<>();
        for (AppRuntime r : byKind.values()) {
            if (!r.availability().available()) {
                continue;
            }
            List<UnitStatus> installed;
            try {
                installed = r.installed();
            } catch (PluginException e) {
                LOG.warn("Runtime {} cannot list its units: {}", r.descriptor().id(), e.getMessage());
                continue;
            }
            for (UnitStatus u : installed) {
                if (r.kind().equals(wantedKind.get(u.deployment()))) {
                    continue;
                }
                held.add(u.deployment());
                news |= set(u.deployment(), u.version(), AppState.REMOVING, "no longer desired on this host");
                try {
                    LOG.info("Removing deployment {} ({} {}) from runtime {}", u.deployment(), u.version(), r.kind(),
                            r.descriptor().id());
                    r.remove(u.deployment());
                    held.remove(u.deployment());
                } catch (PluginException e) {
                    news |= set(u.deployment(), u.version(), AppState.REMOVING, "cannot remove yet: " + e.getMessage());
                }
            }
        }
        for (String d : List.copyOf(states.keySet())) {
            if (!wantedKind.containsKey(d) && !held.contains(d) && want.stream().noneMatch(a -> a.deployment().equals(d))) {
                states.remove(d);
                news = true;
            }
        }
        if (news) {
            UpdateHandler.Link l = link;
            if (l != null) {
                l.syncSoon();
            }
        }
    }

    /** Verifies and applies one desired app; returns whether its state changed. */
    private boolean apply(DesiredApp app, Map<String, AppRuntime> byKind, Map<String, String> wantedKind) {
        Verified v;
        try {
            v = verify(app);
        } catch (RefusedVersion e) {
            return set(app.deployment(), app.version(), AppState.FAILED, e.getMessage());
        }
        AppRuntime runtime = byKind.get(v.runtime());
        if (runtime == null) {
            return set(app.deployment(), app.version(), AppState.PENDING, "no " + v.runtime() + " runtime on this node");
        }
        wantedKind.put(app.deployment(), v.runtime());
        AppRuntime.Availability availability = runtime.availability();
        if (!availability.available()) {
            return set(app.deployment(), app.version(), AppState.PENDING, "the " + v.runtime() + " runtime cannot run here: "
                    + availability.detail());
        }
        AppUnit unit = new AppUnit(app.deployment(), v.application(), v.version(), app.registry(), v.artifacts(), v.command(),
                v.ports(), app.values(), Set.copyOf(app.secrets()), fingerprint(app));
        AppReport before = states.get(app.deployment());
        boolean news = false;
        boolean settled = before != null && (before.state() == AppState.RUNNING || before.state() == AppState.ROLLED_BACK);
        if (!settled || !Objects.equals(before.version(), app.version())) {
            news = set(app.deployment(), app.version(), AppState.INSTALLING, null);
        }
        try {
            UnitStatus status = runtime.apply(unit);
            return set(app.deployment(), app.version(), status.state(), status.reason()) || news;
        } catch (PluginException | RuntimeException e) {
            return set(app.deployment(), app.version(), AppState.FAILED, runtime.kind() + " runtime: " + e.getMessage()) || news;
        }
    }

    private static final class RefusedVersion extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedVersion(String message) {
            super(message);
        }
    }

    private Verified verify(DesiredApp app) throws RefusedVersion {
        String key = sha256(app.manifest() + "\n" + app.signature());
        Verified known = verified.get(key);
        if (known != null) {
            return known;
        }
        if (verifier == null) {
            throw new RefusedVersion("this node has no release trust file; it installs no application");
        }
        if (app.manifest() == null || app.signature() == null || app.signature().isBlank()) {
            throw new RefusedVersion("version " + app.version() + " is not signed; not installed");
        }
        byte[] cms;
        try {
            cms = Base64.getMimeDecoder().decode(app.signature());
        } catch (IllegalArgumentException e) {
            throw new RefusedVersion("the signature of version " + app.version() + " is not base64; not installed");
        }
        ReleaseVerifier.Verified signer;
        try {
            signer = verifier.verify(app.manifest().getBytes(StandardCharsets.UTF_8), cms, clock.instant());
        } catch (ReleaseVerifier.VerificationException e) {
            throw new RefusedVersion("signature of version " + app.version() + " refused (" + e.failure() + "): "
                    + e.getMessage() + "; not installed");
        }
        Verified v = read(app, signer.signer().getSubjectX500Principal().getName());
        LOG.info("Version {} of {} verified (signed by {})", v.version(), v.application(), v.signer());
        if (verified.size() > 256) {
            verified.clear();
        }
        verified.put(key, v);
        return v;
    }

    /** What the node takes from the signed manifest, checked again here: the node does not rely on the orchestrator. */
    private static Verified read(DesiredApp app, String signer) throws RefusedVersion {
        JsonNode m;
        try {
            m = JSON.readTree(app.manifest());
        } catch (java.io.IOException e) {
            throw new RefusedVersion("the signed manifest of version " + app.version() + " is not JSON");
        }
        String runtime = m.path("runtime").asText("");
        String application = m.path("application").asText("");
        String version = m.path("version").asText("");
        if (!application.equals(app.application()) || !version.equals(app.version())) {
            throw new RefusedVersion("the signed manifest is " + application + " " + version + ", not " + app.application()
                    + " " + app.version() + "; not installed");
        }
        if (!runtime.matches("[A-Z]{1,16}")) {
            throw new RefusedVersion("the signed manifest names no runtime");
        }
        List<AppUnit.Artifact> artifacts = new ArrayList<>();
        for (JsonNode a : m.path("artifacts")) {
            String name = a.path("name").asText("");
            String repository = a.path("repository").asText("");
            String digest = a.path("digest").asText("");
            if (!NAME.matcher(name).matches() || !REPOSITORY.matcher(repository).matches() || !DIGEST.matcher(digest).matches()) {
                throw new RefusedVersion("an artifact of the signed manifest is not pinned by digest in a repository");
            }
            artifacts.add(new AppUnit.Artifact(name, repository, digest));
        }
        if (artifacts.isEmpty()) {
            throw new RefusedVersion("the signed manifest has no artifact");
        }
        List<String> command = new ArrayList<>();
        m.path("container").path("command").forEach(c -> command.add(c.asText()));
        List<String> ports = new ArrayList<>();
        m.path("container").path("ports").forEach(p -> ports.add(p.asText()));
        return new Verified(runtime, application, version, artifacts, command, ports, signer);
    }

    /** Changes of the manifest, signature or any value change the fingerprint; the values themselves stay hidden in it. */
    private static String fingerprint(DesiredApp app) {
        StringBuilder b = new StringBuilder(app.manifest()).append('\n').append(app.signature()).append('\n')
                .append(app.registry());
        new TreeMap<>(app.values()).forEach((k, v) -> b.append('\n').append(k).append('=').append(v));
        return sha256(b.toString()).substring(0, 32);
    }

    private boolean set(String deployment, String version, AppState state, String reason) {
        String r = reason == null || reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON);
        AppReport before = states.get(deployment);
        if (before != null && before.state() == state && Objects.equals(before.version(), version)
                && Objects.equals(before.reason(), r)) {
            return false;
        }
        if (state == AppState.FAILED || state == AppState.UNHEALTHY || state == AppState.ROLLED_BACK) {
            LOG.warn("Deployment {} ({}) is {}: {}", deployment, version, state, r);
        } else if (state == AppState.RUNNING) {
            LOG.info("Deployment {} ({}) is RUNNING", deployment, version);
        }
        states.put(deployment, new AppReport(deployment, version, state, r, clock.millis()));
        return true;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
