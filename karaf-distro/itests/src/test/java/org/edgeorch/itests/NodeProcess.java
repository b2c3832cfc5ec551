package org.edgeorch.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node distribution as its own process ({@code bin/karaf server}): a host whose power can be cut
 * ({@code kill -9} of the tree, or the runtime halting itself at a fault-injection point) and switched on again.
 * {@code bin/karaf} restarts the JVM when the boot emulator reboots (exit code 10), as a host would come back.
 */
final class NodeProcess implements AutoCloseable {

    final Path home;
    private Process process;

    /** Unpacks the node distribution into {@code home} and appends the settings (file under etc/ → properties). */
    NodeProcess(Path home, Map<String, Map<String, String>> settings) throws IOException, InterruptedException {
        this.home = home;
        Files.createDirectories(home);
        Process tar = new ProcessBuilder("tar", "xzf", System.getProperty("edge.node.distribution"), "-C", home.toString(),
                "--strip-components=1").inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IOException("cannot unpack the node into " + home);
        }
        for (Map.Entry<String, Map<String, String>> e : settings.entrySet()) {
            StringBuilder b = new StringBuilder("\n");
            e.getValue().forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
            Files.writeString(home.resolve("etc").resolve(e.getKey()), b.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /**
     * A host with simulated hardware that enrols into {@code project} of a running orchestrator with a fresh token
     * (into {@code site}, when not null), trusting its southbound CA by fingerprint and {@code signerPem} for releases
     * (when not null); not started yet. {@code agent} adds options to {@code org.edgeorch.agent.cfg}, {@code settings}
     * other files under etc/.
     */
    static NodeProcess enrolling(Path home, OrchestratorProcess orchestrator, int southbound, String project, String site,
                                 int seed, String signerPem, Map<String, String> agent, Map<String, Map<String, String>> settings)
            throws Exception {
        String token = OrchestratorProcess.JSON.writeValueAsString(site == null ? Map.of("name", "t", "validity", "PT1H")
                : Map.of("name", "t", "site", site, "validity", "PT1H"));
        String secret = orchestrator.json("POST", "/api/v1/projects/" + project + "/enrolment-tokens", token).get("secret").asText();
        String fingerprint = orchestrator.json("GET", "/api/v1/southbound/ca", null).get("sha256Fingerprint").asText();
        Map<String, String> agentSettings = new java.util.LinkedHashMap<>(Map.of("orchestratorUrl", "https://localhost:"
                + southbound, "enrolmentToken", secret, "caFingerprint", fingerprint, "maxBackoffSeconds", "2",
                "hardwarePlugin", "simulated"));
        agentSettings.putAll(agent);
        Map<String, Map<String, String>> all = new java.util.LinkedHashMap<>();
        all.put("org.edgeorch.agent.cfg", agentSettings);
        all.put("org.edgeorch.plugin.simulated.cfg", Map.of("seed", Integer.toString(seed)));
        all.putAll(settings);
        NodeProcess node = new NodeProcess(home, all);
        if (signerPem != null) {
            Files.writeString(node.home.resolve("etc/edgeorch-release-trust.pem"), signerPem);
        }
        // This machine has no DMI serial or UUID for the Linux plugin: the host reports simulated hardware.
        Files.copy(Path.of(System.getProperty("edge.simulated.jar")), Files.createDirectories(node.home.resolve("deploy"))
                .resolve("simulated.jar"));
        return node;
    }

    /** Switches the host on. */
    void start() throws IOException {
        process = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()))
                .start();
    }

    /** Whether the runtime (bin/karaf and its JVM) is still there. */
    boolean running() {
        return process != null && process.isAlive();
    }

    /** Waits for the runtime to stop by itself (a halt at a fault point); returns its exit code. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the node did not stop within " + seconds + " s; see " + home.resolve("console.log"));
        }
        return process.exitValue();
    }

    /**
     * Freezes the host ({@code SIGSTOP} to its whole tree): it says nothing more, holds its connections, and keeps its
     * state, as a hung machine or a cut link would; {@link #resume()} lets it go on where it was.
     */
    void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("kill", signal,
                Long.toString(process.pid())));
        process.descendants().forEach(h -> command.add(Long.toString(h.pid())));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (kill.waitFor() != 0) {
            throw new IOException(command + ": " + new String(kill.getInputStream().readAllBytes()));
        }
    }

    /** Cuts the power: kills the whole process tree at once. */
    void kill() {
        if (process == null) {
            return;
        }
        Processes.killTree(process);
        process = null;
    }

    String log() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        kill();
    }
}
